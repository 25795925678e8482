package report

import (
	"io"
	"time"
)

// WritePublicHTML writes the accessible HTML page of an open-data aggregate
// (package opendata, for /datos): the report's own layout and renderer, drawn
// from what the CSV and JSON files publish and nothing more. What people
// wrote never leaves the workspace, so the sample answers, the themes (whose
// examples are answers) and the comments of those who said "no" are dropped
// before the layout, whatever the aggregate holds. There is no PDF to link.
func WritePublicHTML(w io.Writer, a *Aggregate, l Labels, generated time.Time, org string) error {
	doc := Document(publicOnly(a), l, DocumentOptions{Generated: generated, Org: org})
	return WriteHTML(w, doc, l, a.K, TwinOptions{})
}

// publicOnly returns a copy of a without the texts people wrote: what
// WriteJSON leaves out (its json:"-" fields), so the page publishes what the
// files do.
func publicOnly(a *Aggregate) *Aggregate {
	out := *a
	out.Previous = nil
	out.Questions = make([]*QuestionResult, len(a.Questions))
	for i, q := range a.Questions {
		c := *q
		c.Samples, c.SampleAnswers, c.Themes = nil, nil, nil
		out.Questions[i] = &c
	}
	if a.PageRanking != nil {
		r := *a.PageRanking
		r.Rows = make([]PageRow, len(a.PageRanking.Rows))
		for i, row := range a.PageRanking.Rows {
			row.Comments = nil
			r.Rows[i] = row
		}
		out.PageRanking = &r
	}
	return &out
}
