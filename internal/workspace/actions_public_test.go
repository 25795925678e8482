package workspace_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestActionsPagePublic: /acciones wears the portal's chrome (not the
// workspace's), shows what was said (the topic chosen and the page) beside
// what was done, and under ?lang=quc marks the Spanish it falls back to.
func TestActionsPagePublic(t *testing.T) {
	e := newEnv(t)
	e.addUser("analyst@mineduc.test", "analyst", "")
	res, body := e.submit("sugerencias", `{"answers":{"topic":"docentes","message":"Publiquen la lista de docentes"},"lang":"es","page":"https://www.mineduc.gob.gt/transparencia/docentes?id=7"}`)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("submit: %d %s", res.StatusCode, body)
	}
	var created struct{ ID string }
	_ = json.Unmarshal([]byte(body), &created)
	an := e.login("analyst@mineduc.test")
	if res, body = an.post("/admin/responses/"+created.ID+"/triage", url.Values{"status": {"actioned"},
		"action": {"Publicamos la lista de docentes por escuela."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("triage: %d %s", res.StatusCode, body)
	}

	_, page := e.browser().get("/acciones")
	for _, want := range []string{`class="site"`, "Usted dijo:", "Docentes", "Hicimos:", "Publicamos la lista de docentes por escuela.",
		`href="https://www.mineduc.gob.gt/transparencia/docentes"`} {
		if !strings.Contains(page, want) {
			t.Errorf("/acciones lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "admin-bar") || strings.Contains(page, "Espacio de trabajo") || strings.Contains(page, "id=7") {
		t.Errorf("/acciones shows the workspace's chrome or the page's query:\n%s", page)
	}
	_, page = e.browser().get("/acciones?lang=quc")
	if !strings.Contains(page, `<html lang="quc">`) || !strings.Contains(page, `<span lang="es">Hicimos:</span>`) {
		t.Errorf("/acciones?lang=quc: Spanish text not marked lang=\"es\":\n%s", page)
	}
}
