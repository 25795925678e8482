package report

import (
	"bufio"
	"context"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/embedded"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
	"github.com/consulta/consulta/internal/locale"
	"github.com/consulta/consulta/internal/seed"
	"github.com/consulta/consulta/internal/store"
	"github.com/consulta/consulta/locales"
)

// BenchmarkReport measures, in one run and on the same data, the report of
// necesidades-informacion for a semester against the time merely to read the
// same responses through the driver. The data live in an embedded FerretDB on
// disk, as `consulta serve` runs it, in this process.
//
//	go test -run '^$' -bench BenchmarkReport -benchtime 1x ./internal/report/
//
// CONSULTA_BENCH_N sets the number of responses (default 100,000);
// CONSULTA_BENCH_DIR keeps the data directory between runs (seeded once).
// See docs/performance.md for the figures.
func BenchmarkReport(b *testing.B) {
	n := 100_000
	if s := os.Getenv("CONSULTA_BENCH_N"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil {
			b.Fatalf("CONSULTA_BENCH_N: %v", err)
		}
		n = v
	}
	dir := os.Getenv("CONSULTA_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	ctx := context.Background()
	srv, err := embedded.Open(ctx, dir, "127.0.0.1:0", nil)
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	st, err := store.Open(ctx, store.Options{URI: srv.URI(), Database: "bench", OpTimeout: time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close(ctx)
	reg, err := forms.LoadDir("../../forms")
	if err != nil {
		b.Fatal(err)
	}
	cat, _ := geo.Load()
	tr, err := locale.Load(locales.FS, reg.All())
	if err != nil {
		b.Fatal(err)
	}
	loc, _ := time.LoadLocation(DefaultTimeZone)
	f, _ := reg.Get("necesidades-informacion")
	from, to, prevFrom := semester(loc)
	benchSeed(b, st, f, cat, n, from, to)

	deps := Deps{Source: st, Forms: reg, Translator: tr, Geo: cat, Location: loc}
	filter := store.ResponseFilter{FormID: f.ID, From: prevFrom, To: to}
	b.ResetTimer()
	for range b.N {
		// Two interleaved rounds, keeping the faster of each: the machine is
		// shared, and a single read can be slowed by a neighbour.
		var raw, each, rep sample
		for range 2 {
			var read int64
			raw.keep(measure(b, func() error {
				read = 0
				return rawRead(ctx, st, filter, &read)
			}))
			each.keep(measure(b, func() error {
				return st.EachResponse(ctx, filter, nil, func(*consulta.Response) error { return nil })
			}))
			var a *Aggregate
			rep.keep(measure(b, func() error {
				var err error
				a, err = Generate(ctx, deps, Params{FormID: f.ID, From: from, To: to, Lang: "es"}, io.Discard, nil)
				return err
			}))
			if read != int64(n) || a.Responses.N != int64(n) {
				b.Fatalf("read %d, reported %d, want %d", read, a.Responses.N, n)
			}
		}
		b.ReportMetric(raw.best.Seconds(), "raw-s")
		b.ReportMetric(each.best.Seconds(), "decode-s")
		b.ReportMetric(rep.best.Seconds(), "report-s")
		b.ReportMetric(rep.best.Seconds()/raw.best.Seconds(), "report/raw")
		b.ReportMetric(float64(raw.peak)/(1<<20), "raw-peak-MB")
		b.ReportMetric(float64(each.peak)/(1<<20), "decode-peak-MB")
		b.ReportMetric(float64(rep.peak)/(1<<20), "report-peak-MB")
	}
}

// sample keeps the best time and the highest memory peak of repeated runs.
type sample struct {
	best time.Duration
	peak int64
}

func (s *sample) keep(d time.Duration, peak int64) {
	if s.best == 0 || d < s.best {
		s.best = d
	}
	s.peak = max(s.peak, peak)
}

// benchSeed stores n responses of f in [from, to) unless they are there.
func benchSeed(b *testing.B, st *store.Store, f *forms.Form, cat *geo.Catalog, n int, from, to time.Time) {
	ctx := context.Background()
	have, err := st.CountResponses(ctx, store.ResponseFilter{FormID: f.ID})
	if err != nil {
		b.Fatal(err)
	}
	if have == int64(n) {
		return
	}
	if have != 0 {
		b.Fatalf("the data directory holds %d responses, not %d: use another CONSULTA_BENCH_DIR", have, n)
	}
	start := time.Now()
	err = seed.GenerateBatches(f, cat, n, from, to, rand.New(rand.NewPCG(2026, 1)), 5000,
		func(rs []*consulta.Response, cs []*consulta.Contact) error {
			_, err := st.InsertResponses(ctx, rs, cs)
			return err
		})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d responses in %v", n, time.Since(start).Round(time.Second))
}

// rawRead reads the responses through the driver without decoding them: the
// floor any report has to pay.
func rawRead(ctx context.Context, st *store.Store, f store.ResponseFilter, read *int64) error {
	filter := bson.D{{Key: "form", Value: f.FormID}, {Key: "received_at", Value: bson.D{
		{Key: "$gte", Value: f.From.UTC()}, {Key: "$lt", Value: f.To.UTC()}}}}
	cur, err := st.DB().Collection("responses").Find(ctx, filter)
	if err != nil {
		return err
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		*read++
	}
	return cur.Err()
}

// measure runs fn and returns its duration and the process's peak resident
// memory while it ran (Linux: /proc/self/clear_refs resets the peak). The
// embedded store runs in this process, so the peak includes it.
func measure(b *testing.B, fn func() error) (time.Duration, int64) {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	start := time.Now()
	if err := fn(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start), peakRSS()
}

// peakRSS reads VmHWM from /proc/self/status, in bytes (0 elsewhere).
func peakRSS() int64 {
	fh, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
