package app_test

import (
	"bytes"
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
	"github.com/consulta/consulta/internal/report"
	"github.com/consulta/consulta/internal/schedule"
)

// bootWith boots the whole program like boot, with extra configuration.
func bootWith(t *testing.T, extra map[string]string) (*app.App, string, string) {
	t.Helper()
	dir := t.TempDir()
	cfg := testConfig(t, dir, extra)
	a, err := app.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		if err := a.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return a, "http://" + a.Addr().String(), dir
}

// lastMonths returns the first days of the month n months before the current
// one and of the current one, in Guatemala: n complete months.
func lastMonths(t *testing.T, n int) (time.Time, time.Time) {
	loc, err := time.LoadLocation("America/Guatemala")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(loc)
	this := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
	return this.AddDate(0, -n, 0), this
}

// seedCLI stores n synthetic responses to form over [from, to) through
// consulta seed against the running server's store.
func seedCLI(t *testing.T, dir, form string, n int, from, to time.Time, seed string) {
	t.Helper()
	var out bytes.Buffer
	args := []string{"seed", "--form", form, "--n", strconv.Itoa(n), "--seed", seed,
		"--from", from.Format(time.DateOnly), "--to", to.AddDate(0, 0, -1).Format(time.DateOnly)}
	if code := runCLI(t, args, testConfigEnv(&running{dir: dir}), &out); code != 0 {
		t.Fatalf("seed: exit %d %s", code, out.String())
	}
}

// TestOpenData: /datos lists the forms in the person's language; the CSV has
// the documented header, the seeded total and no count under k; the ETag
// gives 304; bad dates are refused with a localized message.
func TestOpenData(t *testing.T) {
	_, base, dir := bootWith(t, nil)
	from, to := lastMonths(t, 2)
	seedCLI(t, dir, "necesidades-informacion", 80, from, to, "21")
	seedCLI(t, dir, "necesidades-informacion", 9, to, to.AddDate(0, 0, 1), "22") // this month: never published
	month := func(t time.Time) string { return t.Format("2006-01") }
	last := to.AddDate(0, -1, 0)

	t.Run("index", func(t *testing.T) {
		for _, tc := range []struct{ lang, want string }{
			{"es", "Datos abiertos"}, {"en", "Open data"}, {"quc", "necesidades-informacion"},
		} {
			status, h, body := do(t, "GET", base+"/datos?lang="+tc.lang, "", nil, nil)
			if status != 200 || !strings.Contains(body, tc.want) || !strings.Contains(body, `lang="`+tc.lang+`"`) {
				t.Errorf("%s: status %d, want %q in %.300s", tc.lang, status, tc.want, body)
			}
			if !strings.Contains(h.Get("Content-Type"), "text/html") || !strings.Contains(body, "period_start") ||
				!strings.Contains(body, "/datos/utilidad-pagina.csv?") {
				t.Errorf("%s: no files or columns listed", tc.lang)
			}
		}
	})

	url := base + "/datos/necesidades-informacion.csv?from=" + month(from) + "&to=" + month(last) + "&lang=en"
	status, h, body := do(t, "GET", url, "", nil, nil)
	if status != 200 {
		t.Fatalf("csv: status %d %s", status, body)
	}
	for header, want := range map[string]string{
		"Content-Type": "text/csv; charset=utf-8", "Content-Disposition": "attachment; filename=",
		"Cache-Control": "max-age=", "ETag": `"`,
	} {
		if !strings.Contains(h.Get(header), want) {
			t.Errorf("%s = %q, want %q in it", header, h.Get(header), want)
		}
	}
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
		if table == "responses" && count != "80" {
			t.Errorf("responses = %q, want 80 (this month's left out)", count)
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
		t.Error("80 responses over many options and no suppressed cell: the test data do not test suppression")
	}

	t.Run("etag", func(t *testing.T) {
		status, _, body := do(t, "GET", url, "", nil, map[string]string{"If-None-Match": h.Get("ETag")})
		if status != http.StatusNotModified || body != "" {
			t.Errorf("If-None-Match: status %d, %d bytes", status, len(body))
		}
		status, _, _ = do(t, "GET", url, "", nil, map[string]string{"If-None-Match": `"other"`})
		if status != 200 {
			t.Errorf("another ETag: status %d", status)
		}
	})

	t.Run("json", func(t *testing.T) {
		status, h, body := do(t, "GET", strings.Replace(url, ".csv", ".json", 1), "", nil, nil)
		var doc struct {
			Form      string
			Responses struct{ N int }
		}
		if status != 200 || !strings.Contains(h.Get("Content-Type"), "application/json") || json.Unmarshal([]byte(body), &doc) != nil {
			t.Fatalf("json: status %d %.200s", status, body)
		}
		if doc.Form != "necesidades-informacion" || doc.Responses.N != 80 {
			t.Errorf("json: form %q, responses %d", doc.Form, doc.Responses.N)
		}
	})

	t.Run("refusals", func(t *testing.T) {
		for _, tc := range []struct {
			name, path string
			status     int
			want       string
		}{
			{"bad date es", "/datos/sugerencias.csv?from=ayer&lang=es", 400, "Fecha no válida"},
			{"bad date en", "/datos/sugerencias.json?to=2026-13-40&lang=en", 400, "Invalid date"},
			{"current month", "/datos/sugerencias.csv?from=" + month(to) + "&lang=en", 422, "no complete month"},
			{"unknown form", "/datos/nope.csv", 404, ""},
			{"unknown format", "/datos/sugerencias.xml", 404, ""},
		} {
			status, _, body := do(t, "GET", base+tc.path, "", nil, nil)
			if status != tc.status || !strings.Contains(body, tc.want) {
				t.Errorf("%s: status %d, want %d with %q", tc.name, status, tc.status, tc.want)
			}
		}
	})
}

// TestScheduledReports boots with the scheduler on: executing a period
// stores a report for the form with responses and none for the others (the
// run names them), the archive lists it, the run is in the history and in
// the metrics; a second Execute is a no-op.
func TestScheduledReports(t *testing.T) {
	a, _, dir := bootWith(t, map[string]string{"CONSULTA_SCHEDULER": "true"})
	if a.Reports() == nil {
		t.Fatal("scheduler on, but no report scheduler")
	}
	from, to := lastMonths(t, 1)
	seedCLI(t, dir, "sugerencias", 30, from, to, "31")
	p, err := schedule.PeriodBefore(schedule.Monthly, time.Now(), from.Location())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	run, err := a.Reports().Execute(ctx, p)
	if err != nil || run == nil || run.Status != schedule.StatusDone {
		t.Fatalf("Execute: %+v, %v", run, err)
	}
	list, err := a.Reports().Archive().List(ctx, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || len(run.Empty) != len(a.Forms().All())-1 || slices.Contains(run.Empty, "sugerencias") {
		t.Fatalf("archive lists %d reports, forms without responses %v: want one report, of sugerencias", len(list), run.Empty)
	}
	for _, r := range list {
		if r.Run != p.ID || r.Lang != "es" || !r.From.Equal(p.From) {
			t.Errorf("stored report %+v", r)
		}
		if r.FormID == "sugerencias" && r.Responses != 30 {
			t.Errorf("sugerencias: %d responses, want 30", r.Responses)
		}
	}
	again, err := a.Reports().Execute(ctx, p)
	if err != nil || again != nil {
		t.Errorf("a done run ran again: %+v, %v", again, err)
	}
	runs, err := testutil.GatherAndCount(a.Metrics().Registry(), "consulta_report_runs_total")
	if err != nil || runs != 1 {
		t.Errorf("report runs in metrics: %d series, %v", runs, err)
	}
}
