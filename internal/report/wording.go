package report

import (
	"time"

	"github.com/consulta/consulta/internal/pdf"
)

// nCaption is the caption id with its count N, or, when that count is
// suppressed, a sentence that says so: never "n = suprimido personas".
func (d *docBuilder) nCaption(id string, c Count, data map[string]any) string {
	if c.Suppressed {
		return d.t("report.caption.hidden", map[string]any{"K": d.a.K})
	}
	return d.t(id, withN(data, d.count(c)))
}

// nText is nCaption for the sentence under a question without a chart
// (written answers, numbers, places): never "suprimido respuestas escritas".
func (d *docBuilder) nText(id string, c Count, data map[string]any) string {
	if c.Suppressed {
		return d.t("report.q.hidden", map[string]any{"K": d.a.K})
	}
	return d.t(id, withN(data, d.count(c)))
}

func withN(data map[string]any, n string) map[string]any {
	out := map[string]any{"N": n}
	for k, v := range data {
		out[k] = v
	}
	return out
}

// inProgress reports whether the period had not ended when the report was
// made.
func (d *docBuilder) inProgress() bool {
	return !d.a.To.IsZero() && !d.opt.Generated.IsZero() && d.opt.Generated.Before(d.a.To)
}

// progressNote says that the period is still running: counts cover it up
// to the report's date, and are not yet comparable with a whole period.
func (d *docBuilder) progressNote() string {
	return d.t("report.in_progress", map[string]any{"Date": d.l.Date(d.opt.Generated)})
}

// elapsedSeries drops the buckets of a period in progress that start after
// the report was made: they are empty because they have not happened yet.
func (d *docBuilder) elapsedSeries(cells []Cell) []Cell {
	if !d.inProgress() {
		return cells
	}
	loc := d.l.Location
	if loc == nil {
		loc = time.UTC
	}
	today := d.opt.Generated.In(loc).Format("2006-01-02")
	var out []Cell
	for _, c := range cells {
		if c.Key <= today {
			out = append(out, c)
		}
	}
	return out
}

// zeroNote explains a published zero beside a suppressed count: zero says
// nobody chose it, which identifies no one, so it is shown.
func (d *docBuilder) zeroNote(cells []Cell) string {
	zero, hidden := false, false
	for _, c := range cells {
		zero = zero || (!c.Suppressed && c.N == 0)
		hidden = hidden || c.Suppressed
	}
	if zero && hidden {
		return d.t("report.note.zero", map[string]any{"K": d.a.K})
	}
	return ""
}

// progressBlock is the paragraph that opens the key figures of a period in
// progress, or nil.
func (d *docBuilder) progressBlock() pdf.Block {
	if !d.inProgress() {
		return nil
	}
	return &pdf.Paragraph{Text: d.progressNote()}
}

// seriesNote is the note under the time series: suppression, and the
// buckets left out of a period in progress.
func (d *docBuilder) seriesNote(shown []Cell) string {
	note := d.suppressedNote(shown)
	if len(shown) < len(d.a.Series) {
		if note != "" {
			note += " "
		}
		note += d.t("report.series.in_progress")
	}
	return note
}
