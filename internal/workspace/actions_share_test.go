package workspace_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"

	"github.com/consulta/consulta/internal/workspace"
)

// TestActionsPageBranding: /acciones names the organisation that runs the
// portal, with its logo, as the portal's pages do, not the workspace.
func TestActionsPageBranding(t *testing.T) {
	e := newEnvWith(t, func(d *workspace.Deps) { d.OrgName, d.OrgLogo = "Ministerio de Pruebas", true })
	for _, path := range []string{"/acciones", "/acciones?lang=quc", "/sesion"} {
		_, page := e.browser().get(path)
		if !strings.Contains(page, `<span class="org">Ministerio de Pruebas</span>`) || !strings.Contains(page, `<img src="/org-logo"`) {
			t.Errorf("%s does not carry the portal's name and logo:\n%s", path, page)
		}
		if !strings.Contains(page, "Ministerio de Pruebas</title>") {
			t.Errorf("%s: the title does not name the organisation", path)
		}
	}
}

// TestSharedActionPreviewAndPublish: an analyst answers two responses with
// one action from the list: the preview shows the /acciones entry and
// changes nothing; publishing sets both to actioned (audited) and
// /acciones shows one entry with what the two said, counted; a third
// response attached later joins the same entry, keeping its date.
func TestSharedActionPreviewAndPublish(t *testing.T) {
	e := newEnv(t)
	e.addUser("analyst@mineduc.test", "analyst", "")
	submit := func(topic, page string) string {
		res, body := e.submit("sugerencias", `{"answers":{"topic":"`+topic+`","message":"Publiquen más datos, escriban a pepe@example.com"},"lang":"es","page":"`+page+`"}`)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("submit: %d %s", res.StatusCode, body)
		}
		var created struct{ ID string }
		_ = json.Unmarshal([]byte(body), &created)
		return created.ID
	}
	one := submit("docentes", "https://www.mineduc.gob.gt/transparencia/docentes?x=1")
	two := submit("establecimientos", "https://www.mineduc.gob.gt/transparencia/docentes")
	three := submit("docentes", "https://www.mineduc.gob.gt/transparencia/escuelas")
	a := e.login("analyst@mineduc.test")

	_, list := a.get("/admin/responses?form=sugerencias")
	if !strings.Contains(list, `name="id" value="`+one+`"`) || !strings.Contains(list, `action="/admin/actions/preview?form=sugerencias"`) {
		t.Fatalf("the list offers no way to choose responses for an action")
	}
	text := "Publicamos la lista de docentes por escuela; dudas a info@mineduc.test."
	form := url.Values{"id": {one, two}, "action": {text}}
	res, page := a.post("/admin/actions/preview?form=sugerencias", form)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("preview: %d", res.StatusCode)
	}
	for _, want := range []string{"2 personas dijeron:", "Docentes (1)", "Establecimientos educativos (1)",
		`href="https://www.mineduc.gob.gt/transparencia/docentes">https://www.mineduc.gob.gt/transparencia/docentes</a> (2)`,
		"Hicimos:", "Publicamos la lista de docentes por escuela", `action="/admin/actions?form=sugerencias"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the preview lacks %q", want)
		}
	}
	entry, _, _ := strings.Cut(page[strings.Index(page, `class="action-preview"`)+1:], "</div>")
	if strings.Contains(entry, "info@mineduc.test") || !strings.Contains(entry, "Publicamos") {
		t.Errorf("the previewed entry is not the scrubbed text /acciones will show: %s", entry)
	}
	if _, pub := e.browser().get("/acciones"); strings.Contains(pub, "Publicamos") {
		t.Fatalf("the preview published the action")
	}
	if r := e.response(one); r.Status != consulta.StatusNew {
		t.Errorf("the preview changed the status to %q", r.Status)
	}

	res, _ = a.post("/admin/actions?form=sugerencias", form)
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "form=sugerencias") {
		t.Fatalf("publish: %d to %q", res.StatusCode, loc)
	}
	for _, id := range []string{one, two} {
		if r := e.response(id); r.Status != consulta.StatusActioned {
			t.Errorf("%s: status %q after publishing, want actioned", id, r.Status)
		}
	}
	if n := e.auditCount("response.status"); n != 2 {
		t.Errorf("%d status changes audited, want 2", n)
	}
	if n := e.auditCount("action.publish"); n != 1 {
		t.Errorf("%d publications audited, want 1", n)
	}
	_, pub := e.browser().get("/acciones")
	if strings.Count(pub, "Publicamos la lista de docentes") != 1 || !strings.Contains(pub, "2 personas dijeron:") {
		t.Errorf("/acciones does not show one entry answering two responses:\n%s", pub)
	}
	_, published, _ := strings.Cut(pub, `<ol class="actions-log"><li>`)
	published, _, _ = strings.Cut(published, "</li>")
	_, previewed, _ := strings.Cut(page, `<div class="action-preview" lang="es">`)
	previewed, _, _ = strings.Cut(previewed, "</div>")
	if published == "" || published != previewed {
		t.Errorf("/acciones shows\n%s\nthe preview showed\n%s", published, previewed)
	}

	if _, quc := e.browser().get("/acciones?lang=quc"); !strings.Contains(quc, `<span lang="es">2 personas dijeron:</span>`) ||
		!strings.Contains(quc, `<span lang="es">Publicamos la lista`) {
		t.Errorf("/acciones?lang=quc does not mark the Spanish of a shared action lang=\"es\"")
	}

	// Attach the third to the published action.
	_, list = a.get("/admin/responses")
	m := regexp.MustCompile(`<option value="([^"]+)">[0-9-]+ · Publicamos`).FindStringSubmatch(list)
	if m == nil {
		t.Fatalf("the list does not offer the published action to attach to")
	}
	res, _ = a.post("/admin/actions", url.Values{"id": {three}, "existing": {m[1]}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("attach: %d", res.StatusCode)
	}
	_, pub = e.browser().get("/acciones")
	if strings.Count(pub, "Publicamos la lista de docentes") != 1 || !strings.Contains(pub, "3 personas dijeron:") || !strings.Contains(pub, "Docentes (2)") {
		t.Errorf("/acciones after attaching a third response:\n%s", pub)
	}
	if r := e.response(three); r.Status != consulta.StatusActioned {
		t.Errorf("attached response: status %q, want actioned", r.Status)
	}

	// Bad input: a clear message, nothing changed.
	for _, bad := range []url.Values{{"action": {"x"}}, {"id": {one}}, {"id": {one}, "action": {"x"}, "existing": {m[1]}},
		{"id": {one}, "existing": {"no-such-action"}}} {
		if res, page := a.post("/admin/actions", bad); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `class="error-summary"`) {
			t.Errorf("%v: status %d, want 422 with a message", bad, res.StatusCode)
		}
	}
}

// response reads a stored response.
func (e *env) response(id string) *consulta.Response {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r, err := e.store.Response(ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}
