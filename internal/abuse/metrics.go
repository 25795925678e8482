package abuse

import "github.com/prometheus/client_golang/prometheus"

// newBlockedDesc describes consulta_abuse_blocked_total.
func newBlockedDesc() *prometheus.Desc {
	return prometheus.NewDesc("consulta_abuse_blocked_total",
		"Submissions and page loads refused by abuse control, by reason.",
		[]string{"reason"}, nil)
}

// Describe implements prometheus.Collector: register the Guard in the app's
// registry to export its counters.
func (g *Guard) Describe(ch chan<- *prometheus.Desc) { ch <- g.desc }

// Collect implements prometheus.Collector.
func (g *Guard) Collect(ch chan<- prometheus.Metric) {
	for i, r := range Reasons() {
		ch <- prometheus.MustNewConstMetric(g.desc, prometheus.CounterValue, float64(g.blocked[i].Load()), string(r))
	}
}
