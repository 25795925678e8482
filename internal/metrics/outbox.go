package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Outbox counts the attempts of the outboxes (package outbox): the e-mailed
// reports and the webhook deliveries, by outcome, and the webhook endpoints
// disabled for failing, so that a mail server or an endpoint that keeps
// refusing shows in /metrics. Register it with the app's registry.
type Outbox struct {
	attempts *prometheus.CounterVec
	took     *prometheus.HistogramVec
	disabled prometheus.Counter
}

// NewOutbox returns the outbox metrics, every series at zero.
func NewOutbox(boxes, outcomes []string) *Outbox {
	o := &Outbox{
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "consulta_outbox_attempts_total",
			Help: "Attempts at sending a message of an outbox (mail_outbox: e-mailed reports; webhook_outbox: webhook deliveries), by outcome: sent, retry (failed, tried again later), failed (given up).",
		}, []string{"outbox", "outcome"}),
		took: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "consulta_outbox_attempt_duration_seconds", Help: "Time of one attempt at sending a message, by outbox.",
			Buckets: prometheus.ExponentialBuckets(0.01, 3, 9),
		}, []string{"outbox"}),
		disabled: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "consulta_webhook_endpoints_disabled_total",
			Help: "Webhook endpoints disabled automatically after failing too many attempts in a row.",
		}),
	}
	for _, b := range boxes {
		for _, out := range outcomes {
			o.attempts.WithLabelValues(b, out)
		}
	}
	return o
}

// Observer returns the function that records the attempts of one outbox
// (outbox.Config.Observe).
func (o *Outbox) Observer(box string) func(outcome string, took time.Duration) {
	return func(outcome string, took time.Duration) {
		o.attempts.WithLabelValues(box, outcome).Inc()
		o.took.WithLabelValues(box).Observe(took.Seconds())
	}
}

// EndpointDisabled records a webhook endpoint disabled for its failures.
func (o *Outbox) EndpointDisabled(string) { o.disabled.Inc() }

// Describe implements prometheus.Collector.
func (o *Outbox) Describe(ch chan<- *prometheus.Desc) {
	o.attempts.Describe(ch)
	o.took.Describe(ch)
	o.disabled.Describe(ch)
}

// Collect implements prometheus.Collector.
func (o *Outbox) Collect(ch chan<- prometheus.Metric) {
	o.attempts.Collect(ch)
	o.took.Collect(ch)
	o.disabled.Collect(ch)
}
