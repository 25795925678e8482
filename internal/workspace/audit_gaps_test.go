package workspace_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

// TestAuditGaps: batch entry, a refused import and triage changes (tags,
// assignee, note) are audited; the log shows them in words, in the
// workspace's time zone, with no contact data.
func TestAuditGaps(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@mineduc.test", "admin", "")
	e.addUser("analista@mineduc.test", "analyst", "")
	e.addUser("fa@asoc-a.test", "facilitator", "asoc-a")
	code := e.createSession("asoc-a", "fa@asoc-a.test")
	fac := e.login("fa@asoc-a.test")
	_, page := fac.get("/admin/sessions/" + code + "/entry")
	key := regexp.MustCompile(`name="key" value="([^"]+)"`).FindStringSubmatch(page)[1]
	entry := url.Values{"key": {key}, "topic": {"docentes"}, "message": {"Formulario en papel"}}
	for range 2 { // a double click: one response, one entry
		if res, body := fac.post("/admin/sessions/"+code+"/entry", entry); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("batch entry: %d %s", res.StatusCode, body)
		}
	}
	if res, _ := fac.upload("/admin/sessions/"+code+"/import", "topic,message\nno_existe,Mal\n"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad file: %d, want 422", res.StatusCode)
	}

	ids := e.storeResponses(1, "Idea %d")
	a := e.login("analista@mineduc.test")
	if res, _ := a.post("/admin/responses/"+ids[0]+"/triage", url.Values{"status": {"actioned"}, "tags": {"agua"},
		"assignee": {"analista@mineduc.test"}, "note": {"Llamar al 5555-1234 o escribir a ana@example.com"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("triage: %d", res.StatusCode)
	}
	ad := e.login("admin@mineduc.test")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	count := func(action string) int {
		es, err := e.store.AuditEntries(ctx, consulta.AuditFilter{Action: action})
		if err != nil {
			t.Fatal(err)
		}
		return len(es)
	}
	for action, want := range map[string]int{"session.entry": 1, "session.import.failure": 1, "response.status": 1,
		"response.tags": 1, "response.assignee": 1, "response.note": 1} {
		if got := count(action); got != want {
			t.Errorf("%s: %d entries, want %d", action, got, want)
		}
	}
	// An account disabled, and a failed login: both in words.
	if res, _ := ad.post("/admin/users/fa@asoc-a.test", url.Values{"role": {"facilitator"}, "org": {"asoc-a"},
		"disabled": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d", res.StatusCode)
	}
	e.browser().signIn("admin@mineduc.test", "not the password at all")

	// An entry of an earlier release, with UTC times in its detail.
	if err := e.store.AppendAudit(ctx, &consulta.AuditEntry{At: time.Now(), Actor: "admin@mineduc.test",
		Action: "session.window", Target: code, Detail: "2026-01-02T18:00:00Z → 2026-01-02T20:30:00Z"}); err != nil {
		t.Fatal(err)
	}
	_, log := ad.get("/admin/audit")
	for _, want := range []string{"Nueva → Atendida con una acción", "— → agua", "— → analista@mineduc.test",
		"Desactivada: No → Sí", "Correo o contraseña incorrectos", "El archivo tenía filas con errores",
		"Formulario en papel capturado", "Importación rechazada", "2026-01-02 12:00 → 2026-01-02 14:30"} {
		if !strings.Contains(log, want) {
			t.Errorf("the audit log does not show %q", want)
		}
	}
	for _, raw := range []string{"new → actioned", "disabled=", "bad_credentials", "5555-1234", "ana@example.com"} {
		if strings.Contains(log, raw) {
			t.Errorf("the audit log shows %q", raw)
		}
	}
}
