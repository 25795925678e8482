package pdf

import (
	"math"
)

// Line heights in millimetres for the type sizes used below.
const (
	lhBody    = 5.0
	lhSmall   = 3.9
	lhLabel   = 3.8
	blockGap  = 6.0
	barHeight = 4.2
)

func (h *Heading) height(r *renderer) float64 { return 12 }

func (h *Heading) draw(r *renderer) {
	f := r.f
	f.SetY(f.GetY() + 2)
	r.font("B", 12.5, r.col.accent)
	f.Bookmark(clean(h.Text), 1, -1)
	f.SetX(marginLeft)
	f.MultiCell(r.width, 6, clean(h.Text), "", "L", false)
	f.SetY(f.GetY() + 2)
}

func (p *Paragraph) style(r *renderer) (size, lh float64, c rgb) {
	if p.Small {
		return 8.5, lhSmall, r.col.muted
	}
	return 10, lhBody, r.col.ink
}

func (p *Paragraph) height(r *renderer) float64 {
	size, lh, c := p.style(r)
	r.font("", size, c)
	n := len(r.f.SplitText(clean(p.Text), r.width))
	return math.Min(float64(n), 4)*lh + 2
}

func (p *Paragraph) draw(r *renderer) {
	size, lh, c := p.style(r)
	r.font("", size, c)
	r.f.SetX(marginLeft)
	r.f.MultiCell(r.width, lh, clean(p.Text), "", "L", false)
	r.f.SetY(r.f.GetY() + 2)
}

// titleHeight is the height of a block title and caption.
func (r *renderer) titleHeight(title, caption string) float64 {
	h := 0.0
	if title != "" {
		r.font("B", 11, r.col.ink)
		h += float64(len(r.f.SplitText(clean(title), r.width))) * 5.2
	}
	if caption != "" {
		r.font("", 8.5, r.col.muted)
		h += float64(len(r.f.SplitText(clean(caption), r.width)))*lhSmall + 1
	}
	return h + 1.5
}

// blockTitle draws a block's title (bookmarked at level 1 when asked) and
// its caption.
func (r *renderer) blockTitle(title, caption string, bookmark bool) {
	f := r.f
	if title != "" {
		r.font("B", 11, r.col.ink)
		if bookmark {
			f.Bookmark(clean(title), 1, -1)
		}
		f.SetX(marginLeft)
		f.MultiCell(r.width, 5.2, clean(title), "", "L", false)
	}
	if caption != "" {
		r.font("", 8.5, r.col.muted)
		f.SetX(marginLeft)
		f.MultiCell(r.width, lhSmall, clean(caption), "", "L", false)
		f.SetY(f.GetY() + 1)
	}
	f.SetY(f.GetY() + 1.5)
}

// note draws a small grey paragraph under a block, then the gap before the
// next block.
func (r *renderer) note(text string) {
	if text != "" {
		r.font("", 7.5, r.col.muted)
		r.f.SetX(marginLeft)
		r.f.MultiCell(r.width, 3.5, clean(text), "", "L", false)
	}
	r.f.SetY(r.f.GetY() + blockGap)
}

func (r *renderer) noteHeight(text string) float64 {
	if text == "" {
		return blockGap
	}
	r.font("", 7.5, r.col.muted)
	return float64(len(r.f.SplitText(clean(text), r.width)))*3.5 + blockGap
}

// hatch draws the box that stands for a suppressed count: an outline with
// diagonal strokes, so it reads as "withheld" rather than "zero".
func (r *renderer) hatch(x, y, w, h float64) {
	f := r.f
	r.stroke(r.col.muted)
	f.SetLineWidth(0.15)
	f.Rect(x, y, w, h, "D")
	for dx := 1.5; dx < w+h; dx += 1.5 {
		x1, y1 := x+dx, y
		x2, y2 := x+dx-h, y+h
		if x1 > x+w {
			y1 += x1 - (x + w)
			x1 = x + w
		}
		if x2 < x {
			y2 -= x - x2
			x2 = x
		}
		f.Line(x1, y1, x2, y2)
	}
}

const labelShare = 0.40 // share of the width given to bar labels

func (c *BarChart) rowHeight(r *renderer, b Bar) float64 {
	r.font("", 8.5, r.col.ink)
	n := len(lines(r.f, clean(b.Label), r.width*labelShare, 2))
	return math.Max(6.2, float64(n)*lhLabel+2.2)
}

func (c *BarChart) height(r *renderer) float64 {
	h := r.titleHeight(c.Title, c.Caption) + r.noteHeight(c.Note)
	for _, b := range c.Bars {
		h += c.rowHeight(r, b)
	}
	return h
}

func (c *BarChart) draw(r *renderer) {
	f := r.f
	r.blockTitle(c.Title, c.Caption, c.Bookmark)
	labelW := r.width * labelShare
	r.font("", 8.5, r.col.ink)
	valueW, maxFrac := 0.0, 0.0
	for _, b := range c.Bars {
		valueW = math.Max(valueW, f.GetStringWidth(clean(b.Value)))
		if !b.Suppressed {
			maxFrac = math.Max(maxFrac, b.Fraction)
		}
	}
	if maxFrac <= 0 {
		maxFrac = 1
	}
	barX := marginLeft + labelW + 2
	barMax := r.width - labelW - 2 - valueW - 4
	for i, b := range c.Bars {
		rowH := c.rowHeight(r, b)
		r.ensure(c.tailHeight(r, i, rowH))
		y := f.GetY()
		r.font("", 8.5, r.col.ink)
		ls := lines(f, clean(b.Label), labelW, 2)
		top := y + (rowH-float64(len(ls))*lhLabel)/2
		for i, l := range ls {
			f.SetXY(marginLeft, top+float64(i)*lhLabel)
			f.CellFormat(labelW, lhLabel, l, "", 0, "R", false, 0, "")
		}
		by := y + (rowH-barHeight)/2
		w := 0.0
		if b.Suppressed {
			w = 9
			r.hatch(barX, by, w, barHeight)
		} else if b.Fraction > 0 {
			w = math.Max(0.6, b.Fraction/maxFrac*barMax)
			r.fill(r.col.bar)
			f.Rect(barX, by, w, barHeight, "F")
		}
		r.stroke(r.col.rule)
		f.SetLineWidth(0.2)
		f.Line(barX, y, barX, y+rowH)
		r.font("", 8.5, r.col.ink)
		f.SetXY(barX+w+1, y)
		f.CellFormat(valueW+3, rowH, clean(b.Value), "", 0, "L", false, 0, "")
		f.SetY(y + rowH)
	}
	r.note(c.Note)
}

// keepLast is how many last rows or items of a block stay on the page of
// its note, so that no page holds only a note or a single comment.
const keepLast = 2

// tailHeight is the room bar i needs: the bar, and when it is among the
// last ones, those after it and the note.
func (c *BarChart) tailHeight(r *renderer, i int, rowH float64) float64 {
	if i != len(c.Bars)-min(keepLast, len(c.Bars)) {
		return rowH
	}
	h := r.noteHeight(c.Note)
	for _, b := range c.Bars[i:] {
		h += c.rowHeight(r, b)
	}
	return h
}

const columnPlot = 48.0 // height of the plot area of a column chart

func (c *ColumnChart) height(r *renderer) float64 {
	return r.titleHeight(c.Title, c.Caption) + columnPlot + 12 + r.noteHeight(c.Note)
}

func (c *ColumnChart) draw(r *renderer) {
	f := r.f
	r.blockTitle(c.Title, c.Caption, c.Bookmark)
	n := len(c.Columns)
	if n == 0 {
		r.note(c.Note)
		return
	}
	top := f.GetY() + 4
	base := top + columnPlot
	slot := r.width / float64(n)
	maxFrac := 0.0
	for _, b := range c.Columns {
		if !b.Suppressed {
			maxFrac = math.Max(maxFrac, b.Fraction)
		}
	}
	if maxFrac <= 0 {
		maxFrac = 1
	}
	// Values are written horizontally above their columns: in one row when
	// they fit their column, else staggered over two rows (twice the room),
	// in smaller type if need be; never rotated.
	valueSize, rows := 6.5, 0
	labelW := 0.0
	r.font("", 6.5, r.col.muted)
	for _, b := range c.Columns {
		labelW = math.Max(labelW, f.GetStringWidth(clean(b.Label)))
	}
	for _, size := range []float64{6.5, 5.5} {
		r.font("", size, r.col.ink)
		valueW := 0.0
		for _, b := range c.Columns {
			valueW = math.Max(valueW, f.GetStringWidth(clean(b.Value)))
		}
		if valueW <= slot-0.5 {
			valueSize, rows = size, 1
			break
		}
		if valueW <= 2*slot-1 {
			valueSize, rows = size, 2
			break
		}
	}
	step := int(math.Ceil((labelW + 2) / slot))
	if step < 1 {
		step = 1
	}
	headroom := 6.0
	if rows == 2 {
		headroom = 8.5
	}
	for i, b := range c.Columns {
		x := marginLeft + float64(i)*slot
		cw := slot * 0.72
		cx := x + (slot-cw)/2
		if b.Suppressed {
			r.hatch(cx, base-6, cw, 6)
		} else if b.Fraction > 0 {
			h := math.Max(0.4, b.Fraction/maxFrac*(columnPlot-headroom))
			r.fill(r.col.bar)
			f.Rect(cx, base-h, cw, h, "F")
			r.font("", valueSize, r.col.ink)
			switch rows {
			case 1:
				f.SetXY(x, base-h-3.6)
				f.CellFormat(slot, 3.2, clean(b.Value), "", 0, "C", false, 0, "")
			case 2:
				// Two fixed rows over the plot, alternating: neighbours
				// never share a row, whatever their heights.
				f.SetXY(x-slot/2, top+3.4*float64(i%2))
				f.CellFormat(2*slot, 3.2, clean(b.Value), "", 0, "C", false, 0, "")
			}
		}
		if i%step == 0 {
			r.font("", 6.5, r.col.muted)
			w := math.Max(slot, labelW+1)
			f.SetXY(x+slot/2-w/2, base+1)
			f.CellFormat(w, 3.5, clean(b.Label), "", 0, "C", false, 0, "")
		}
	}
	r.stroke(r.col.rule)
	f.SetLineWidth(0.25)
	f.Line(marginLeft, base, marginLeft+r.width, base)
	f.SetY(base + 7)
	r.note(c.Note)
}

func (t *Table) widths(r *renderer) []float64 {
	n := len(t.Header)
	ws := make([]float64, n)
	total := 0.0
	for i := range ws {
		ws[i] = 1
		if i < len(t.Widths) && t.Widths[i] > 0 {
			ws[i] = t.Widths[i]
		}
		total += ws[i]
	}
	for i := range ws {
		ws[i] = ws[i] / total * r.width
	}
	return ws
}

func (t *Table) align(i int) string {
	if i < len(t.Align) && t.Align[i] != "" {
		return t.Align[i]
	}
	if i == 0 {
		return "L"
	}
	return "R"
}

const (
	tableLineH = 3.9 // line height of table text
	tablePad   = 2.2 // vertical padding of a table row
	tableLines = 3   // lines a cell may wrap to
)

// cellLines wraps each cell of a row to its column, at most tableLines lines.
func (t *Table) cellLines(r *renderer, row []string, ws []float64) ([][]string, float64) {
	out := make([][]string, len(ws))
	n := 1
	for i := range ws {
		cell := ""
		if i < len(row) {
			cell = clean(row[i])
		}
		out[i] = lines(r.f, cell, ws[i], tableLines)
		n = max(n, len(out[i]))
	}
	return out, float64(n)*tableLineH + tablePad
}

func (t *Table) height(r *renderer) float64 {
	ws := t.widths(r)
	r.font("B", 8.5, r.col.ink)
	_, h := t.cellLines(r, t.Header, ws)
	r.font("", 8.5, r.col.ink)
	for _, row := range t.Rows {
		_, rh := t.cellLines(r, row, ws)
		h += rh
	}
	return r.titleHeight(t.Title, t.Caption) + h + r.noteHeight(t.Note)
}

// row draws one row of wrapped cells on a filled background (fill nil: none).
func (t *Table) row(r *renderer, cells [][]string, ws []float64, h float64, fill *rgb) {
	f := r.f
	y := f.GetY()
	if fill != nil {
		r.fill(*fill)
		f.Rect(marginLeft, y, r.width, h, "F")
	}
	x := marginLeft
	for i, ls := range cells {
		top := y + (h-float64(len(ls))*tableLineH)/2
		for j, l := range ls {
			f.SetXY(x, top+float64(j)*tableLineH)
			f.CellFormat(ws[i], tableLineH, l, "", 0, t.align(i), false, 0, "")
		}
		x += ws[i]
	}
	f.SetY(y + h)
}

// tailHeight is the room row n needs: the row, and when it is among the
// last ones, those after it, the closing rule and the note.
func (t *Table) tailHeight(r *renderer, n int, h float64, ws []float64) float64 {
	if n != len(t.Rows)-min(keepLast, len(t.Rows)) {
		return h
	}
	for _, row := range t.Rows[n+1:] {
		_, rh := t.cellLines(r, row, ws)
		h += rh
	}
	h += 1.5 + r.noteHeight(t.Note)
	r.font("", 8.5, r.col.ink)
	return h
}

func (t *Table) headerRow(r *renderer, ws []float64) {
	r.font("B", 8.5, rgb{255, 255, 255})
	cells, h := t.cellLines(r, t.Header, ws)
	t.row(r, cells, ws, h, &r.col.accent)
}

func (t *Table) draw(r *renderer) {
	f := r.f
	r.blockTitle(t.Title, t.Caption, t.Bookmark)
	ws := t.widths(r)
	t.headerRow(r, ws)
	for n, row := range t.Rows {
		r.font("", 8.5, r.col.ink)
		cells, h := t.cellLines(r, row, ws)
		if f.GetY()+t.tailHeight(r, n, h, ws) > r.bottom() {
			f.AddPage()
			t.headerRow(r, ws)
			r.font("", 8.5, r.col.ink)
		}
		var fill *rgb
		if n%2 == 1 {
			fill = &r.col.zebra
		}
		t.row(r, cells, ws, h, fill)
	}
	r.stroke(r.col.rule)
	f.SetLineWidth(0.2)
	f.Line(marginLeft, f.GetY(), marginLeft+r.width, f.GetY())
	f.SetY(f.GetY() + 1.5)
	r.note(t.Note)
}

const (
	figureGap   = 6.0
	figureH     = 31.0 // least height of a key figure's box
	figureLabel = 4.1  // line height of a key figure's label
	figureNote  = 3.5  // line height of its note
)

// figureLines wraps a key figure's label and note to the box: the label
// whole (it says what the number is), the note at most three lines.
func (k *KeyFigures) figureLines(r *renderer, it Figure, w float64) (label, note []string) {
	r.font("", 9, r.col.ink)
	label = r.f.SplitText(clean(it.Label), w)
	if it.Note != "" {
		r.font("", 7.8, r.col.muted)
		note = lines(r.f, clean(it.Note), w, 3)
	}
	return label, note
}

// boxHeight is the height of the boxes of the row holding item i: that of
// the taller of the two, and at least figureH.
func (k *KeyFigures) boxHeight(r *renderer, i int, w float64) float64 {
	h := figureH
	for j := i - i%2; j < min(i-i%2+2, len(k.Items)); j++ {
		label, note := k.figureLines(r, k.Items[j], w-8)
		need := math.Max(22, 13+float64(len(label))*figureLabel+1) + float64(len(note))*figureNote + 2
		h = math.Max(h, need)
	}
	return h
}

func (k *KeyFigures) height(r *renderer) float64 {
	w := (r.width - figureGap) / 2
	h := 2.0
	for i := 0; i < len(k.Items); i += 2 {
		h += k.boxHeight(r, i, w) + figureGap
	}
	return h
}

func (k *KeyFigures) draw(r *renderer) {
	f := r.f
	w := (r.width - figureGap) / 2
	for i, it := range k.Items {
		boxH := k.boxHeight(r, i, w)
		if i%2 == 0 {
			r.ensure(boxH + figureGap)
		}
		x := marginLeft + float64(i%2)*(w+figureGap)
		y := f.GetY()
		r.fill(r.col.zebra)
		f.Rect(x, y, w, boxH, "F")
		r.fill(r.col.accent)
		f.Rect(x, y, 1.4, boxH, "F")
		r.font("B", 19, r.col.accent)
		f.SetXY(x+5, y+3)
		f.CellFormat(w-8, 9, fit(f, clean(it.Value), w-8), "", 0, "L", false, 0, "")
		label, note := k.figureLines(r, it, w-8)
		r.font("", 9, r.col.ink)
		for j, l := range label {
			f.SetXY(x+5, y+13+float64(j)*figureLabel)
			f.CellFormat(w-8, figureLabel, l, "", 0, "L", false, 0, "")
		}
		r.font("", 7.8, r.col.muted)
		top := math.Max(y+22, y+13+float64(len(label))*figureLabel+1)
		for j, l := range note {
			f.SetXY(x+5, top+float64(j)*figureNote)
			f.CellFormat(w-8, figureNote, l, "", 0, "L", false, 0, "")
		}
		if i%2 == 1 || i == len(k.Items)-1 {
			f.SetY(y + boxH + figureGap)
		} else {
			f.SetY(y)
		}
	}
	f.SetY(f.GetY() + 2)
}

const quoteIndent = 6.0

func (q *Quotes) itemHeight(r *renderer, s string) float64 {
	r.font("", 9.5, r.col.ink)
	return float64(len(r.f.SplitText(clean(s), r.width-quoteIndent)))*4.6 + 3
}

func (q *Quotes) height(r *renderer) float64 {
	h := r.titleHeight(q.Title, "") + r.noteHeight(q.Note)
	if len(q.Items) > 0 {
		h += q.itemHeight(r, q.Items[0])
	}
	return h
}

func (q *Quotes) draw(r *renderer) {
	f := r.f
	r.blockTitle(q.Title, "", false)
	for i, s := range q.Items {
		h := q.itemHeight(r, s)
		if i == len(q.Items)-min(keepLast, len(q.Items)) {
			// The last comments stay together with the note.
			need := r.noteHeight(q.Note)
			for _, rest := range q.Items[i:] {
				need += q.itemHeight(r, rest)
			}
			r.ensure(need)
		}
		r.ensure(h)
		y := f.GetY()
		r.fill(r.col.barLight)
		f.Rect(marginLeft, y, 1.6, h-3, "F")
		r.font("", 9.5, r.col.ink)
		f.SetXY(marginLeft+quoteIndent, y)
		f.MultiCell(r.width-quoteIndent, 4.6, clean(s), "", "L", false)
		f.SetY(y + h)
	}
	r.note(q.Note)
}
