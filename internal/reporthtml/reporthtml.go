// Package reporthtml writes the accessible HTML twin of a report: the same
// pdf.Document the PDF is drawn from (one computation, two renderers), as a
// page with real headings, a table with a caption and header cells for every
// chart, the document's language, and no script.
//
// Like internal/pdf, it knows nothing about forms or aggregation: every text
// is already localized and every number already formatted by the caller
// (internal/report). The few texts the page adds around the document's own
// (table headers of charts, the table of contents, the words that explain a
// suppressed count) come in Labels, localized by the caller too.
package reporthtml

import (
	"embed"
	"fmt"
	"html/template"
	"io"

	"github.com/consulta/consulta/internal/pdf"
)

// Labels are the texts the page adds to the document's, in its language.
type Labels struct {
	// Contents names the table of contents.
	Contents string
	// Category and Value head the two columns of a bar chart's table;
	// Period and Count those of a time series.
	Category, Value, Period, Count string
	// Suppressed explains in words, under a chart with a withheld count, what
	// "suprimido" means (the PDF's legend speaks of hatched bars, which the
	// page has none of).
	Suppressed string
	// PDF is the text of the link to the PDF version, PDFURL its address
	// (no link when empty).
	PDF, PDFURL string
	// Stylesheets are the addresses of the house CSS.
	Stylesheets []string
	// Languages maps texts in another language than the document's (the
	// native names of languages in the language chart) to their tag: a row
	// named by one of them is marked with its language.
	Languages map[string]string
}

//go:embed report.html
var files embed.FS

// Write writes d as an HTML page to w.
func Write(w io.Writer, d *pdf.Document, l Labels) error {
	t, err := template.ParseFS(files, "report.html")
	if err != nil {
		return fmt.Errorf("reporthtml: %w", err)
	}
	v := view{Doc: d, L: l}
	for i := range d.Sections {
		v.Sections = append(v.Sections, newSection(i, &d.Sections[i], l))
	}
	if err := t.Execute(w, v); err != nil {
		return fmt.Errorf("reporthtml: %w", err)
	}
	return nil
}

// view is what the template gets.
type view struct {
	Doc      *pdf.Document
	L        Labels
	Sections []section
}

// section is a pdf.Section with an anchor and its blocks made ready.
type section struct {
	ID, Title, Intro string
	Blocks           []item
}

// item is one block of a section, as the template draws it: Kind names the
// template ("heading", "paragraph", "figures", "table", "quotes").
type item struct {
	Kind string
	ID   string
	// Heading and Paragraph.
	Text  string
	Small bool
	// KeyFigures.
	Figures []pdf.Figure
	// Tables, charts included: Title is a heading of its own when the PDF
	// bookmarks it, the caption otherwise.
	Title, Caption string
	TitleHeading   bool
	Header         []string
	Rows           [][]string
	Numeric        []bool   // per column: right-aligned figures
	RowLangs       []string // per row: the language of its name, when not the page's
	Note           string
	// Quotes: Level is the level of their title's heading, one under the
	// section's last heading.
	Items []string
	Level int
}

func newSection(i int, s *pdf.Section, l Labels) section {
	out := section{ID: fmt.Sprintf("s%d", i+1), Title: s.Title, Intro: s.Intro}
	level := 3
	for j, b := range s.Blocks {
		it, ok := newItem(b, l)
		if !ok {
			continue
		}
		if it.Kind == "heading" || it.TitleHeading {
			level = 4
		}
		it.ID, it.Level = fmt.Sprintf("%s-%d", out.ID, j+1), level
		out.Blocks = append(out.Blocks, it)
	}
	return out
}

// newItem lays out one block; false for a kind of block it does not know
// (none today: a new kind must be added here and is caught by the tests).
func newItem(b pdf.Block, l Labels) (item, bool) {
	switch b := b.(type) {
	case *pdf.Heading:
		return item{Kind: "heading", Text: b.Text}, true
	case *pdf.Paragraph:
		return item{Kind: "paragraph", Text: b.Text, Small: b.Small}, true
	case *pdf.KeyFigures:
		return item{Kind: "figures", Figures: b.Items}, true
	case *pdf.BarChart:
		return chart(b.Title, b.Caption, b.Note, b.Bookmark, []string{l.Category, l.Value}, b.Bars, l), true
	case *pdf.ColumnChart:
		return chart(b.Title, b.Caption, b.Note, b.Bookmark, []string{l.Period, l.Count}, b.Columns, l), true
	case *pdf.Table:
		it := item{Kind: "table", Title: b.Title, Caption: b.Caption, TitleHeading: b.Bookmark && b.Title != "",
			Header: b.Header, Rows: b.Rows, Note: b.Note}
		it.Numeric = make([]bool, len(b.Header))
		for i := range b.Header {
			it.Numeric[i] = align(b.Align, i) == "R"
		}
		it.RowLangs = rowLangs(b.Rows, l)
		return it, true
	case *pdf.Quotes:
		return item{Kind: "quotes", Title: b.Title, Items: b.Items, Note: b.Note}, true
	}
	return item{}, false
}

// chart is a bar or column chart as a table of its categories and values.
// A withheld count reads "suprimido" in its cell, as in the PDF, and the note
// under the table says why in words.
func chart(title, caption, note string, bookmark bool, header []string, bars []pdf.Bar, l Labels) item {
	it := item{Kind: "table", Title: title, Caption: caption, TitleHeading: bookmark && title != "",
		Header: header, Numeric: []bool{false, true}, Note: note}
	for _, b := range bars {
		it.Rows = append(it.Rows, []string{b.Label, b.Value})
		if b.Suppressed && l.Suppressed != "" {
			it.Note = l.Suppressed
		}
	}
	it.RowLangs = rowLangs(it.Rows, l)
	return it
}

// rowLangs gives the language of each row's name that is in another
// language than the page's ("" for the others).
func rowLangs(rows [][]string, l Labels) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		if len(r) > 0 {
			out[i] = l.Languages[r[0]]
		}
	}
	return out
}

// align is a pdf.Table column's alignment, with the PDF's default.
func align(a []string, i int) string {
	if i < len(a) && a[i] != "" {
		return a[i]
	}
	if i == 0 {
		return "L"
	}
	return "R"
}
