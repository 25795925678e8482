package scale

import (
	"context"
	"testing"

	"github.com/consulta/consulta/internal/consulta"
)

// pageSize is the responses browser's page (internal/workspace).
const pageSize = 25

// BenchmarkBrowse measures what one page of /admin/responses asks of the
// store (store.Browse, as the handler calls it) for every filter the page offers and combinations of them: the first
// page, and the next one from its position. Run with -benchtime Nx; each
// sub-benchmark reports p50, p95 and max in milliseconds.
func BenchmarkBrowse(b *testing.B) {
	e := openEnv(b)
	from, to := e.month()
	widget, needs, box := "utilidad-pagina", "necesidades-informacion", "sugerencias"
	filters := []struct {
		name string
		f    consulta.ResponseFilter
	}{
		{"none", consulta.ResponseFilter{}},
		{"form=widget", consulta.ResponseFilter{FormID: widget}},
		{"form=box", consulta.ResponseFilter{FormID: box}},
		{"month", consulta.ResponseFilter{From: from, To: to}},
		{"form=needs+month", consulta.ResponseFilter{FormID: needs, From: from, To: to}},
		{"lang=quc", consulta.ResponseFilter{Lang: "quc"}},
		{"lang=en+form=box", consulta.ResponseFilter{Lang: "en", FormID: box}},
		{"department=01", consulta.ResponseFilter{Department: "01"}},
		{"form=needs+department=16", consulta.ResponseFilter{FormID: needs, Department: "16"}},
		{"channel=focus_group", consulta.ResponseFilter{Channel: consulta.ChannelFocusGroup}},
		{"form=box+channel=import", consulta.ResponseFilter{FormID: box, Channel: consulta.ChannelImport}},
		{"session", consulta.ResponseFilter{Session: e.sessionOf(b, needs)}},
		{"status=answered", consulta.ResponseFilter{Status: consulta.StatusAnswered}},
		{"form=box+status=in_review", consulta.ResponseFilter{FormID: box, Status: consulta.StatusInReview}},
		{"text=presupuesto", consulta.ResponseFilter{Text: "presupuesto"}},
		{"text=nowhere", consulta.ResponseFilter{Text: "xqzwv"}},
		{"form=widget+lang=quc+month", consulta.ResponseFilter{FormID: widget, Lang: "quc", From: from, To: to}},
		{"form=needs+department+lang+status", consulta.ResponseFilter{FormID: needs, Department: "01", Lang: "en", Status: consulta.StatusNew}},
		{"form=widget+department=01 (none)", consulta.ResponseFilter{FormID: widget, Department: "01"}},
		{"form=box+text+month", consulta.ResponseFilter{FormID: box, Text: "escuela", From: from, To: to}},
	}
	for _, tt := range filters {
		first, err := e.st.ResponsePage(context.Background(), tt.f, consulta.PageKey{}, pageSize)
		if err != nil {
			b.Fatal(err)
		}
		for _, pos := range []struct {
			name  string
			after consulta.PageKey
		}{{"first", consulta.PageKey{}}, {"next", first.Next}} {
			if pos.name == "next" && first.Next.IsZero() {
				continue
			}
			b.Run(tt.name+"/"+pos.name, func(b *testing.B) {
				var l latencies
				var rows int
				var partial bool
				for range b.N {
					l.time(b, func() error {
						p, _, err := e.st.Browse(context.Background(), tt.f, pos.after, pageSize)
						if err != nil {
							return err
						}
						rows, partial = len(p.Responses), p.Partial
						return nil
					})
				}
				l.report(b)
				b.ReportMetric(float64(rows), "rows")
				if partial {
					b.ReportMetric(1, "partial")
				}
			})
		}
	}
}

// BenchmarkLookup measures the reads by key: a response's page (Response), a
// duplicate check of an import (ExistingResponses of 100 IDs) and an
// idempotent replay (InsertResponse with the ID of a stored response, which
// writes nothing and returns the stored one).
func BenchmarkLookup(b *testing.B) {
	e := openEnv(b)
	ctx := context.Background()
	p, err := e.st.ResponsePage(ctx, consulta.ResponseFilter{FormID: "utilidad-pagina"}, consulta.PageKey{}, 100)
	if err != nil {
		b.Fatal(err)
	}
	var ids []string
	for _, r := range p.Responses {
		ids = append(ids, r.ID)
	}
	b.Run("response", func(b *testing.B) {
		var l latencies
		for i := range b.N {
			l.time(b, func() error { _, err := e.st.Response(ctx, ids[i%len(ids)]); return err })
		}
		l.report(b)
	})
	b.Run("import-check-100", func(b *testing.B) {
		var l latencies
		for range b.N {
			l.time(b, func() error {
				found, err := e.st.ExistingResponses(ctx, ids)
				if err == nil && len(found) != len(ids) {
					b.Fatalf("found %d of %d", len(found), len(ids))
				}
				return err
			})
		}
		l.report(b)
	})
	b.Run("replay", func(b *testing.B) {
		var l latencies
		for i := range b.N {
			stored := p.Responses[i%len(p.Responses)]
			replay := *stored
			l.time(b, func() error {
				_, created, err := e.st.InsertResponse(ctx, &replay, nil)
				if err == nil && created {
					b.Fatal("a replay stored a new response")
				}
				return err
			})
		}
		l.report(b)
	})
}
