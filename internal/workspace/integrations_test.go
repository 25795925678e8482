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

// TestMailListsPage: an admin keeps distribution lists with plain forms; a
// bad address is refused with a message that names it, and nothing is kept;
// every change is audited.
func TestMailListsPage(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@mineduc.test", "admin", "")
	b := e.login("admin@mineduc.test")
	form := url.Values{"name": {"Revisión semestral"}, "kind": {"biannual"}, "form": {"sugerencias"}, "list_lang": {"es"},
		"recipients": {"ana@osc.test\nno es un correo"}}
	res, body := b.post("/admin/mail/lists", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "«no» no es una dirección de correo") {
		t.Fatalf("bad address: %d\n%s", res.StatusCode, body)
	}
	form.Set("recipients", "ana@osc.test\nluis@osc.test")
	if res, _ := b.post("/admin/mail/lists", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", res.StatusCode)
	}
	lists, _ := e.store.MailLists(context.Background())
	if len(lists) != 1 || len(lists[0].Recipients) != 2 {
		t.Fatalf("lists: %+v", lists)
	}
	_, page := b.get("/admin/mail")
	if !strings.Contains(page, "Revisión semestral") || !strings.Contains(page, "No hay servidor de correo configurado") {
		t.Errorf("lists page:\n%s", page)
	}
	if !strings.Contains(page, "<td>Buzón de sugerencias</td>") || strings.Contains(page, "<td>sugerencias</td>") {
		t.Errorf("the lists table names the form by its id, not its title:\n%s", page)
	}
	form.Set("recipients", "ana@osc.test")
	if res, _ := b.post("/admin/mail/lists/"+lists[0].ID, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d", res.StatusCode)
	}
	if _, edit := b.get("/admin/mail/lists/" + lists[0].ID); !strings.Contains(edit, ">ana@osc.test</textarea>") {
		t.Errorf("edit page:\n%s", edit)
	}
	if res, _ := b.post("/admin/mail/lists/"+lists[0].ID+"/delete", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	_, audit := b.get("/admin/audit")
	for _, action := range []string{"mail.list.create", "mail.list.update", "mail.list.delete"} {
		if !strings.Contains(audit, action) {
			t.Errorf("audit log lacks %s", action)
		}
	}
}

// TestMailFailuresShownAndRetried: a message given up shows with its error
// and a retry button; retrying makes it due again.
func TestMailFailuresShownAndRetried(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@mineduc.test", "admin", "")
	b := e.login("admin@mineduc.test")
	ctx := context.Background()
	now := time.Now()
	if _, err := e.store.Enqueue(ctx, consulta.MailOutbox, consulta.OutboxItem{ID: "monthly:2026-06:sugerencias:es|ana@osc.test",
		Group: "l1", Label: "ana@osc.test", CreatedAt: now, Data: map[string]string{"report": "monthly:2026-06:sugerencias:es"}}); err != nil {
		t.Fatal(err)
	}
	it, err := e.store.ClaimOutbox(ctx, consulta.MailOutbox, "monthly:2026-06:sugerencias:es|ana@osc.test", "w", time.Minute, now)
	if err != nil || it == nil {
		t.Fatalf("claim: %v", err)
	}
	if err := e.store.FinishOutbox(ctx, consulta.MailOutbox, it, consulta.OutboxResult{Err: "smtp rcpt: 550 5.1.1 no such user"}, now); err != nil {
		t.Fatal(err)
	}
	_, page := b.get("/admin/mail")
	if !strings.Contains(page, "550 5.1.1 no such user") || !strings.Contains(page, `action="/admin/mail/retry"`) {
		t.Fatalf("failures:\n%s", page)
	}
	if res, _ := b.post("/admin/mail/retry", url.Values{"id": {it.ID}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("retry: %d", res.StatusCode)
	}
	if got, _ := e.store.OutboxItem(ctx, consulta.MailOutbox, it.ID); got.State != consulta.OutboxPending {
		t.Errorf("after retry: %+v", got)
	}
}

var secretPattern = regexp.MustCompile(`value="(whsec_[A-Za-z0-9_-]+)"`)

// TestWebhooksPage: registering an endpoint shows its secret once; the
// endpoint's page shows its delivery log and lets it be disabled and given a
// new secret.
func TestWebhooksPage(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@mineduc.test", "admin", "")
	b := e.login("admin@mineduc.test")
	res, body := b.post("/admin/webhooks", url.Values{"url": {"http://127.0.0.1:9/hook"}, "events": {"report.stored", "action.published"}})
	m := secretPattern.FindStringSubmatch(body)
	if res.StatusCode != http.StatusCreated || m == nil {
		t.Fatalf("create: %d\n%s", res.StatusCode, body)
	}
	eps, _ := e.store.WebhookEndpoints(context.Background())
	if len(eps) != 1 || strings.Contains(eps[0].Secret, m[1]) {
		t.Fatalf("stored: %+v", eps)
	}
	if _, list := b.get("/admin/webhooks"); strings.Contains(list, m[1]) || !strings.Contains(list, "http://127.0.0.1:9/hook") {
		t.Errorf("the list shows the secret again, or not the endpoint:\n%s", list)
	}
	ctx := context.Background()
	id := "evt_x|" + eps[0].ID
	_, _ = e.store.Enqueue(ctx, consulta.WebhookOutbox, consulta.OutboxItem{ID: id, Group: eps[0].ID, Label: "report.stored", CreatedAt: time.Now()})
	it, _ := e.store.ClaimOutbox(ctx, consulta.WebhookOutbox, id, "w", time.Minute, time.Now())
	_ = e.store.FinishOutbox(ctx, consulta.WebhookOutbox, it, consulta.OutboxResult{Err: "webhook: the endpoint answered HTTP 500",
		Detail: "HTTP 500", NextTry: time.Now().Add(time.Minute)}, time.Now())
	_, page := b.get("/admin/webhooks/" + eps[0].ID)
	if !strings.Contains(page, "HTTP 500") || !strings.Contains(page, "report.stored") || strings.Contains(page, m[1]) {
		t.Errorf("endpoint page:\n%s", page)
	}
	if res, _ := b.post("/admin/webhooks/"+eps[0].ID+"/state", url.Values{"enable": {"0"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d", res.StatusCode)
	}
	if _, page := b.get("/admin/webhooks/" + eps[0].ID); !strings.Contains(page, "Desactivado por una persona") {
		t.Errorf("not shown disabled:\n%s", page)
	}
	_, rotated := b.post("/admin/webhooks/"+eps[0].ID+"/secret", nil)
	if n := secretPattern.FindStringSubmatch(rotated); n == nil || n[1] == m[1] {
		t.Errorf("rotation: %v", n)
	}
	if res, body := b.post("/admin/webhooks", url.Values{"url": {"https://user:pw@example.org/"}, "events": {"report.stored"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "sin usuario ni contraseña") {
		t.Errorf("credentials in the URL: %d", res.StatusCode)
	}
	_, audit := b.get("/admin/audit")
	for _, action := range []string{"webhook.create", "webhook.disable", "webhook.secret"} {
		if !strings.Contains(audit, action) {
			t.Errorf("audit log lacks %s", action)
		}
	}
}
