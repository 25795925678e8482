package app_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/schedule"
	"github.com/consulta/consulta/internal/smtptest"
	"github.com/consulta/consulta/internal/webhook"
)

// hookReceiver accepts deliveries whose signature it verifies.
type hookReceiver struct {
	mu     sync.Mutex
	secret string
	bodies []string
	bad    int
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	if webhook.Verify(h.secret, r.Header.Get(webhook.HeaderID), r.Header.Get(webhook.HeaderTimestamp),
		r.Header.Get(webhook.HeaderSignature), body, time.Now(), webhook.DefaultTolerance) != nil {
		h.bad++
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	h.bodies = append(h.bodies, string(body))
	w.WriteHeader(http.StatusNoContent)
}

func (h *hookReceiver) received() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.bodies...)
}

// TestIntegrationsEndToEnd boots the program with an SMTP server and the
// scheduler: an admin makes a distribution list and registers a webhook in
// the workspace; a scheduled run stores its report; the webhook receives
// report.stored, signed; the mail server refuses the message for now, and
// the failure shows in the workspace and in /metrics, as do the delivery.
func TestIntegrationsEndToEnd(t *testing.T) {
	mailServer := smtptest.Start(t, false)
	mailServer.Refuse(451)
	rc := &hookReceiver{}
	hooks := httptest.NewServer(rc)
	t.Cleanup(hooks.Close)
	r := bootLogged(t, t.TempDir(), map[string]string{
		"CONSULTA_SCHEDULER": "true", "CONSULTA_METRICS_ADDR": "127.0.0.1:0", "CONSULTA_BASE_URL": "http://consulta.test",
		"CONSULTA_SMTP_HOST": mailServer.Host, "CONSULTA_SMTP_PORT": strconv.Itoa(mailServer.Port),
		"CONSULTA_SMTP_USERNAME": smtptest.Username, "CONSULTA_SMTP_PASSWORD": smtptest.Password,
		"CONSULTA_SMTP_FROM": "Consulta <informes@mineduc.test>", "CONSULTA_SMTP_CA_FILE": mailServer.CAFile,
		"CONSULTA_WEBHOOK_ALLOW_PRIVATE": "true",
	}, io.Discard)
	addStaff(t, r, "admin@mineduc.test", "admin", "", staffPassword)
	admin := newStaff(t, r).mustSignIn("admin@mineduc.test", staffPassword)
	// Monthly reports nest in the semester's: a monthly list reaches staff
	// only. An outside address is refused, saying why, and nothing is kept.
	list := url.Values{"name": {"Revisión"}, "kind": {"monthly"}, "form": {"sugerencias"},
		"list_lang": {"es"}, "recipients": {"revision@osc.test"}}
	if a := admin.post("/admin/mail/lists", list); a.status != http.StatusUnprocessableEntity ||
		!strings.Contains(a.body, "«revision@osc.test» no es una cuenta activa que pueda ver informes") {
		t.Fatalf("monthly list to an outside address: %d %s", a.status, a.body)
	}
	if page := admin.get("/admin/mail").body; strings.Contains(page, "Revisión") {
		t.Fatalf("the refused list was kept:\n%s", page)
	}
	addStaff(t, r, "revision@mineduc.test", "analyst", "", staffPassword)
	list.Set("recipients", "revision@mineduc.test")
	if a := admin.post("/admin/mail/lists", list); a.status != http.StatusSeeOther {
		t.Fatalf("new list: %d %s", a.status, a.body)
	}
	a := admin.post("/admin/webhooks", url.Values{"url": {hooks.URL}, "events": {webhook.EventReportStored}})
	m := regexp.MustCompile(`value="(whsec_[^"]+)"`).FindStringSubmatch(a.body)
	if a.status != http.StatusCreated || m == nil {
		t.Fatalf("new webhook: %d", a.status)
	}
	rc.mu.Lock()
	rc.secret = m[1]
	rc.mu.Unlock()

	from, to := lastMonths(t, 1)
	seedCLI(t, r.dir, "sugerencias", 30, from, to, "14")
	p, _ := schedule.PeriodBefore(schedule.Monthly, time.Now(), from.Location())
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if run, err := r.app.Reports().Execute(ctx, p); err != nil || run.Status != schedule.StatusDone {
		t.Fatalf("run: %+v, %v", run, err)
	}

	metricsURL := "http://" + r.app.MetricsAddr().String() + "/metrics"
	want := []string{`consulta_outbox_attempts_total{outbox="mail_outbox",outcome="retry"} 1`,
		`consulta_outbox_attempts_total{outbox="webhook_outbox",outcome="sent"} 1`}
	var metrics string
	for deadline := time.Now().Add(45 * time.Second); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		_, _, metrics = do(t, http.MethodGet, metricsURL, "", nil, nil)
		if strings.Contains(metrics, want[0]) && strings.Contains(metrics, want[1]) {
			break
		}
	}
	for _, w := range want {
		if !strings.Contains(metrics, w) {
			t.Errorf("/metrics lacks %s", w)
		}
	}
	got := rc.received()
	if len(got) != 1 || !strings.Contains(got[0], `"event":"report.stored"`) || !strings.Contains(got[0], `"form":"sugerencias"`) {
		t.Errorf("webhook deliveries: %v (refused %d)", got, rc.bad)
	}
	if page := admin.get("/admin/mail").body; !strings.Contains(page, "revision@mineduc.test") || !strings.Contains(page, "451") {
		t.Errorf("the mail page does not show the failure:\n%s", page)
	}
	if n := len(mailServer.Received()); n != 0 {
		t.Errorf("%d messages accepted by a server that refused", n)
	}
}
