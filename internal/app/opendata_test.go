package app_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/consulta/consulta/internal/app"
	"github.com/consulta/consulta/internal/config"
	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/report"
)

// bootIn boots the whole program on the data directory dir with extra
// configuration; stop shuts it down (also at the end of the test).
func bootIn(t *testing.T, dir string, extra map[string]string) (a *app.App, base string, stop func()) {
	t.Helper()
	return bootConfig(t, testConfig(t, dir, extra))
}

// bootConfig boots the whole program with cfg; stop shuts it down (also at
// the end of the test or benchmark).
func bootConfig(tb testing.TB, cfg *config.Config) (a *app.App, base string, stop func()) {
	tb.Helper()
	a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		tb.Fatalf("app.New: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		client.CloseIdleConnections()
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("Run: %v", err)
		}
		if err := a.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	}
	tb.Cleanup(stop)
	return a, "http://" + a.Addr().String(), stop
}

// TestOpenData boots the program on responses of two past semesters: before
// any materializer ran, /datos says the files are being prepared (503); a
// fresh process with the scheduler on makes them in the background, and then
// every published semester is served from its snapshot (CSV and JSON, 304 on
// its ETag), the semester under way is refused (404), and the old month
// ranges get a message that says what is published (400).
func TestOpenData(t *testing.T) {
	loc, err := time.LoadLocation(consulta.DefaultTimeZone)
	if err != nil {
		t.Fatal(err)
	}
	latest := report.LatestPublished(time.Now(), loc)
	prev, current := latest.Prev(), latest.Next()
	dir := t.TempDir()
	const form = "necesidades-informacion"

	// First process: no scheduled jobs, so no materializer.
	_, base, stop := bootIn(t, dir, nil)
	for _, s := range []struct {
		p    report.Semester
		n    int
		seed string
	}{{prev, 80, "21"}, {latest, 60, "22"}, {current, 9, "23"}} {
		from, to := s.p.Bounds(loc)
		if yesterday := time.Now().In(loc).AddDate(0, 0, -1); to.After(yesterday) {
			// The semester under way: the days already over, if any.
			if to = time.Date(yesterday.Year(), yesterday.Month(), yesterday.Day(), 0, 0, 0, 0, loc); !to.After(from) {
				continue
			}
		}
		seedCLI(t, dir, form, s.n, from, to, s.seed)
	}
	status, h, body := do(t, "GET", base+"/datos/"+form+".csv?period="+latest.String()+"&lang=en", "", nil, nil)
	if status != http.StatusServiceUnavailable || h.Get("Retry-After") == "" || !strings.Contains(body, "being prepared") {
		t.Fatalf("before materialization: status %d, Retry-After %q, %.300s", status, h.Get("Retry-After"), body)
	}
	if status, _, body := do(t, "GET", base+"/datos?lang=es", "", nil, nil); status != 200 || !strings.Contains(body, "En preparación") {
		t.Errorf("index before materialization: status %d", status)
	}
	stop()

	// A fresh process with the scheduler on.
	a, base, _ := bootIn(t, dir, map[string]string{"CONSULTA_SCHEDULER": "true"})
	file := func(path string, header map[string]string) (int, http.Header, string) {
		t.Helper()
		return do(t, "GET", base+"/datos/"+path, "", nil, header)
	}
	url := form + ".csv?period=" + latest.String() + "&lang=en"
	// The first pass is over when the index has nothing left being prepared.
	waitFor(t, 2*time.Minute, func() bool {
		status, _, body := do(t, "GET", base+"/datos?lang=en", "", nil, nil)
		return status == 200 && !strings.Contains(body, "Being prepared")
	})

	status, h, body = file(url, nil)
	if status != 200 {
		t.Fatalf("GET %s = %d, want 200", url, status)
	}
	for header, want := range map[string]string{
		"Content-Type": "text/csv; charset=utf-8", "Cache-Control": "max-age=3600",
		"Content-Disposition": `attachment; filename="` + form + "-" + latest.String() + `-en.csv"`, "ETag": `"`,
	} {
		if !strings.Contains(h.Get(header), want) {
			t.Errorf("%s = %q, want %q in it", header, h.Get(header), want)
		}
	}
	checkOpenDataCSV(t, body, 60)

	t.Run("etag", func(t *testing.T) {
		status, _, body := file(url, map[string]string{"If-None-Match": h.Get("ETag")})
		if status != http.StatusNotModified || body != "" {
			t.Errorf("If-None-Match: status %d, %d bytes", status, len(body))
		}
		if status, _, _ := file(url, map[string]string{"If-None-Match": `"other"`}); status != 200 {
			t.Errorf("another ETag: status %d", status)
		}
	})

	t.Run("json, and no period is the latest", func(t *testing.T) {
		for path, want := range map[string]int{form + ".json?period=" + prev.String(): 80, form + ".json": 60} {
			status, h, body := file(path, nil)
			var doc struct {
				Form      string
				Responses struct{ N int }
			}
			if status != 200 || !strings.Contains(h.Get("Content-Type"), "application/json") || json.Unmarshal([]byte(body), &doc) != nil {
				t.Fatalf("%s: status %d %.200s", path, status, body)
			}
			if doc.Form != form || doc.Responses.N != want {
				t.Errorf("%s: form %q, responses %d, want %d", path, doc.Form, doc.Responses.N, want)
			}
		}
	})

	t.Run("html page", func(t *testing.T) {
		// The public twin: the report's layout of the published figures,
		// with tables for charts and none of what people wrote.
		status, h, body := file(form+".html?period="+latest.String()+"&lang=es", nil)
		if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/html") || h.Get("Content-Disposition") != "" || h.Get("ETag") == "" {
			t.Fatalf("status %d, Content-Type %q, Content-Disposition %q", status, h.Get("Content-Type"), h.Get("Content-Disposition"))
		}
		for _, want := range []string{`<html lang="es">`, "<caption>", `<th scope="col">`, "Ministerio de Educación", "<h2"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		if strings.Contains(body, "<blockquote") || strings.Contains(body, "<script") || strings.Contains(body, ".pdf") {
			t.Errorf("the public page quotes answers, runs a script or links a PDF:\n%.2000s", body)
		}
	})

	t.Run("index", func(t *testing.T) {
		for _, tc := range []struct{ lang, want string }{
			{"es", "Datos abiertos"}, {"en", "Open data"}, {"quc", form},
		} {
			status, _, body := do(t, "GET", base+"/datos?lang="+tc.lang, "", nil, nil)
			if status != 200 || !strings.Contains(body, tc.want) || !strings.Contains(body, `lang="`+tc.lang+`"`) ||
				!strings.Contains(body, "/datos/"+form+".csv?lang="+tc.lang+"&amp;period="+prev.String()) ||
				!strings.Contains(body, "/datos/"+form+".json?lang="+tc.lang+"&amp;period="+latest.String()) ||
				!strings.Contains(body, "/datos/"+form+".html?lang="+tc.lang+"&amp;period="+latest.String()) ||
				strings.Contains(body, "period="+current.String()) || !strings.Contains(body, "period_start") {
				t.Errorf("%s: status %d, %s", tc.lang, status, body)
			}
		}
	})

	t.Run("refusals", func(t *testing.T) {
		published := latest.String() + ", " + prev.String()
		for _, tc := range []struct {
			name, path string
			status     int
			want       string
		}{
			{"the semester under way", form + ".csv?period=" + current.String() + "&lang=en", 404, "Semesters published for this form: " + published},
			{"before the first responses", form + ".json?period=" + prev.Prev().String() + "&lang=es", 404, "no está publicado"},
			{"months", form + ".csv?from=" + time.Now().Format("2006-01") + "&lang=es", 400, "Semestres publicados de este formulario: " + published},
			{"a form without responses", "sugerencias.csv?lang=en", 404, "none yet"},
			{"unknown form", "nope.csv", 404, ""},
			{"unknown format", form + ".xml", 404, ""},
		} {
			status, _, body := file(tc.path, nil)
			if status != tc.status || !strings.Contains(body, tc.want) {
				t.Errorf("%s: status %d, want %d with %q", tc.name, status, tc.status, tc.want)
			}
		}
	})

	t.Run("metrics", func(t *testing.T) {
		n, err := testutil.GatherAndCount(a.Metrics().Registry(), "consulta_opendata_jobs_total")
		if err != nil || n == 0 {
			t.Errorf("materializer jobs in /metrics: %d series, %v", n, err)
		}
	})
}

// checkOpenDataCSV checks a /datos CSV: the documented header, the total, and
// no count under k, with at least one suppressed.
func checkOpenDataCSV(t *testing.T, body string, total int) {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], report.CSVHeader()) {
		t.Fatalf("header %v", rows[0])
	}
	suppressed := 0
	for _, r := range rows[1:] {
		table, count, hidden := r[3], r[8], r[11] == "true"
		if table == "responses" && count != strconv.Itoa(total) {
			t.Errorf("responses = %q, want %d", count, total)
		}
		if hidden {
			suppressed++
			if count != "" || r[9] != "" {
				t.Errorf("a suppressed row shows a number: %v", r)
			}
			continue
		}
		if n, err := strconv.Atoi(count); err == nil && n > 0 && n < report.DefaultK {
			t.Errorf("a count under k published: %v", r)
		}
	}
	if suppressed == 0 {
		t.Error("no suppressed cell: the test data do not test suppression")
	}
}

// waitFor polls cond until it holds, failing the test after timeout.
func waitFor(t *testing.T, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not done after %v", timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
