package metrics_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/consulta/consulta/internal/metrics"
)

// TestOpenDataJobs counts the materializer's jobs by outcome in the app's
// registry, so that a failing materializer shows in /metrics.
func TestOpenDataJobs(t *testing.T) {
	m, err := metrics.New()
	if err != nil {
		t.Fatal(err)
	}
	od := metrics.NewOpenData()
	if err := m.Registry().Register(od); err != nil {
		t.Fatal(err)
	}
	od.Job("snapshot", time.Second, nil)
	od.Job("pass", time.Second, errors.New("store down"))
	od.Job("pass", time.Second, errors.New("store down"))
	want := `
# HELP consulta_opendata_jobs_total Open-data materializer jobs, by job (pass: one look at every form; snapshot: the files of one form and period) and outcome (ok, error).
# TYPE consulta_opendata_jobs_total counter
consulta_opendata_jobs_total{job="pass",outcome="error"} 2
consulta_opendata_jobs_total{job="snapshot",outcome="ok"} 1
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), "consulta_opendata_jobs_total"); err != nil {
		t.Error(err)
	}
}
