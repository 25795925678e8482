package workspace_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/store"
)

// TestReportsOnDemand: an analyst generates a report now; it is kept in the
// archive, listed, downloadable as a PDF, and both steps are audited. A form
// with mistakes is answered with the localized problems.
func TestReportsOnDemand(t *testing.T) {
	e := newEnv(t)
	e.addUser("analyst@mineduc.test", "analyst", "")
	for i := 0; i < 6; i++ {
		if res, body := e.submit("sugerencias", `{"answers":{"topic":"docentes","message":"Publiquen el calendario escolar completo","consent":true},"lang":"es"}`); res.StatusCode != http.StatusCreated {
			t.Fatalf("submit: %d %s", res.StatusCode, body)
		}
	}
	b := e.login("analyst@mineduc.test")
	today := time.Now().Format(time.DateOnly)

	for _, tc := range []struct {
		name string
		form url.Values
		want string
	}{
		{"bad dates", url.Values{"form": {"sugerencias"}, "from": {"ayer"}, "to": {today}, "report_lang": {"es"}}, "AAAA-MM-DD"},
		{"reversed", url.Values{"form": {"sugerencias"}, "from": {today}, "to": {"2020-01-01"}, "report_lang": {"es"}}, "anterior"},
		{"unknown form", url.Values{"form": {"nope"}, "from": {"2020-01-01"}, "to": {today}, "report_lang": {"es"}}, "Elija un formulario"},
		{"language", url.Values{"form": {"sugerencias"}, "from": {"2020-01-01"}, "to": {today}, "report_lang": {"quc"}}, "Elija español o inglés"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, body := b.post("/admin/reports?lang=es", tc.form)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) {
				t.Errorf("status %d, want 422 with %q", res.StatusCode, tc.want)
			}
		})
	}

	res, body := b.post("/admin/reports", url.Values{"form": {"sugerencias"}, "from": {"2020-01-01"}, "to": {today}, "report_lang": {"en"}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/admin/reports") {
		t.Fatalf("generate: status %d %s", res.StatusCode, body)
	}
	_, page := b.get("/admin/reports?form=sugerencias")
	i := strings.Index(page, "/admin/reports/download?id=")
	if i < 0 {
		t.Fatalf("the stored report is not listed:\n%s", page)
	}
	link := page[i:]
	link = link[:strings.IndexByte(link, '"')]
	if !strings.Contains(page, "on_demand") && !strings.Contains(page, "A pedido") && !strings.Contains(page, "On demand") {
		t.Error("the report's kind is not shown")
	}
	res, pdf := b.get(strings.ReplaceAll(link, "&amp;", "&"))
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(pdf, "%PDF-") || res.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("download: status %d %q", res.StatusCode, pdf[:min(len(pdf), 40)])
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, action := range []string{"report.generate", "report.download"} {
		entries, err := e.store.AuditEntries(ctx, store.AuditFilter{Action: action, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || entries[0].Actor != "analyst@mineduc.test" {
			t.Errorf("%s: %d audit entries", action, len(entries))
		}
	}
}
