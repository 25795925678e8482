package pdf

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"
)

// Handout is the one-page sheet a facilitator puts up in the room: the form,
// where and when, a QR code of the session link, the link, the code in big
// type, how to answer and a privacy note. Every text comes localized.
type Handout struct {
	Lang, Title string
	Created     time.Time
	Heading     string // the form's title
	When        string // place · date and time
	QR          []byte // PNG of the session link
	Scan        string // "Escanee el código…"
	Link        string
	CodeLabel   string
	Code        string // drawn with spaces between characters
	Steps       []string
	Privacy     string
}

// WriteHandout draws h as a one-page PDF.
func WriteHandout(w io.Writer, h *Handout) error {
	r, err := newRenderer(&Document{Lang: h.Lang, Title: h.Title, Created: h.Created})
	if err != nil {
		return err
	}
	f := r.f
	f.SetMargins(marginLeft, 20, marginRight)
	f.AddPage()
	r.font("B", 22, r.col.ink)
	f.MultiCell(0, 10, clean(h.Heading), "", "C", false)
	f.Ln(2)
	r.font("", 13, r.col.ink)
	f.MultiCell(0, 7, clean(h.When), "", "C", false)
	f.RegisterImageOptionsReader("qr", gofpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(h.QR))
	f.ImageOptions("qr", 58, f.GetY()+4, 100, 100, false, gofpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	f.SetY(f.GetY() + 108)
	f.MultiCell(0, 7, clean(h.Scan), "", "C", false)
	r.font("", 11, rgb{0, 0, 160})
	f.CellFormat(0, 7, clean(h.Link), "", 1, "C", false, 0, h.Link)
	f.Ln(4)
	r.font("", 13, r.col.ink)
	f.MultiCell(0, 7, clean(h.CodeLabel), "", "C", false)
	r.font("B", 34, r.col.ink)
	f.MultiCell(0, 16, spaced(h.Code), "", "C", false)
	f.Ln(4)
	r.font("", 12, r.col.ink)
	for _, s := range h.Steps {
		f.MultiCell(0, 6.5, "• "+clean(s), "", "L", false)
	}
	f.Ln(2)
	r.font("", 10, r.col.ink)
	f.MultiCell(0, 5.5, clean(h.Privacy), "", "L", false)
	return r.output(w)
}

// spaced writes a code with spaces between characters, easier to read aloud.
func spaced(code string) string {
	return strings.Join(strings.Split(clean(code), ""), " ")
}

// Questionnaire is a paper form for a focus group: the questions in the
// order of the workspace's batch entry, so that whoever types the answers in
// goes down the sheet and the screen together. Every text comes localized.
type Questionnaire struct {
	Lang, Title string
	Created     time.Time
	Heading     string   // the form's title
	Lines       []string // session code, place, date (or blanks to fill)
	Intro       string   // how to fill it in
	Header      string   // top of every page after the first
	PageLabel   string   // "Página %d de %s"
	Questions   []PaperQuestion
}

// PaperQuestion is one question of a Questionnaire.
type PaperQuestion struct {
	Number int
	Label  string
	Hint   string   // "Marque una opción", the range, a help text...
	Boxes  []string // one box per line, to tick (options)
	Inline []string // boxes on one line (a scale's numbers, sí / no)
	Blanks int      // lines to write on
}

// Paper geometry in millimetres.
const (
	boxSide     = 4.0
	paperLine   = 7.0
	questionGap = 5.0
)

// WriteQuestionnaire draws q as a PDF.
func WriteQuestionnaire(w io.Writer, q *Questionnaire) error {
	r, err := newRenderer(&Document{Lang: q.Lang, Title: q.Title, Created: q.Created, Header: q.Header,
		Footer: q.Title, PageLabel: q.PageLabel})
	if err != nil {
		return err
	}
	f := r.f
	f.AddPage()
	r.font("B", 18, r.col.accent)
	f.MultiCell(r.width, 8.5, clean(q.Heading), "", "L", false)
	f.Ln(1)
	r.font("", 11, r.col.ink)
	for _, l := range q.Lines {
		f.SetX(marginLeft)
		f.MultiCell(r.width, 6, clean(l), "", "L", false)
	}
	if q.Intro != "" {
		f.Ln(1)
		r.font("", 9.5, r.col.muted)
		f.SetX(marginLeft)
		f.MultiCell(r.width, 4.8, clean(q.Intro), "", "L", false)
	}
	f.Ln(3)
	for i := range q.Questions {
		pq := &q.Questions[i]
		r.ensure(min(pq.height(r), r.bottom()-marginTop))
		pq.draw(r)
	}
	return r.output(w)
}

func (pq *PaperQuestion) title() string { return fmt.Sprintf("%d. %s", pq.Number, clean(pq.Label)) }

func (pq *PaperQuestion) height(r *renderer) float64 {
	r.font("B", 11, r.col.ink)
	h := float64(len(r.f.SplitText(pq.title(), r.width)))*5.5 + questionGap
	if pq.Hint != "" {
		h += lhSmall + 1
	}
	r.font("", 10.5, r.col.ink)
	for _, b := range pq.Boxes {
		h += float64(len(r.f.SplitText(clean(b), r.width-boxSide-3))) * 5.5
	}
	if len(pq.Inline) > 0 {
		h += paperLine
	}
	return h + float64(pq.Blanks)*paperLine
}

func (pq *PaperQuestion) draw(r *renderer) {
	f := r.f
	r.font("B", 11, r.col.ink)
	f.SetX(marginLeft)
	f.MultiCell(r.width, 5.5, pq.title(), "", "L", false)
	if pq.Hint != "" {
		r.font("", 8.5, r.col.muted)
		f.SetX(marginLeft)
		f.MultiCell(r.width, lhSmall, clean(pq.Hint), "", "L", false)
		f.Ln(1)
	}
	r.font("", 10.5, r.col.ink)
	r.stroke(r.col.ink)
	f.SetLineWidth(0.3)
	for _, b := range pq.Boxes {
		r.ensure(5.5)
		y := f.GetY()
		f.Rect(marginLeft+2, y+0.8, boxSide, boxSide, "D")
		f.SetXY(marginLeft+boxSide+5, y)
		f.MultiCell(r.width-boxSide-5, 5.5, clean(b), "", "L", false)
	}
	if len(pq.Inline) > 0 {
		y, x := f.GetY()+1, marginLeft+2
		for _, b := range pq.Inline {
			t := clean(b)
			tw := f.GetStringWidth(t)
			if x+boxSide+tw+2 > marginLeft+r.width {
				x, y = marginLeft+2, y+paperLine
			}
			f.Rect(x, y+0.8, boxSide, boxSide, "D")
			f.SetXY(x+boxSide+1.5, y)
			f.CellFormat(tw+1, 5.5, t, "", 0, "L", false, 0, "")
			x += boxSide + tw + 9
		}
		f.SetY(y + paperLine)
	}
	r.stroke(r.col.rule)
	for range pq.Blanks {
		r.ensure(paperLine)
		y := f.GetY() + paperLine
		f.Line(marginLeft, y, marginLeft+r.width, y)
		f.SetY(y)
	}
	f.SetY(f.GetY() + questionGap)
}

// output finishes the document, adds its language and writes it to w.
func (r *renderer) output(w io.Writer) error {
	var buf bytes.Buffer
	if err := r.f.Output(&buf); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	out, err := withLanguage(buf.Bytes(), r.doc.Lang)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}
