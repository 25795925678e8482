package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/consulta/consulta/internal/app"
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
