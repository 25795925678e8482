package workspace_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/report"
	"github.com/consulta/consulta/internal/schedule"
	"github.com/consulta/consulta/internal/shippedtest"
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
		entries, err := e.store.AuditEntries(ctx, consulta.AuditFilter{Action: action, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || entries[0].Actor != "analyst@mineduc.test" {
			t.Errorf("%s: %d audit entries", action, len(entries))
		}
	}
}

// TestReportsPageShowsScheduledRuns: the reports page shows a scheduled run
// that failed with its reason in plain words, the technical detail and its
// next try in the configured time zone, and a run whose form had no
// responses as done with no report.
func TestReportsPageShowsScheduledRuns(t *testing.T) {
	e := newEnv(t)
	e.addUser("analyst@mineduc.test", "analyst", "")
	reg, tr, cat := shippedtest.Catalogs(t)
	loc := mustLoc(t)
	// 06:00 in Guatemala is 12:00 UTC: the page must show Guatemala's time.
	clock := clockwork.NewFakeClockAt(time.Date(2020, 3, 1, 6, 0, 0, 0, loc))
	ctx := context.Background()
	execute := func(formID string, at time.Time) {
		t.Helper()
		s, err := schedule.New(e.store, report.Deps{Forms: reg, Translator: tr, Geo: cat, Source: e.store, Location: loc},
			schedule.Config{Clock: clock, Location: loc, Forms: []string{formID}, Monthly: "-", Biannual: "-"})
		if err != nil {
			t.Fatal(err)
		}
		p, _ := schedule.PeriodBefore(schedule.Monthly, at, loc)
		_, _ = s.Execute(ctx, p)
	}
	execute("no-such-form", clock.Now())                           // February 2020: fails
	execute("sugerencias", time.Date(2020, 2, 1, 6, 0, 0, 0, loc)) // January 2020: no responses

	b := e.login("analyst@mineduc.test")
	_, page := b.get("/admin/reports?lang=es")
	for _, want := range []string{
		"Informes programados", "America/Guatemala",
		"2020-02-01 – 2020-02-29", "Falló; se volverá a intentar", "Uno de los formularios del informe ya no existe.",
		"Detalle técnico", "no-such-form", "2020-03-01 06:05",
		"2020-01-01 – 2020-01-31", "Sin respuestas en este periodo: sugerencias. No se generó informe.",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "/admin/reports/download?id=monthly") {
		t.Error("a scheduled report is listed for a period without responses")
	}
	_, page = b.get("/admin/reports?lang=en")
	for _, want := range []string{"Scheduled reports", "no longer exists", "No responses in this period: sugerencias"} {
		if !strings.Contains(page, want) {
			t.Errorf("the English page lacks %q", want)
		}
	}
}
