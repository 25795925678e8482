// Package scale holds the benchmarks that measure Consulta at the size a busy
// portal reaches: a year of responses (1,000,000 by default: 900,000 answers to
// the page-usefulness widget and 50,000 to each other shipped form) in the
// embedded store on disk, as `consulta serve` runs it. They need a data
// directory seeded once (minutes), named by CONSULTA_SCALE_DIR; without it they
// skip. docs/performance.md has the commands and the figures.
package scale

import (
	"context"
	"io"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/shippedtest"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/embedded"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
	"github.com/consulta/consulta/internal/locale"
	"github.com/consulta/consulta/internal/store"
)

// env is the seeded store and what the features read it with.
type env struct {
	st    *store.Store
	forms *forms.Registry
	geo   *geo.Catalog
	tr    *locale.Translator
	loc   *time.Location
}

// openEnv opens the data directory named by CONSULTA_SCALE_DIR.
func openEnv(b *testing.B) *env {
	b.Helper()
	dir := os.Getenv("CONSULTA_SCALE_DIR")
	if dir == "" {
		b.Skip("CONSULTA_SCALE_DIR names no seeded data directory (docs/performance.md)")
	}
	ctx := context.Background()
	srv, err := embedded.Open(ctx, dir, "127.0.0.1:0", nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Close() })
	st, err := store.Open(ctx, store.Options{URI: srv.URI(), EmbeddedDir: srv.StoreDir()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = st.Close(context.Background()) })
	reg, tr, cat := shippedtest.Catalogs(b)
	loc, err := time.LoadLocation("America/Guatemala")
	if err != nil {
		b.Fatal(err)
	}
	return &env{st: st, forms: reg, geo: cat, tr: tr, loc: loc}
}

// latencies collects durations and reports their percentiles.
type latencies []time.Duration

func (l *latencies) time(b *testing.B, fn func() error) {
	start := time.Now()
	if err := fn(); err != nil {
		b.Fatal(err)
	}
	*l = append(*l, time.Since(start))
}

func (l latencies) report(b *testing.B) {
	s := slices.Clone(l)
	slices.Sort(s)
	at := func(p float64) float64 {
		return float64(s[min(len(s)-1, int(p*float64(len(s))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
	b.ReportMetric(float64(s[len(s)-1].Microseconds())/1000, "max-ms")
	b.ReportMetric(0, "ns/op") // the percentiles say it better
}

// month is a calendar month in the middle of the seeded year.
func (e *env) month() (time.Time, time.Time) {
	from := time.Date(2026, 6, 1, 0, 0, 0, 0, e.loc)
	return from, from.AddDate(0, 1, 0)
}

// sessionOf finds the code of a focus-group session of a form in the data.
func (e *env) sessionOf(b *testing.B, formID string) string {
	p, err := e.st.ResponsePage(context.Background(),
		consulta.ResponseFilter{FormID: formID, Channel: consulta.ChannelFocusGroup}, consulta.PageKey{}, 1)
	if err != nil || len(p.Responses) == 0 {
		b.Fatalf("no focus-group response of %s in the data: %v", formID, err)
	}
	return p.Responses[0].Session
}

// discard is an io.Writer that counts what it is given.
type discard struct{ n int64 }

func (d *discard) Write(p []byte) (int, error) { d.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*discard)(nil)
