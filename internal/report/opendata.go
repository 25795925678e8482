package report

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"io"
	"strconv"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/export"
	"github.com/consulta/consulta/internal/forms"
)

// OpenData aggregates the responses to f received in semester p (reckoned in
// o.Location) for /datos: the same suppression as the reports, no comparison
// period. Which semesters are published is decided by LatestPublished and
// PublishedSemesters, never by the caller's dates (see semester.go).
func OpenData(ctx context.Context, src Source, f *forms.Form, p Semester, o Options) (*Aggregate, error) {
	if p.IsZero() {
		return nil, consulta.Errorf(consulta.EINVALID, "open data: no semester")
	}
	from, to := p.Bounds(o.location())
	o.Compare = false
	return Compute(ctx, src, f, from, to, o)
}

// ETag is a strong entity tag for a rendered open-data file: a hash of its
// bytes, so it changes exactly when the content does.
func ETag(content []byte) string {
	sum := sha256.Sum256(content)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// WriteJSON writes the aggregate, localized with l, as JSON (sample comments
// are never included). Suppressed counts are {"n": null, "suppressed": true}.
func WriteJSON(w io.Writer, a *Aggregate, l Labels) error {
	loc := Localize(a, l)
	loc.Previous = nil
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(loc)
}

// csvHeader lists the columns of WriteCSV.
var csvHeader = []string{
	"form", "period_start", "period_end", "table", "question", "category",
	"subcategory", "label", "count", "percent", "value", "suppressed",
}

// CSVHeader returns the columns of WriteCSV, documented in docs/reports.md.
func CSVHeader() []string { return append([]string(nil), csvHeader...) }

// WriteCSV writes the aggregate, localized with l, as UTF-8 CSV with a header
// row: one row per published count, in long format (see docs/reports.md for
// the columns and tables). A suppressed count has an empty count and percent
// and suppressed=true.
func WriteCSV(w io.Writer, a *Aggregate, l Labels) error {
	loc := Localize(a, l)
	cw := csv.NewWriter(w)
	c := csvRows{w: cw, a: loc, start: dateOnly(loc.From, l), end: lastDay(loc.To, l), otherPages: l.Loc.T("report.pages.other")}
	_ = cw.Write(csvHeader)
	c.write(loc)
	cw.Flush()
	return cw.Error()
}

func dateOnly(t time.Time, l Labels) string {
	if t.IsZero() {
		return ""
	}
	return t.In(l.location()).Format("2006-01-02")
}

func lastDay(t time.Time, l Labels) string {
	if t.IsZero() {
		return ""
	}
	return t.In(l.location()).Add(-time.Nanosecond).Format("2006-01-02")
}

// csvRows writes the tables of an aggregate.
type csvRows struct {
	w          *csv.Writer
	a          *Aggregate
	start, end string
	otherPages string
}

// row writes one count; base gives the percentage, value the mean column.
func (c csvRows) row(table, question, category, sub, label string, n Count, base *Count, value *float64) {
	count, pct := "", ""
	if !n.Suppressed {
		count = itoa(n.N)
		if base != nil {
			if p, ok := n.Percent(*base); ok {
				pct = strconv.FormatFloat(p, 'f', 1, 64)
			}
		}
	}
	v := ""
	if value != nil {
		v = strconv.FormatFloat(*value, 'f', 1, 64)
	}
	// The text cells may hold what people wrote (terms, option values of
	// earlier versions, page addresses): defused for spreadsheets as every
	// CSV of Consulta is. The numbers are written here and stay numbers.
	text := []string{c.a.FormID, table, question, category, sub, label}
	for i := range text {
		text[i] = export.Neutralize(text[i])
	}
	_ = c.w.Write([]string{text[0], c.start, c.end, text[1], text[2], text[3], text[4], text[5], count, pct, v, strconv.FormatBool(n.Suppressed)})
}

func (c csvRows) cells(table string, cells []Cell, base Count) {
	for _, x := range cells {
		c.row(table, "", x.Key, "", x.Label, x.Count, &base, nil)
	}
}

func (c csvRows) write(a *Aggregate) {
	c.row("responses", "", "", "", "", a.Responses, nil, nil)
	c.cells("channel", a.Channels, a.Responses)
	c.cells("language", a.Languages, a.Responses)
	c.cells("department", a.Departments, a.Responses)
	c.cells("page", a.Pages, a.Responses)
	c.cells("status", a.Statuses, a.Responses)
	for _, x := range a.Series {
		c.row("series", "", x.Key, a.Interval, x.Label, x.Count, &a.Responses, nil)
	}
	for _, q := range a.Questions {
		c.row("answered", q.ID, "", "", q.Label, q.Answered, &a.Responses, nil)
		for _, o := range q.Options {
			c.row("option", q.ID, o.Key, "", o.Label, o.Count, &q.Answered, nil)
		}
		if q.Mean != nil {
			c.row("mean", q.ID, "", "", q.Label, q.Answered, nil, q.Mean)
		}
		for _, t := range q.Terms {
			c.row("term", q.ID, t.Term, "", t.Term, Count{N: t.Count}, &q.Answered, nil)
		}
	}
	if pr := a.PageRanking; pr != nil {
		for _, r := range pr.Rows {
			label := r.Page
			if label == "" {
				label = c.otherPages
			}
			c.row("page_usefulness", pr.Question, r.Page, "total", label, r.Total, nil, nil)
			c.row("page_usefulness", pr.Question, r.Page, "no", label, r.No, &r.Total, nil)
			c.row("page_usefulness", pr.Question, r.Page, "yes", label, r.Yes, &r.Total, nil)
		}
	}
	if n := a.Needs; n != nil {
		for _, r := range n.Rows {
			c.row("needs", n.Question, r.Key, "rated", r.Label, r.Rated, nil, nil)
			c.row("needs", n.Question, r.Key, "hard", r.Label, r.Hard, &r.Rated, nil)
		}
	}
}
