package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// OpenData counts the jobs of the open-data materializer (package
// opendata): its passes over every form and the snapshots it makes, so that
// a materializer that keeps failing shows in /metrics. Register it with the
// app's registry (Metrics.Registry).
type OpenData struct {
	jobs *prometheus.CounterVec
	took *prometheus.HistogramVec
}

// NewOpenData returns the open-data metrics.
func NewOpenData() *OpenData {
	return &OpenData{
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "consulta_opendata_jobs_total",
			Help: "Open-data materializer jobs, by job (pass: one look at every form; snapshot: the files of one form and period) and outcome (ok, error).",
		}, []string{"job", "outcome"}),
		took: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "consulta_opendata_job_duration_seconds", Help: "Time of open-data materializer jobs, by job.",
			Buckets: prometheus.ExponentialBuckets(0.01, 4, 10),
		}, []string{"job"}),
	}
}

// Job records one job ("pass" or "snapshot"); err nil means it succeeded.
func (o *OpenData) Job(job string, took time.Duration, err error) {
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	o.jobs.WithLabelValues(job, outcome).Inc()
	o.took.WithLabelValues(job).Observe(took.Seconds())
}

// Describe implements prometheus.Collector.
func (o *OpenData) Describe(ch chan<- *prometheus.Desc) {
	o.jobs.Describe(ch)
	o.took.Describe(ch)
}

// Collect implements prometheus.Collector.
func (o *OpenData) Collect(ch chan<- prometheus.Metric) {
	o.jobs.Collect(ch)
	o.took.Collect(ch)
}
