package workspace_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

// TestExportKeepsTheFilter plays the analyst's journey over HTTP: filter the
// responses by form and session, follow the page's export link, download
// what the export page's form sends, and count the rows; the audit log holds
// the filter applied. The filtered form is not the first of the list, so a
// lost filter would preselect another.
func TestExportKeepsTheFilter(t *testing.T) {
	e := newEnv(t)
	e.addUser("analyst@mineduc.test", "analyst", "")
	code := e.createSession("asoc-a", "fa@asoc-a.test")
	const inSession = 3
	for i := range inSession {
		mustSubmit(t, e, "sugerencias", fmt.Sprintf(`{"answers":{"topic":"docentes","message":"En la sala %d"},"lang":"es","session":%q}`, i, code))
	}
	for i := range 4 {
		mustSubmit(t, e, "sugerencias", fmt.Sprintf(`{"answers":{"topic":"docentes","message":"Desde el portal %d"},"lang":"es"}`, i))
	}
	b := e.login("analyst@mineduc.test")

	_, list := b.get("/admin/responses?form=sugerencias&session=" + code + "&lang=es")
	m := regexp.MustCompile(`<a href="(/admin/export\?[^"]*)">`).FindStringSubmatch(list)
	if m == nil {
		t.Fatalf("no export link on the responses page:\n%s", list)
	}
	link := html.UnescapeString(m[1])
	u, err := url.Parse(link)
	if err != nil || u.Query().Get("form") != "sugerencias" || u.Query().Get("session") != code {
		t.Fatalf("export link %q does not carry the filter", link)
	}

	res, page := b.get(link + "&lang=es")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("export page: %d", res.StatusCode)
	}
	if !strings.Contains(page, `<option value="sugerencias" selected>Buzón de sugerencias</option>`) {
		t.Errorf("the filtered form is not preselected by its title:\n%s", page)
	}
	if !strings.Contains(page, "<dt>Sesión</dt><dd>"+code+"</dd>") {
		t.Errorf("the export page does not show the session filter:\n%s", page)
	}
	download := submittedQuery(t, page)
	download.Set("format", "csv")
	res, body := b.get("/admin/export/download?" + download.Encode())
	if res.StatusCode != http.StatusOK {
		t.Fatalf("download: %d %s", res.StatusCode, body)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != inSession+1 {
		t.Errorf("%d rows, want the header and the session's %d responses", len(rows), inSession)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	entries, err := e.store.AuditEntries(ctx, consulta.AuditFilter{Action: "export"})
	if err != nil || len(entries) != 1 {
		t.Fatalf("audit: %v, %d entries", err, len(entries))
	}
	if d := entries[0].Detail; !strings.Contains(d, "session="+code) || !strings.Contains(d, "form=sugerencias") {
		t.Errorf("audited %q, not the filter applied", d)
	}
}

func mustSubmit(t *testing.T, e *env, form, body string) {
	t.Helper()
	if res, out := e.submit(form, body); res.StatusCode != http.StatusCreated {
		t.Fatalf("submit: %d %s", res.StatusCode, out)
	}
}

// submittedQuery is what the export page's form sends as it stands: its
// hidden fields and the selected form.
func submittedQuery(t *testing.T, page string) url.Values {
	t.Helper()
	v := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`).FindAllStringSubmatch(page, -1) {
		v.Add(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	sel := regexp.MustCompile(`<select id="form" name="form"[^>]*>.*?<option value="([^"]+)" selected>`).FindStringSubmatch(page)
	if sel == nil {
		t.Fatal("no form selected on the export page")
	}
	v.Set("form", sel[1])
	return v
}
