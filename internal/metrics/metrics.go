// Package metrics exposes Consulta's Prometheus metrics and structured request
// logs: request latency by route, submissions by form, channel and outcome, store
// errors, report runs, failed export downloads, retention deletions and whatever
// extra collectors the app
// registers (abuse control's blocked counters). Each App owns its registry: there
// is no process-wide default, so tests and several apps in one process never mix.
package metrics

import (
	"net/http"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/export"
	"github.com/consulta/consulta/internal/intake"
)

// latencyBuckets cover a cached page (sub-millisecond) up to a submission waiting
// on a slow store (seconds).
var latencyBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// Metrics is one application's set of metrics and its registry.
type Metrics struct {
	registry    *prometheus.Registry
	requests    *prometheus.HistogramVec
	series      sync.Map // latencyKey -> prometheus.Observer of requests (middleware.go)
	submissions *prometheus.CounterVec
	storeErrors *prometheus.CounterVec
	reportRuns  *prometheus.CounterVec
	reportTime  *prometheus.HistogramVec
	exports     *prometheus.CounterVec
	retention   prometheus.Counter
}

// New builds the metrics in a fresh registry, with the Go runtime and process
// collectors and the given extra collectors (abuse.Guard, for instance).
func New(extra ...prometheus.Collector) (*Metrics, error) {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "consulta_http_request_duration_seconds",
			Help: "Time to serve HTTP requests, by method, route pattern and status code.", Buckets: latencyBuckets,
		}, []string{"method", "route", "code"}),
		submissions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "consulta_submissions_total",
			Help: "Submissions, by form, channel and outcome (as intake names it: created, replayed, invalid, rate_limited, refused, trapped, unavailable...).",
		}, []string{"form", "channel", "outcome"}),
		storeErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "consulta_store_errors_total",
			Help: "Failed store operations on the serving path, by operation and error code.",
		}, []string{"operation", "code"}),
		reportRuns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "consulta_report_runs_total",
			Help: "Report runs, by kind (monthly, biannual, on_demand...) and outcome (ok, error).",
		}, []string{"kind", "outcome"}),
		reportTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "consulta_report_run_duration_seconds", Help: "Time to build a report, by kind.",
			Buckets: prometheus.ExponentialBuckets(0.1, 2, 12),
		}, []string{"kind"}),
		exports: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "consulta_export_failures_total",
			Help: "Workspace export downloads that failed, by stage: before_first_byte (answered with an error status) or midway (transfer aborted).",
		}, []string{"stage"}),
		retention: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "consulta_retention_contacts_deleted_total",
			Help: "Contact records deleted by the retention job.",
		}),
	}
	cs := []prometheus.Collector{
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, m.submissions, m.storeErrors, m.reportRuns, m.reportTime, m.exports, m.retention,
	}
	// Both series exist from the start, at zero, so that an alert on their
	// increase sees the first failure.
	for _, stage := range []string{export.FailedBeforeFirstByte, export.FailedMidway} {
		m.exports.WithLabelValues(stage)
	}
	for _, c := range append(cs, extra...) {
		if c == nil {
			continue
		}
		if err := m.registry.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Registry is the application's registry (tests gather from it).
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }

// Handler serves the registry in the Prometheus text format (GET /metrics).
func (m *Metrics) Handler() fiber.Handler {
	return adaptor.HTTPHandler(m.HTTPHandler())
}

// HTTPHandler serves the Prometheus exposition format, for a listener of its
// own (CONSULTA_METRICS_ADDR): the series name admin routes, contact views
// and login failures, which the public port must not show.
func (m *Metrics) HTTPHandler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// ReportRun records one report run of the given kind; err nil means it succeeded.
func (m *Metrics) ReportRun(kind string, took time.Duration, err error) {
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	m.reportRuns.WithLabelValues(kind, outcome).Inc()
	m.reportTime.WithLabelValues(kind).Observe(took.Seconds())
}

// ExportFailed records a workspace export download that failed at stage
// (export.FailedBeforeFirstByte or export.FailedMidway).
func (m *Metrics) ExportFailed(stage string) { m.exports.WithLabelValues(stage).Inc() }

// ContactsDeleted records contacts removed by the retention job.
func (m *Metrics) ContactsDeleted(n int64) {
	if n > 0 {
		m.retention.Add(float64(n))
	}
}

// StoreError records a failed store operation. Errors that are the caller's (not
// found, conflict, invalid) are not store errors and are ignored.
func (m *Metrics) StoreError(operation string, err error) {
	if err == nil {
		return
	}
	code := consulta.ErrorCode(err)
	switch code {
	case consulta.ENOTFOUND, consulta.ECONFLICT, consulta.EINVALID:
		return
	}
	m.storeErrors.WithLabelValues(operation, code).Inc()
}

// Submission counts one submission's outcome (intake.Observer): intake names
// it, for every way a submission comes in.
func (m *Metrics) Submission(formID string, channel consulta.Channel, outcome intake.Outcome) {
	if channel == "" {
		channel = "unknown"
	}
	m.submissions.WithLabelValues(formID, string(channel), string(outcome)).Inc()
}

// Submissions is the counter of one form, channel and outcome (for tests and
// dashboards built in code).
func (m *Metrics) Submissions(form, channel, outcome string) prometheus.Counter {
	return m.submissions.WithLabelValues(form, channel, outcome)
}
