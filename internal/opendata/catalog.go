package opendata

import (
	"cmp"
	"context"
	"slices"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"

	"github.com/consulta/consulta/internal/report"
)

// formEntry is the catalog entry of formID, or nil.
func formEntry(cat *consulta.OpenDataCatalog, formID string) *consulta.OpenDataForm {
	for i := range cat.Forms {
		if cat.Forms[i].FormID == formID {
			return &cat.Forms[i]
		}
	}
	return nil
}

// ensureFormEntry is the catalog entry of formID, added when missing.
func ensureFormEntry(cat *consulta.OpenDataCatalog, formID string) *consulta.OpenDataForm {
	if e := formEntry(cat, formID); e != nil {
		return e
	}
	cat.Forms = append(cat.Forms, consulta.OpenDataForm{FormID: formID})
	return &cat.Forms[len(cat.Forms)-1]
}

// periodEntry is the entry of period in e, or nil.
func periodEntry(e *consulta.OpenDataForm, period string) *consulta.OpenDataPeriod {
	if e == nil {
		return nil
	}
	for i := range e.Periods {
		if e.Periods[i].Period == period {
			return &e.Periods[i]
		}
	}
	return nil
}

// setPeriod records p in e, replacing its earlier entry, oldest period first.
func setPeriod(e *consulta.OpenDataForm, p consulta.OpenDataPeriod) {
	if old := periodEntry(e, p.Period); old != nil {
		*old = p
		return
	}
	e.Periods = append(e.Periods, p)
	// "YYYY-SN" sorts as the semesters do.
	slices.SortFunc(e.Periods, func(a, b consulta.OpenDataPeriod) int { return cmp.Compare(a.Period, b.Period) })
}

// earlier is the earlier of two semesters written "YYYY-SN", "" being none.
// The first published semester of a form only ever moves back (responses
// imported with older dates), so a period once published stays published
// even if its responses are later removed.
func earlier(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "" || a < b:
		return a
	}
	return b
}

// counts is the number of responses of one form by semester.
type counts map[report.Semester]int64

// first is the first semester with responses, "" when none has any.
func (c counts) first() string {
	var first report.Semester
	for p, n := range c {
		if n > 0 && (first.IsZero() || p.Before(first)) {
			first = p
		}
	}
	return first.String()
}

// count counts formID's responses in every semester up to latest that has
// any: semester by semester backwards from latest, until those counted make
// up all the responses received before latest ended (or, should responses be
// removed meanwhile, until 1970). Each count is answered from an index.
func (m *Materializer) count(ctx context.Context, formID string, latest report.Semester) (counts, error) {
	_, end := latest.Bounds(m.loc)
	total, err := m.cfg.Store.CountResponses(ctx, consulta.ResponseFilter{FormID: formID, To: end})
	if err != nil {
		return nil, err
	}
	out := counts{}
	for p := latest; total > 0 && p.Year >= 1970; p = p.Prev() {
		from, to := p.Bounds(m.loc)
		n, err := m.cfg.Store.CountResponses(ctx, consulta.ResponseFilter{FormID: formID, From: from, To: to})
		if err != nil {
			return nil, err
		}
		out[p] = n
		total -= n
	}
	return out, nil
}

// publishesStatuses reports whether f's files have a table of triage
// statuses, which change after the responses arrive.
func publishesStatuses(f *forms.Form) bool { return f.Kind == forms.KindSuggestion }

// fingerprint counts what a snapshot of f for p would aggregate: responses
// (n, counted already) and, when f publishes them, responses by status.
func (m *Materializer) fingerprint(ctx context.Context, f *forms.Form, p report.Semester, n int64) (consulta.OpenDataFingerprint, error) {
	fp := consulta.OpenDataFingerprint{Responses: n}
	if !publishesStatuses(f) || n == 0 {
		return fp, nil
	}
	from, to := p.Bounds(m.loc)
	for _, status := range consulta.TriageStatuses() {
		k, err := m.cfg.Store.CountResponses(ctx, consulta.ResponseFilter{FormID: f.ID, Status: status, From: from, To: to})
		if err != nil {
			return fp, err
		}
		if k > 0 {
			if fp.Statuses == nil {
				fp.Statuses = map[string]int64{}
			}
			fp.Statuses[status] = k
		}
	}
	return fp, nil
}

// sameFingerprint reports whether a and b count the same (a missing status
// counts zero).
func sameFingerprint(a, b consulta.OpenDataFingerprint) bool {
	if a.Responses != b.Responses {
		return false
	}
	for _, s := range consulta.TriageStatuses() {
		if a.Statuses[s] != b.Statuses[s] {
			return false
		}
	}
	return true
}
