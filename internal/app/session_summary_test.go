package app_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestSessionSummaryCover (issue 11 item 13): a CSO's facilitator runs a
// session of 20 people, 17 answering with the code and 3 on paper forms the
// facilitator types in. The summary's cover names the place, the date, the
// organisation and the facilitator and states its k (CONSULTA_SESSION_K, 3
// by default); its paper forms are attributed to the facilitator, not to
// the ministry's team; and a room of 20 is readable: a topic chosen by 3
// people is shown, where the published reports' k = 5 hid it and the counts
// around it. When an admin types in one more form, both are named.
func TestSessionSummaryCover(t *testing.T) {
	r := boot(t, t.TempDir())
	addNamedStaff(t, r, "ana@fundal.test", "facilitator", "FUNDAL", "Ana Tzul", staffPassword)
	fac := newStaff(t, r).mustSignIn("ana@fundal.test", staffPassword)
	code := openSession(t, fac, "sugerencias")
	for i := range 17 {
		topic := "docentes"
		if i < 5 {
			topic = "otro"
		}
		submit(t, r, "sugerencias", code, map[string]any{"topic": topic, "message": "Necesitamos más docentes en la escuela del caserío."})
	}
	for range 3 {
		enterPaperForm(t, fac, code, url.Values{"topic": {"programas_apoyo"}, "message": {"Formulario en papel: piden becas para primaria."}})
	}
	a := fac.get("/admin/sessions/" + code + "/summary.pdf")
	if a.status != http.StatusOK {
		t.Fatalf("summary: status %d", a.status)
	}
	if dir := os.Getenv("CONSULTA_REPORT_DIR"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "session-summary.pdf"), []byte(a.body), 0o644)
	}
	text := pdfText(t, []byte(a.body))
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{
		"Lugar: Guatemala", "Fecha: ", "Organización: FUNDAL", "Facilitación: Ana Tzul",
		"k = 3", "ingresados en la plataforma desde la página de la sesión por Ana Tzul (FUNDAL)",
		"Ministerio de Educación", // the service's organisation, on the cover
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the summary lacks %q", want)
		}
	}
	if strings.Contains(flat, "equipo del Ministerio") || strings.Contains(flat, "(importados)") {
		t.Error("the summary says the ministry's team imported the session's paper forms")
	}
	if !strings.Contains(flat, "Formularios en papel de la sesión 3") {
		t.Errorf("the chart of channels does not say the paper forms were typed in by the facilitators:\n%s", text[:min(len(text), 3000)])
	}
	row := regexp.MustCompile(`(?m)^\s*Programas de apoyo\s+(.*)$`).FindStringSubmatch(text)
	if row == nil || !strings.HasPrefix(strings.TrimSpace(row[1]), "3") {
		t.Errorf("the topic 3 people chose is not shown: %q", row)
	}

	// An admin of the ministry types in one more paper form: the summary now
	// names both who entered forms, as the audit log recorded them.
	addNamedStaff(t, r, "luis@mineduc.test", "admin", "", "Luis Coj", staffPassword)
	admin := newStaff(t, r).mustSignIn("luis@mineduc.test", staffPassword)
	enterPaperForm(t, admin, code, url.Values{"topic": {"docentes"}, "message": {"Formulario en papel que llegó después."}})
	a = fac.get("/admin/sessions/" + code + "/summary.pdf")
	flat = strings.Join(strings.Fields(pdfText(t, []byte(a.body))), " ")
	if !strings.Contains(flat, "desde la página de la sesión por Ana Tzul, Luis Coj") {
		t.Errorf("the summary does not name both who entered paper forms:\n%.3000s", flat)
	}
}

// enterPaperForm types one paper form into session code's batch entry as s,
// with the page's own idempotency key.
func enterPaperForm(t *testing.T, s *staff, code string, answers url.Values) {
	t.Helper()
	page := s.get("/admin/sessions/" + code + "/entry")
	m := regexp.MustCompile(`name="key" value="([^"]+)"`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("batch entry page: status %d", page.status)
	}
	answers.Set("key", m[1])
	if a := s.post("/admin/sessions/"+code+"/entry", answers); a.status != http.StatusSeeOther {
		t.Fatalf("batch entry: status %d %.300s", a.status, a.body)
	}
}
