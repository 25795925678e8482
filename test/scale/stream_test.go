package scale

import (
	"bufio"
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/export"
	"github.com/consulta/consulta/internal/report"
)

// BenchmarkExport streams every response of the widget (900,000 at the
// default size) three ways, in one run: "read" only reads them
// (store.EachResponse with a callback that does nothing: the store's raw
// read rate, rows decoded), "csv" and "jsonl" write the export to a counting
// sink as `consulta export` and the workspace download do. It reports
// responses per second and the process's peak resident memory (the embedded
// store runs in it).
func BenchmarkExport(b *testing.B) {
	e := openEnv(b)
	f, _ := e.forms.Get("utilidad-pagina")
	filter := consulta.ResponseFilter{FormID: f.ID}
	for _, format := range []string{"read", export.FormatCSV, export.FormatJSONL} {
		b.Run(format, func(b *testing.B) {
			for range b.N {
				var n int64
				out := &discard{}
				took, peak := measure(b, func() error {
					var w export.Writer
					if format != "read" {
						var err error
						if w, err = export.New(format, out, f, false); err != nil {
							return err
						}
					}
					err := e.st.EachResponse(context.Background(), filter, nil, func(r *consulta.Response) error {
						n++
						if w == nil {
							return nil
						}
						return w.Write(r, nil)
					})
					if err == nil && w != nil {
						err = w.Close()
					}
					return err
				})
				b.ReportMetric(float64(n)/took.Seconds(), "responses/s")
				b.ReportMetric(took.Seconds(), "s")
				b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
				b.ReportMetric(float64(out.n)/(1<<20), "out-MB")
			}
		})
	}
}

// BenchmarkReport draws the PDF report of a semester, comparison with the
// previous one included (report.Generate, as `consulta report` and the
// scheduler do), for the largest form and for a small one among the others.
func BenchmarkReport(b *testing.B) {
	e := openEnv(b)
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, e.loc)
	to := from.AddDate(0, 6, 0)
	deps := report.Deps{Source: e.st, Forms: e.forms, Translator: e.tr, Geo: e.geo, Location: e.loc}
	for _, formID := range []string{"utilidad-pagina", "sugerencias", "necesidades-informacion"} {
		b.Run(formID, func(b *testing.B) {
			for range b.N {
				var a *report.Aggregate
				out := &discard{}
				took, peak := measure(b, func() error {
					var err error
					a, err = report.Generate(context.Background(), deps,
						report.Params{FormID: formID, From: from, To: to, Lang: "es"}, out, nil)
					return err
				})
				b.ReportMetric(took.Seconds(), "s")
				b.ReportMetric(float64(a.Responses.N), "responses")
				b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
				b.ReportMetric(float64(out.n)/1024, "pdf-KB")
			}
		})
	}
}

// measure runs fn and returns its duration and the process's peak resident
// memory while it ran (Linux: writing 5 to /proc/self/clear_refs resets the
// peak).
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
