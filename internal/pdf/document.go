// Package pdf draws Consulta's reports with gofpdf: Letter pages, an embedded
// UTF-8 TrueType font, a cover, a page of key figures, vector bar and column
// charts, tables, quotations, page numbers, bookmarks and document metadata
// (title and language).
//
// The package knows nothing about forms or aggregation. It draws a Document, a
// plain description of what goes on the pages, with every text already
// localized and every number already formatted by the caller (internal/report).
// That keeps the drawing testable on its own and the wording in one place.
package pdf

import "time"

// Document is a whole report.
type Document struct {
	// Lang is the BCP 47 tag of the document's language ("es", "en"); it is
	// written to the PDF catalog (/Lang) so that screen readers pick a voice.
	Lang string
	// Title is the document title (PDF metadata and cover); Subject goes to the
	// metadata only, Author names the publisher.
	Title, Subject, Author string
	// Created is the generation time (metadata and reproducible output).
	Created time.Time
	// Cover is the first page.
	Cover Cover
	// Header is the short text on top of every page after the cover.
	Header string
	// Footer is shown at the bottom left of every page after the cover; the
	// page number is drawn at the bottom right.
	Footer string
	// PageLabel formats the page number, e.g. "Página %d de %s": it receives
	// the current page and the total as a placeholder string.
	PageLabel string
	// Sections follow the cover, each starting on a new page.
	Sections []Section
}

// Cover is the content of the cover page.
type Cover struct {
	Kicker   string   // small text above the title (organisation)
	Title    string   // the report's title
	Subtitle string   // the form's title
	Lines    []string // period, comparison period, generation date...
	Note     string   // a paragraph at the bottom (e.g. what the report is)
	// Logo is the organisation's logo, drawn above the kicker: PNG or JPEG
	// (an SVG is not drawn); nil for none.
	Logo []byte
}

// Section is a top-level part of the report: it starts a new page and gets a
// level-0 bookmark.
type Section struct {
	Title  string
	Intro  string // optional paragraph under the title
	Blocks []Block
}

// Block is one element of a section: *Heading, *Paragraph, *KeyFigures,
// *BarChart, *ColumnChart, *Table or *Quotes.
type Block interface {
	height(r *renderer) float64 // the height the block needs to start on a page
	draw(r *renderer)
}

// Heading is a subsection title with a level-1 bookmark.
type Heading struct {
	Text string
}

// Paragraph is running text, wrapped to the page width.
type Paragraph struct {
	Text  string
	Small bool // smaller grey type (notes, legends)
}

// KeyFigures is a grid of boxes with one big value each.
type KeyFigures struct {
	Items []Figure
}

// Figure is one key figure: Value in big type, Label under it, and an
// optional Note (e.g. the change from the previous period).
type Figure struct {
	Value, Label, Note string
}

// BarChart is a horizontal bar chart, one bar per category. Bars are scaled to
// the largest Fraction in the chart; each bar shows its Value text (the count
// and the percentage, formatted by the caller).
type BarChart struct {
	Title   string // bold, with a level-1 bookmark when Bookmark is true
	Caption string // e.g. "n = 1,234 respuestas; una o más opciones"
	Bars    []Bar
	Note    string // small text under the chart (e.g. the suppression legend)
	// Bookmark adds the title to the document outline.
	Bookmark bool
}

// Bar is one bar of a chart.
type Bar struct {
	Label    string
	Value    string  // text beside the bar, e.g. "1,234 (45.6 %)"
	Fraction float64 // length of the bar, 0..1 (scaled to the chart's largest)
	// Suppressed draws an empty hatched box instead of a bar: the count is
	// withheld to protect privacy and Value says so.
	Suppressed bool
}

// ColumnChart is a vertical bar chart (a time series).
type ColumnChart struct {
	Title    string
	Caption  string
	Columns  []Bar // Label under the column, Value above it
	Note     string
	Bookmark bool
}

// Table is a table with a header row. Widths are relative column widths
// (nil: equal); Align holds "L", "C" or "R" per column (nil: first column left,
// others right). Cells that do not fit are shortened with an ellipsis.
type Table struct {
	Title    string
	Caption  string
	Header   []string
	Rows     [][]string
	Widths   []float64
	Align    []string
	Note     string
	Bookmark bool
}

// Quotes is a list of short quotations (sample comments).
type Quotes struct {
	Title string
	Items []string
	Note  string
}
