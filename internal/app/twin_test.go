package app_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/webhook"
)

// TestOnDemandReportTwin boots the program with a webhook receiver: an
// analyst makes a report now in the workspace; the list links its PDF and
// its HTML twin, the twin is served in the report's language with its
// tables, and report.stored reaches the receiver, signed, with both links,
// as it does for scheduled runs.
func TestOnDemandReportTwin(t *testing.T) {
	rc := &hookReceiver{}
	// Deliveries are made by the replicas that run the scheduler.
	hooks := httptest.NewServer(rc)
	t.Cleanup(hooks.Close)
	r := bootLogged(t, t.TempDir(), map[string]string{
		"CONSULTA_SCHEDULER": "true", "CONSULTA_BASE_URL": "http://consulta.test", "CONSULTA_WEBHOOK_ALLOW_PRIVATE": "true",
	}, io.Discard)
	addStaff(t, r, "admin@mineduc.test", "admin", "", staffPassword)
	addStaff(t, r, "analista@mineduc.test", "analyst", "", staffPassword)
	admin := newStaff(t, r).mustSignIn("admin@mineduc.test", staffPassword)
	a := admin.post("/admin/webhooks", url.Values{"url": {hooks.URL}, "events": {webhook.EventReportStored}})
	m := regexp.MustCompile(`value="(whsec_[^"]+)"`).FindStringSubmatch(a.body)
	if a.status != http.StatusCreated || m == nil {
		t.Fatalf("new webhook: %d", a.status)
	}
	rc.mu.Lock()
	rc.secret = m[1]
	rc.mu.Unlock()

	from, to := lastMonths(t, 1)
	seedCLI(t, r.dir, "sugerencias", 30, from, to, "21")
	analyst := newStaff(t, r).mustSignIn("analista@mineduc.test", staffPassword)
	gen := analyst.post("/admin/reports", url.Values{"form": {"sugerencias"}, "from": {from.Format(time.DateOnly)},
		"to": {to.AddDate(0, 0, -1).Format(time.DateOnly)}, "report_lang": {"es"}})
	if gen.status != http.StatusSeeOther {
		t.Fatalf("generate: %d %s", gen.status, gen.body)
	}

	list := analyst.get("/admin/reports?lang=es").body
	link := regexp.MustCompile(`href="(/admin/reports/html\?id=on_demand[^"]+)"`).FindStringSubmatch(list)
	if link == nil || !strings.Contains(list, "(versión web accesible) del informe de") {
		t.Fatalf("the list does not link the HTML twin:\n%s", list)
	}
	page := analyst.get(strings.ReplaceAll(link[1], "&amp;", "&"))
	if page.status != http.StatusOK || !strings.HasPrefix(page.header.Get("Content-Type"), "text/html") ||
		!strings.Contains(page.body, `<html lang="es">`) || !strings.Contains(page.body, "<caption>") ||
		strings.Contains(page.body, "<script") {
		t.Fatalf("twin: %d %q\n%.500s", page.status, page.header.Get("Content-Type"), page.body)
	}

	// The scheduler's catch-up may store this month's report meanwhile: the
	// on-demand one is looked for among the deliveries.
	want := regexp.MustCompile(`"html_url":"http://consulta\.test/admin/reports/html\?id=on_demand%3A[^"]+%3Asugerencias%3Aes"`)
	var got []string
	found := 0
	for deadline := time.Now().Add(45 * time.Second); time.Now().Before(deadline) && found == 0; time.Sleep(300 * time.Millisecond) {
		got = rc.received()
		for _, b := range got {
			if strings.Contains(b, `"event":"report.stored"`) && strings.Contains(b, `"kind":"on_demand"`) && want.MatchString(b) {
				found++
			}
		}
	}
	if found != 1 {
		t.Errorf("report.stored of the on-demand report: %d among %v (refused %d)", found, got, rc.bad)
	}
}
