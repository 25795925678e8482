package workspace_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

// Contact data of the citizen who asks for a reply in the replies tests.
const (
	replyEmail = "ana.secreta@example.com"
	replyName  = "Ana Secreta"
)

// submitReply answers the suggestion box asking for a reply (and leaving a
// contact) when ask is true, and returns the response's ID.
func (e *env) submitReply(ask bool) string {
	e.t.Helper()
	body := `{"answers":{"topic":"docentes","message":"Publiquen los datos de docentes","wants_reply":false},"lang":"es"}`
	if ask {
		body = `{"answers":{"topic":"docentes","message":"Publiquen los datos de docentes","wants_reply":true,"name":"` +
			replyName + `","email":"` + replyEmail + `","phone":"5555 1234","consent":true},"lang":"es"}`
	}
	res, text := e.submit("sugerencias", body)
	if res.StatusCode != http.StatusCreated {
		e.t.Fatalf("submit: %d %s", res.StatusCode, text)
	}
	var created struct{ ID string }
	if err := json.Unmarshal([]byte(text), &created); err != nil || created.ID == "" {
		e.t.Fatalf("submit: no ID in %s", text)
	}
	return created.ID
}

// leaks reports whether body holds any of the citizen's contact data.
func leaks(body string) bool {
	return strings.Contains(body, replyEmail) || strings.Contains(body, replyName) ||
		strings.Contains(body, "5555 1234") || strings.Contains(body, "55551234")
}

// TestRevealContactAttack drives the running workspace as a facilitator and
// as an analyst without the permission to reply, trying every way to read
// the contact of a citizen who asked for a reply: the reveal POST, a GET of
// the old contact page, the response page, the list and its JSON API, the
// export with and without contacts. All are refused or carry no contact
// data; the request for a reply and whether a contact exists do show.
func TestRevealContactAttack(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@mineduc.test", "admin", "")
	e.addUser("analista@mineduc.test", "analyst", "")
	e.addUser("fa@asoc-a.test", "facilitator", "asoc-a")
	id := e.submitReply(true)
	e.submitReply(false)

	attackers := map[string]*browser{"facilitator": e.login("fa@asoc-a.test"), "analyst": e.login("analista@mineduc.test")}
	for who, b := range attackers {
		res, body := b.post("/admin/responses/"+id+"/contact", nil)
		if res.StatusCode != http.StatusForbidden || leaks(body) {
			t.Errorf("%s: reveal POST: status %d (leak %t), want 403 and no contact", who, res.StatusCode, leaks(body))
		}
		for _, path := range []string{"/admin/responses/" + id + "/contact", "/admin/responses/" + id,
			"/admin/responses?reply=requested", "/admin/api/responses", "/admin/api/responses?reply=requested",
			"/admin/api/responses/" + id + "/contact",
			"/admin/export/download?form=sugerencias&format=csv", "/admin/export/download?form=sugerencias&format=jsonl&contacts=1",
			"/admin/export/download?form=sugerencias&format=xlsx&contacts=1"} {
			res, body := b.get(path)
			if leaks(body) {
				t.Errorf("%s: GET %s (status %d) shows the contact", who, path, res.StatusCode)
			}
			if strings.HasSuffix(path, "/contact") && res.StatusCode == http.StatusOK {
				t.Errorf("%s: GET %s: 200, want a refusal", who, path)
			}
		}
	}

	// The analyst sees that a reply was asked for and that a contact exists,
	// in the list (filtered) and on the response, but no button to reveal it.
	a := attackers["analyst"]
	_, list := a.get("/admin/responses?reply=requested")
	if strings.Count(list, `<td><a href="/admin/responses/`) != 1 || !strings.Contains(list, `href="/admin/responses/`+id+`?`) {
		t.Errorf("the filter «pide respuesta» does not list exactly the response that asked")
	}
	if !strings.Contains(list, "Pide respuesta, sin responder") {
		t.Errorf("the list does not say the response asks for a reply")
	}
	_, page := a.get("/admin/responses/" + id)
	if !strings.Contains(page, "Pide respuesta, sin responder") || !strings.Contains(page, "dejó un contacto") {
		t.Errorf("the response page does not say a reply was asked for and a contact left")
	}
	if strings.Contains(page, "/contact") {
		t.Errorf("an analyst without the permission is offered the contact")
	}
	if n := e.auditCount("contact.view"); n != 0 {
		t.Errorf("%d contact views audited after refusals, want 0", n)
	}
}

// TestRevealContactAndMarkAnswered: an admin allows an analyst to reply;
// the analyst reveals the contact with a POST (audited: who, which
// response) and marks the reply answered (audited, filterable, status
// "answered"); facilitators cannot be allowed.
func TestRevealContactAndMarkAnswered(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@mineduc.test", "admin", "")
	e.addUser("analista@mineduc.test", "analyst", "")
	e.addUser("fa@asoc-a.test", "facilitator", "asoc-a")
	id := e.submitReply(true)
	adm := e.login("admin@mineduc.test")
	for _, u := range []struct{ id, role string }{{"analista@mineduc.test", "analyst"}, {"fa@asoc-a.test", "facilitator"}} {
		res, _ := adm.post("/admin/users/"+u.id, url.Values{"role": {u.role}, "org": {map[string]string{"facilitator": "asoc-a"}[u.role]},
			"replies": {"1"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("allow %s: status %d", u.id, res.StatusCode)
		}
	}
	if res, body := e.login("fa@asoc-a.test").post("/admin/responses/"+id+"/contact", nil); res.StatusCode != http.StatusForbidden || leaks(body) {
		t.Errorf("a facilitator ticked «may reply» reveals: status %d", res.StatusCode)
	}

	a := e.login("analista@mineduc.test")
	_, page := a.get("/admin/responses/" + id + "?reply=requested")
	if leaks(page) || !strings.Contains(page, `action="/admin/responses/`+id+`/contact?reply=requested"`) {
		t.Errorf("the allowed analyst is not offered the reveal button (or sees the contact before asking)")
	}
	res, body := a.post("/admin/responses/"+id+"/contact?reply=requested", nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, replyEmail) || !strings.Contains(body, "5555 1234") {
		t.Fatalf("reveal: status %d, contact shown %t", res.StatusCode, strings.Contains(body, replyEmail))
	}
	entries := e.audit("contact.view")
	if len(entries) != 1 || entries[0].Actor != "analista@mineduc.test" || entries[0].Target != id || entries[0].At.IsZero() {
		t.Errorf("audit of the reveal: %+v, want one entry by the analyst on %s", entries, id)
	}

	res, _ = a.post("/admin/responses/"+id+"/reply?reply=requested", nil)
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "reply=requested") {
		t.Fatalf("mark answered: %d to %q", res.StatusCode, loc)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r, err := e.store.Response(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if r.Reply != consulta.ReplyAnswered || r.Status != consulta.StatusAnswered {
		t.Errorf("after marking: reply %q status %q, want answered and answered", r.Reply, r.Status)
	}
	if n := e.auditCount("response.reply"); n != 1 {
		t.Errorf("%d reply entries in the audit log, want 1", n)
	}
	_, list := a.get("/admin/responses?reply=answered")
	if !strings.Contains(list, `href="/admin/responses/`+id+`?`) {
		t.Errorf("the filter «respondida» does not list the response")
	}
	if _, list = a.get("/admin/responses?reply=requested"); strings.Contains(list, `<td><a href="/admin/responses/`) {
		t.Errorf("an answered response is still listed as waiting for a reply")
	}
}

func (e *env) audit(action string) []*consulta.AuditEntry {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	entries, err := e.store.AuditEntries(ctx, consulta.AuditFilter{Action: action})
	if err != nil {
		e.t.Fatal(err)
	}
	return entries
}

func (e *env) auditCount(action string) int { return len(e.audit(action)) }
