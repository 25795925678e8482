package metrics_test

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/export"
	"github.com/consulta/consulta/internal/intake"
	"github.com/consulta/consulta/internal/metrics"
)

// newApp serves fake submission routes that answer with the status asked for in
// the "want" query parameter, behind the metrics middleware.
func newApp(t *testing.T, logs io.Writer) (*fiber.App, *metrics.Metrics) {
	t.Helper()
	m, err := metrics.New()
	if err != nil {
		t.Fatal(err)
	}
	app := fiber.New(fiber.Config{DisableStartupMessage: true, ErrorHandler: func(c *fiber.Ctx, err error) error {
		if consulta.ErrorCode(err) == consulta.EUNAVAILABLE { // as the server's handler does
			return c.SendStatus(fiber.StatusServiceUnavailable)
		}
		return fiber.DefaultErrorHandler(c, err)
	}})
	// Every request is logged here, so that the tests below see every line.
	app.Use(m.Middleware(&metrics.RequestLog{Logger: slog.New(slog.NewJSONHandler(logs, nil)), SampleEvery: 1}))
	app.Get("/metrics", m.Handler())
	answer := func(c *fiber.Ctx) error {
		switch c.Query("want") {
		case "replayed":
			c.Set("Idempotent-Replayed", "true")
			return c.SendStatus(fiber.StatusCreated)
		case "unavailable":
			return consulta.Errorf(consulta.EUNAVAILABLE, "store down")
		case "invalid":
			return c.SendStatus(fiber.StatusUnprocessableEntity)
		case "redirect":
			return c.Redirect("/thanks", fiber.StatusSeeOther)
		}
		return c.SendStatus(fiber.StatusCreated)
	}
	app.Post("/api/v1/forms/:form/responses", answer)
	app.Post("/f/:form", answer)
	return app, m
}

// TestSubmissionsByFormChannelOutcome: the observer intake reports to counts
// each outcome under its form and channel (intake names them; the server's
// tests drive real submissions through it).
func TestSubmissionsByFormChannelOutcome(t *testing.T) {
	m, err := metrics.New()
	if err != nil {
		t.Fatal(err)
	}
	var observer intake.Observer = m
	observer.Submission("sugerencias", consulta.ChannelWidget, intake.OutcomeCreated)
	observer.Submission("sugerencias", consulta.ChannelWidget, intake.OutcomeCreated)
	observer.Submission("unknown", "", intake.OutcomeBadRequest)
	for _, tt := range []struct {
		form, channel, outcome string
		want                   float64
	}{
		{"sugerencias", "widget", "created", 2},
		{"unknown", "unknown", "bad_request", 1},
		{"sugerencias", "widget", "replayed", 0},
	} {
		if got := testutil.ToFloat64(m.Submissions(tt.form, tt.channel, tt.outcome)); got != tt.want {
			t.Errorf("submissions{%s,%s,%s} = %v, want %v", tt.form, tt.channel, tt.outcome, got, tt.want)
		}
	}
}

func TestMetricsEndpointAndLatency(t *testing.T) {
	var logs bytes.Buffer
	app, _ := newApp(t, &logs)
	req := httptest.NewRequest("POST", "/f/sugerencias?want=unavailable", strings.NewReader("a=1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	resp, err := app.Test(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != fiber.StatusServiceUnavailable {
		t.Errorf("status %d, want 503 from the error handler", resp.StatusCode)
	}
	resp, err = app.Test(httptest.NewRequest("GET", "/metrics", nil))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	for _, want := range []string{
		`consulta_http_request_duration_seconds_count{code="503",method="POST",route="/f/:form"} 1`,
		"go_goroutines",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s in\n%s", want, body)
		}
	}
	if strings.Contains(logs.String(), "203.0.113.9") {
		t.Error("request log holds an IP address")
	}
	if !strings.Contains(logs.String(), `"route":"/f/:form"`) || !strings.Contains(logs.String(), `"status":503`) {
		t.Errorf("request log lacks route or status: %s", logs.String())
	}
}

func TestStoreErrorsIgnoreCallerMistakes(t *testing.T) {
	m, err := metrics.New()
	if err != nil {
		t.Fatal(err)
	}
	m.StoreError("ping", consulta.Errorf(consulta.EUNAVAILABLE, "down"))
	m.StoreError("ping", consulta.Errorf(consulta.ENOTFOUND, "missing"))
	m.StoreError("ping", nil)
	if n := testutil.CollectAndCount(m.Registry(), "consulta_store_errors_total"); n != 1 {
		t.Errorf("%d store error series, want 1", n)
	}
}

// TestFailuresCounted: failed export downloads by stage, present at zero from
// the start, and failed report runs by kind.
func TestFailuresCounted(t *testing.T) {
	m, err := metrics.New()
	if err != nil {
		t.Fatal(err)
	}
	if n := testutil.CollectAndCount(m.Registry(), "consulta_export_failures_total"); n != 2 {
		t.Errorf("%d export failure series before any failure, want 2 at zero", n)
	}
	m.ExportFailed(export.FailedMidway)
	m.ReportRun("monthly", time.Second, errors.New("store: down"))
	m.ReportRun("monthly", time.Second, nil)
	m.ReportRun("biannual", time.Second, errors.New("store: down"))
	expected := `
# HELP consulta_export_failures_total Workspace export downloads that failed, by stage: before_first_byte (answered with an error status) or midway (transfer aborted).
# TYPE consulta_export_failures_total counter
consulta_export_failures_total{stage="before_first_byte"} 0
consulta_export_failures_total{stage="midway"} 1
# HELP consulta_report_runs_total Report runs, by kind (monthly, biannual, on_demand...) and outcome (ok, error).
# TYPE consulta_report_runs_total counter
consulta_report_runs_total{kind="biannual",outcome="error"} 1
consulta_report_runs_total{kind="monthly",outcome="error"} 1
consulta_report_runs_total{kind="monthly",outcome="ok"} 1
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(expected),
		"consulta_export_failures_total", "consulta_report_runs_total"); err != nil {
		t.Error(err)
	}
}
