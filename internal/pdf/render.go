package pdf

import (
	"fmt"
	"io"
	"math"
	"strings"
	"unicode"

	"github.com/jung-kurt/gofpdf"

	"github.com/consulta/consulta/web/fonts"
)

// Page geometry in millimetres (US Letter, portrait).
const (
	marginLeft   = 20.0
	marginRight  = 20.0
	marginTop    = 24.0
	marginBottom = 20.0
	family       = "dejavusans"
)

// Colours as RGB triplets.
type rgb struct{ r, g, b int }

// palette is the report's sober colour scheme.
type palette struct {
	ink, muted, accent, bar, barLight, rule, band, zebra rgb
}

func defaultPalette() palette {
	return palette{
		ink:      rgb{33, 37, 41},
		muted:    rgb{95, 101, 108},
		accent:   rgb{16, 56, 99},
		bar:      rgb{38, 110, 170},
		barLight: rgb{214, 226, 238},
		rule:     rgb{200, 205, 210},
		band:     rgb{16, 56, 99},
		zebra:    rgb{243, 245, 247},
	}
}

// renderer carries the gofpdf document and the page geometry while drawing.
type renderer struct {
	f     *gofpdf.Fpdf
	doc   *Document
	col   palette
	width float64 // usable width between the margins
	pageH float64
}

// Write draws d as a PDF and writes it to w.
func Write(w io.Writer, d *Document) error {
	r, err := newRenderer(d)
	if err != nil {
		return err
	}
	r.cover()
	for i := range d.Sections {
		r.section(&d.Sections[i])
	}
	return r.output(w)
}

func newRenderer(d *Document) (*renderer, error) {
	f := gofpdf.New("P", "mm", "Letter", "")
	regular, err := fonts.FS.ReadFile(fonts.Regular)
	if err != nil {
		return nil, fmt.Errorf("pdf: font: %w", err)
	}
	bold, err := fonts.FS.ReadFile(fonts.Bold)
	if err != nil {
		return nil, fmt.Errorf("pdf: font: %w", err)
	}
	f.AddUTF8FontFromBytes(family, "", regular)
	f.AddUTF8FontFromBytes(family, "B", bold)
	f.SetTitle(clean(d.Title), true)
	f.SetSubject(clean(d.Subject), true)
	f.SetAuthor(clean(d.Author), true)
	f.SetCreator("Consulta", true)
	f.SetProducer("Consulta (gofpdf)", true)
	if !d.Created.IsZero() {
		f.SetCreationDate(d.Created)
		f.SetModificationDate(d.Created)
	}
	f.SetCatalogSort(true) // stable object order: the same data gives the same bytes
	f.SetMargins(marginLeft, marginTop, marginRight)
	f.SetAutoPageBreak(true, marginBottom)
	f.AliasNbPages("{nb}")
	f.SetDisplayMode("fullwidth", "continuous")
	w, h := f.GetPageSize()
	r := &renderer{f: f, doc: d, col: defaultPalette(), width: w - marginLeft - marginRight, pageH: h}
	f.SetHeaderFunc(r.header)
	f.SetFooterFunc(r.footer)
	if err := f.Error(); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	return r, nil
}

// clean makes a string safe for gofpdf's UTF-8 path: gofpdf indexes glyph
// widths by rune in a 64 Ki table, so runes beyond the Basic Multilingual
// Plane (emoji, mostly) would crash it; control characters would print as
// boxes. Both become U+FFFD or a space.
func clean(s string) string {
	return strings.Map(func(c rune) rune {
		switch {
		case c == '\n':
			return c
		case c == '\t' || c == '\r':
			return ' '
		case c > 0xFFFF || unicode.IsControl(c):
			return '\uFFFD'
		}
		return c
	}, s)
}

func (r *renderer) font(style string, size float64, c rgb) {
	r.f.SetFont(family, style, size)
	r.f.SetTextColor(c.r, c.g, c.b)
}

func (r *renderer) fill(c rgb)   { r.f.SetFillColor(c.r, c.g, c.b) }
func (r *renderer) stroke(c rgb) { r.f.SetDrawColor(c.r, c.g, c.b) }

// bottom is the lowest y that content may reach on a page.
func (r *renderer) bottom() float64 { return r.pageH - marginBottom }

// ensure starts a new page unless h millimetres fit below the cursor.
func (r *renderer) ensure(h float64) {
	if r.f.GetY()+h > r.bottom() {
		r.f.AddPage()
	}
}

func (r *renderer) header() {
	if r.f.PageNo() == 1 {
		return
	}
	r.font("", 8, r.col.muted)
	r.f.SetXY(marginLeft, 10)
	r.f.CellFormat(r.width, 5, fit(r.f, clean(r.doc.Header), r.width), "", 0, "L", false, 0, "")
	r.stroke(r.col.rule)
	r.f.SetLineWidth(0.2)
	r.f.Line(marginLeft, 16, marginLeft+r.width, 16)
	r.f.SetXY(marginLeft, marginTop)
}

func (r *renderer) footer() {
	if r.f.PageNo() == 1 {
		return
	}
	y := r.pageH - 13
	r.stroke(r.col.rule)
	r.f.SetLineWidth(0.2)
	r.f.Line(marginLeft, y-1.5, marginLeft+r.width, y-1.5)
	r.font("", 8, r.col.muted)
	label := fmt.Sprintf("%d / {nb}", r.f.PageNo())
	if r.doc.PageLabel != "" {
		label = fmt.Sprintf(r.doc.PageLabel, r.f.PageNo(), "{nb}")
	}
	lw := r.f.GetStringWidth(label) + 2
	r.f.SetXY(marginLeft, y)
	r.f.CellFormat(r.width-lw-4, 5, fit(r.f, clean(r.doc.Footer), r.width-lw-4), "", 0, "L", false, 0, "")
	r.f.SetXY(marginLeft+r.width-lw, y)
	r.f.CellFormat(lw, 5, clean(label), "", 0, "R", false, 0, "")
}

// cover draws the first page: a coloured band with the title, then the
// subtitle, the period lines and a note.
func (r *renderer) cover() {
	f := r.f
	f.AddPage()
	pageW, _ := f.GetPageSize()
	r.fill(r.col.band)
	f.Rect(0, 0, pageW, 105, "F")
	r.logo(r.doc.Cover.Logo, marginLeft, 14)
	f.SetXY(marginLeft, 34)
	r.font("", 11, rgb{205, 220, 235})
	f.MultiCell(r.width, 5.5, clean(r.doc.Cover.Kicker), "", "L", false)
	f.SetXY(marginLeft, f.GetY()+5)
	r.font("B", 24, rgb{255, 255, 255})
	f.MultiCell(r.width, 10.5, clean(r.doc.Cover.Title), "", "L", false)
	f.Bookmark(clean(r.doc.Cover.Title), 0, 0)
	f.SetXY(marginLeft, 118)
	r.font("B", 16, r.col.accent)
	f.MultiCell(r.width, 8, clean(r.doc.Cover.Subtitle), "", "L", false)
	f.SetY(f.GetY() + 6)
	r.font("", 11, r.col.ink)
	for _, line := range r.doc.Cover.Lines {
		f.SetX(marginLeft)
		f.MultiCell(r.width, 6.5, clean(line), "", "L", false)
	}
	if r.doc.Cover.Note != "" {
		r.font("", 9, r.col.muted)
		lines := f.SplitText(clean(r.doc.Cover.Note), r.width)
		y := r.bottom() - float64(len(lines))*4.6
		if y > f.GetY()+6 {
			f.SetY(y)
		}
		r.stroke(r.col.rule)
		f.Line(marginLeft, f.GetY()-3, marginLeft+r.width, f.GetY()-3)
		f.SetX(marginLeft)
		f.MultiCell(r.width, 4.6, clean(r.doc.Cover.Note), "", "L", false)
	}
}

// section starts a new page with a bookmarked title and draws the blocks.
func (r *renderer) section(s *Section) {
	f := r.f
	f.AddPage()
	r.font("B", 17, r.col.accent)
	f.Bookmark(clean(s.Title), 0, -1)
	f.MultiCell(r.width, 8, clean(s.Title), "", "L", false)
	r.stroke(r.col.accent)
	f.SetLineWidth(0.6)
	f.Line(marginLeft, f.GetY()+1, marginLeft+28, f.GetY()+1)
	f.SetY(f.GetY() + 5)
	if s.Intro != "" {
		r.font("", 10, r.col.ink)
		f.MultiCell(r.width, 5, clean(s.Intro), "", "L", false)
		f.SetY(f.GetY() + 3)
	}
	for i, b := range s.Blocks {
		h := r.startHeight(b)
		if _, ok := b.(*Heading); ok && i+1 < len(s.Blocks) {
			h += r.startHeight(s.Blocks[i+1]) // a heading stays with what follows
		}
		r.ensure(h)
		b.draw(r)
	}
}

// startHeight is the room a block needs on the page where it starts: all of
// it, or a first slice of a block taller than a page (which breaks across
// pages itself).
func (r *renderer) startHeight(b Block) float64 {
	return math.Min(b.height(r), 60)
}

// fit shortens s with an ellipsis until it fits in w millimetres with the
// current font.
func fit(f *gofpdf.Fpdf, s string, w float64) string {
	if f.GetStringWidth(s) <= w {
		return s
	}
	runes := []rune(s)
	for len(runes) > 1 {
		runes = runes[:len(runes)-1]
		t := strings.TrimRight(string(runes), " ") + "…"
		if f.GetStringWidth(t) <= w {
			return t
		}
	}
	return "…"
}

// lines wraps s to width w with the current font; at most max lines, the last
// one shortened with an ellipsis when the text is longer.
func lines(f *gofpdf.Fpdf, s string, w float64, max int) []string {
	if !strings.ContainsRune(s, ' ') {
		// One word (a page's path): wrapped after its slashes and hyphens,
		// so that every part of the address stays readable.
		return limit(f, breakWord(f, s, w-2), w-2, max)
	}
	ls := f.SplitText(s, w)
	if len(ls) == 0 {
		return []string{""}
	}
	if max > 0 && len(ls) > max {
		rest := strings.Join(ls[max-1:], " ")
		ls = append(ls[:max-1], fit(f, rest, w))
	}
	return ls
}

// limit keeps at most max of the lines ls of a word, the last one shortened
// with an ellipsis when more follow.
func limit(f *gofpdf.Fpdf, ls []string, w float64, max int) []string {
	if max <= 0 || len(ls) <= max {
		return ls
	}
	return append(ls[:max-1], fit(f, strings.Join(ls[max-1:], ""), w))
}

// breakWord splits a word without spaces into lines of width w, breaking
// after a slash or hyphen where it can, else between letters.
func breakWord(f *gofpdf.Fpdf, s string, w float64) []string {
	var parts []string
	start := 0
	for i, c := range s {
		if (c == '/' || c == '-' || c == '_') && i > 0 {
			parts = append(parts, s[start:i+1])
			start = i + 1
		}
	}
	if start < len(s) {
		parts = append(parts, s[start:])
	}
	var out []string
	line := ""
	for _, p := range parts {
		if f.GetStringWidth(line+p) <= w {
			line += p
			continue
		}
		if line != "" {
			out = append(out, line)
			line = ""
		}
		for _, c := range p {
			if line != "" && f.GetStringWidth(line+string(c)) > w {
				out = append(out, line)
				line = ""
			}
			line += string(c)
		}
	}
	if line != "" || len(out) == 0 {
		out = append(out, line)
	}
	return out
}
