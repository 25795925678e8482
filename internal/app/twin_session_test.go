package app_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestSessionSummaryTwin: the session's page links its summary as HTML
// beside the PDF, and the page is the summary's document: its language,
// its tables with captions and header cells, the figures of the PDF, no
// script.
func TestSessionSummaryTwin(t *testing.T) {
	r := boot(t, t.TempDir())
	addNamedStaff(t, r, "ana@fundal.test", "facilitator", "FUNDAL", "Ana Tzul", staffPassword)
	fac := newStaff(t, r).mustSignIn("ana@fundal.test", staffPassword)
	code := openSession(t, fac, "sugerencias")
	for range 12 {
		submit(t, r, "sugerencias", code, map[string]any{"topic": "docentes", "message": "Necesitamos más docentes en la escuela del caserío."})
	}
	if page := fac.get("/admin/sessions/" + code); !strings.Contains(page.body, `href="/admin/sessions/`+code+`/summary.html"`) {
		t.Fatalf("the session's page does not link the HTML summary: %d", page.status)
	}
	a := fac.get("/admin/sessions/" + code + "/summary.html")
	if a.status != http.StatusOK || !strings.HasPrefix(a.header.Get("Content-Type"), "text/html") {
		t.Fatalf("summary.html: %d %q", a.status, a.header.Get("Content-Type"))
	}
	page := a.body
	for _, want := range []string{`<html lang="es">`, "<h1>", `<th scope="col">`, `<th scope="row"`, "<caption>",
		`href="/admin/sessions/` + code + `/summary.pdf"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the HTML summary lacks %s", want)
		}
	}
	if strings.Contains(page, "<script") {
		t.Error("the HTML summary has a script")
	}
	pdf := fac.get("/admin/sessions/" + code + "/summary.pdf")
	flat := strings.Join(strings.Fields(pdfText(t, []byte(pdf.body))), " ")
	cells := regexp.MustCompile(`<td class="num">([^<]*)</td>`).FindAllStringSubmatch(page, -1)
	if len(cells) == 0 {
		t.Fatal("no figures on the HTML summary")
	}
	for _, c := range cells {
		if v := strings.Join(strings.Fields(html.UnescapeString(c[1])), " "); !strings.Contains(flat, v) {
			t.Errorf("figure %q of the HTML summary is not in the PDF", v)
		}
	}
}
