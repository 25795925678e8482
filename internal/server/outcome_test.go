package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSubmissionOutcomesCounted: every way a submission ends is counted once,
// under its form, channel and outcome as intake names it, whatever status the
// HTTP layer answered with: a honeypot's 303 is "trapped", not a stored
// response, and a body that is no submission names no channel it did not have.
func TestSubmissionOutcomesCounted(t *testing.T) {
	a := startApp(t, map[string]string{"CONSULTA_METRICS_ADDR": "127.0.0.1:0", "CONSULTA_MIN_FILL_TIME": "0s"})
	useful := map[string]any{"useful": true}
	widget := map[string]string{"Content-Type": "application/json"}
	steps := []struct {
		name   string
		send   func() response
		status int
	}{
		{"JSON, stored", func() response { return a.postJSON(t, "utilidad-pagina", "outcome-key-0001", useful, nil) }, http.StatusCreated},
		{"JSON, the same again", func() response { return a.postJSON(t, "utilidad-pagina", "outcome-key-0001", useful, nil) }, http.StatusCreated},
		{"JSON, the same key with other answers", func() response {
			return a.postJSON(t, "utilidad-pagina", "outcome-key-0001", map[string]any{"useful": false}, nil)
		}, http.StatusConflict},
		{"JSON, a required answer missing", func() response { return a.postJSON(t, "utilidad-pagina", "outcome-key-0002", map[string]any{}, nil) }, http.StatusUnprocessableEntity},
		{"JSON, from a portal page", func() response {
			return do(t, http.MethodPost, a.base+"/api/v1/forms/utilidad-pagina/responses", widget,
				`{"answers":{"useful":false},"page":"https://www.mineduc.gob.gt/transparencia/"}`)
		}, http.StatusCreated},
		{"JSON, broken", func() response {
			return do(t, http.MethodPost, a.base+"/api/v1/forms/utilidad-pagina/responses", widget, `{"answers":`)
		}, http.StatusBadRequest},
		{"JSON, no such form", func() response { return a.postJSON(t, "no-such-form", "outcome-key-0003", useful, nil) }, http.StatusNotFound},
		{"no JavaScript, stored", func() response {
			v := a.pageFields(t, "/f/utilidad-pagina")
			v.Set("useful", "true")
			return a.postForm(t, "utilidad-pagina", v)
		}, http.StatusSeeOther},
		{"no JavaScript, the honeypot filled", func() response {
			v := a.pageFields(t, "/f/utilidad-pagina")
			v.Set("useful", "true")
			v.Set("website", "http://spam.example")
			return a.postForm(t, "utilidad-pagina", v)
		}, http.StatusSeeOther},
		{"no JavaScript, without a page-load token", func() response {
			return a.postForm(t, "utilidad-pagina", url.Values{"useful": {"true"}, "_lang": {"es"}})
		}, http.StatusTooManyRequests},
		{"no JavaScript, from another site", func() response {
			v := a.pageFields(t, "/f/utilidad-pagina")
			v.Set("useful", "true")
			return do(t, http.MethodPost, a.base+"/f/utilidad-pagina",
				map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.example"}, v.Encode())
		}, http.StatusForbidden},
	}
	for _, s := range steps {
		if r := s.send(); r.status != s.status {
			t.Fatalf("%s: status %d, want %d: %.300s", s.name, r.status, s.status, r.body)
		}
	}
	metrics := do(t, http.MethodGet, "http://"+a.MetricsAddr().String()+"/metrics", nil, "").body
	for _, want := range []string{
		`consulta_submissions_total{channel="page",form="utilidad-pagina",outcome="created"} 2`,
		`consulta_submissions_total{channel="page",form="utilidad-pagina",outcome="replayed"} 1`,
		`consulta_submissions_total{channel="page",form="utilidad-pagina",outcome="conflict"} 1`,
		`consulta_submissions_total{channel="page",form="utilidad-pagina",outcome="invalid"} 1`,
		`consulta_submissions_total{channel="widget",form="utilidad-pagina",outcome="created"} 1`,
		`consulta_submissions_total{channel="page",form="utilidad-pagina",outcome="bad_request"} 1`,
		`consulta_submissions_total{channel="page",form="unknown",outcome="not_found"} 1`,
		`consulta_submissions_total{channel="page",form="utilidad-pagina",outcome="trapped"} 1`,
		`consulta_submissions_total{channel="page",form="utilidad-pagina",outcome="rate_limited"} 1`,
		`consulta_submissions_total{channel="page",form="utilidad-pagina",outcome="refused"} 1`,
	} {
		if !strings.Contains(metrics, want+"\n") {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if t.Failed() {
		for _, line := range strings.Split(metrics, "\n") {
			if strings.HasPrefix(line, "consulta_submissions_total") {
				t.Log(line)
			}
		}
	}
}
