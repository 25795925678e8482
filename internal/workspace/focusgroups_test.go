package workspace_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

// pdfText reads a PDF back with pdftotext -layout.
func pdfText(t *testing.T, body string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils)")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v %s", err, out)
	}
	return string(out)
}

// TestPaperQuestionnaire prints a session's questionnaire and a blank one in
// English, reads them back, and checks that the questions come in the order
// of the batch-entry form, one option a line, with the session's code.
func TestPaperQuestionnaire(t *testing.T) {
	e := newEnv(t)
	e.addUser("fa@asoc-a.test", "facilitator", "asoc-a")
	code := e.createSession("asoc-a", "fa@asoc-a.test")
	fac := e.login("fa@asoc-a.test")

	_, entry := fac.get("/admin/sessions/" + code + "/entry")
	var order []string
	for _, m := range regexp.MustCompile(`<legend id="q_[^"]+">([^<🔒]+)|<label for="q_[^"]+">([^<🔒]+)`).FindAllStringSubmatch(entry, -1) {
		order = append(order, strings.TrimSpace(m[1]+m[2]))
	}
	if len(order) < 3 {
		t.Fatalf("batch entry has %d questions", len(order))
	}
	res, body := fac.get("/admin/sessions/" + code + "/questionnaire.pdf")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("questionnaire: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	text := pdfText(t, body)
	if !strings.Contains(text, "Código de la sesión: "+code) {
		t.Errorf("no session code in:\n%s", text)
	}
	last := -1
	for i, label := range order {
		at := strings.Index(text, label[:min(len(label), 30)])
		if at < 0 || at < last {
			t.Fatalf("question %d %q missing or out of batch-entry order:\n%s", i+1, label, text)
		}
		last = at
	}
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, "Docentes") && strings.Contains(l, "Estadísticas educativas") {
			t.Errorf("two options on one line: %q", l)
		}
	}

	res, body = fac.get("/admin/forms/sugerencias/questionnaire.pdf?lang=en")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("blank questionnaire: %d", res.StatusCode)
	}
	if text := pdfText(t, body); !strings.Contains(text, "Session code: ____") || strings.Contains(text, code) {
		t.Errorf("blank English questionnaire:\n%s", text)
	}
	if res, _ = fac.get("/admin/forms/nosuchform/questionnaire.pdf"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown form: %d, want 404", res.StatusCode)
	}
	if _, page := fac.get("/admin/sessions"); !strings.Contains(page, `/admin/forms/sugerencias/questionnaire.pdf?lang=en`) {
		t.Error("the sessions page does not offer the blank questionnaires")
	}
}

// TestSessionCodePage types codes on the public /sesion page as a
// participant would, without scripts: a good one (in lower case, spaced
// out) lands on the form in the session's language, a wrong or closed one
// gets a message, and an address that keeps guessing is stopped.
func TestSessionCodePage(t *testing.T) {
	e := newEnv(t)
	e.addUser("fa@asoc-a.test", "facilitator", "asoc-a")
	code := e.createSession("asoc-a", "fa@asoc-a.test")
	anon := e.browser()
	res, page := anon.get("/sesion")
	if res.StatusCode != http.StatusOK || !strings.Contains(page, `name="codigo"`) || !strings.Contains(page, `method="get"`) {
		t.Fatalf("/sesion: %d\n%s", res.StatusCode, page)
	}
	if strings.Contains(page, "admin-bar") || !strings.Contains(page, `class="site"`) {
		t.Error("/sesion does not wear the portal's chrome")
	}
	typed := strings.ToLower(code[:3]) + " " + strings.ToLower(code[3:])
	res, _ = anon.get("/sesion?codigo=" + url.QueryEscape(typed))
	if want := "/f/sugerencias?session=" + code + "&lang=es"; res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
		t.Fatalf("good code: %d %q, want 303 to %s", res.StatusCode, res.Header.Get("Location"), want)
	}
	res, page = anon.get("/sesion?codigo=QQQQQQ")
	if res.StatusCode != http.StatusNotFound || !strings.Contains(page, "No hay ninguna sesión con el código QQQQQQ") {
		t.Errorf("unknown code: %d\n%s", res.StatusCode, page)
	}
	res, page = anon.get("/sesion?codigo=ab&lang=en")
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "is not a session code") || !strings.Contains(page, `lang="en"`) {
		t.Errorf("malformed code: %d\n%s", res.StatusCode, page)
	}
	res, page = anon.get("/sesion?codigo=QQQQQQ&lang=quc")
	if res.StatusCode != http.StatusNotFound || !strings.Contains(page, `<html lang="quc"`) || !strings.Contains(page, `<span lang="es">No hay ninguna sesión`) {
		t.Errorf("K'iche' page: Spanish fallback not marked:\n%s", page)
	}

	fac := e.login("fa@asoc-a.test")
	res, page = fac.post("/admin/sessions/"+code+"/window", url.Values{"close_now": {"1"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(page, `name="confirm" value="1"`) {
		t.Fatalf("close now without confirmation: %d, want the confirmation page", res.StatusCode)
	}
	if res, _ = anon.get("/sesion?codigo=" + code); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the session closed before confirmation: %d", res.StatusCode)
	}
	if res, _ = fac.post("/admin/sessions/"+code+"/window", url.Values{"close_now": {"1"}, "confirm": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmed close: %d", res.StatusCode)
	}
	res, page = anon.get("/sesion?codigo=" + code)
	if res.StatusCode != http.StatusForbidden || !strings.Contains(page, "no está abierta ahora") {
		t.Errorf("closed session: %d\n%s", res.StatusCode, page)
	}

	guesser := e.browser()
	refused := 0
	for range 40 {
		if res, _ := guesser.get("/sesion?codigo=QQQQQQ"); res.StatusCode == http.StatusTooManyRequests {
			refused++
		}
	}
	if refused == 0 {
		t.Error("40 wrong codes from one address were never refused")
	}
}

// TestNewSessionDefaults: the proposed window opens at the next quarter hour
// of local time, never in the past.
func TestNewSessionDefaults(t *testing.T) {
	e := newEnv(t)
	e.addUser("fa@asoc-a.test", "facilitator", "asoc-a")
	fac := e.login("fa@asoc-a.test")
	before := time.Now()
	_, page := fac.get("/admin/sessions/new")
	m := regexp.MustCompile(`id="opens"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*id="opens"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no opening time proposed:\n%s", page)
	}
	opens, err := time.ParseInLocation("2006-01-02T15:04", m[1]+m[2], mustLoc(t))
	if err != nil {
		t.Fatal(err)
	}
	if !opens.After(before) || opens.Sub(before) > 15*time.Minute || opens.Minute()%15 != 0 {
		t.Errorf("proposed opening %s at %s: want the next quarter hour", opens, before.In(mustLoc(t)))
	}
}

// TestLiveViewForTheRoom: the live view speaks the session's language (not
// the browser's), lists only the departments that have answers, and drops
// the workspace's header in projector mode.
func TestLiveViewForTheRoom(t *testing.T) {
	e := newEnv(t)
	e.addUser("fa@asoc-a.test", "facilitator", "asoc-a")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	now := time.Now()
	g := &consulta.FocusGroup{Org: "asoc-a", Facilitator: "fa@asoc-a.test", FormID: "necesidades-informacion", Lang: "en",
		Date: now, Expected: 10, OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(time.Hour)}
	if err := e.store.CreateFocusGroup(ctx, g, func() string { return "LVVQAA" }); err != nil {
		t.Fatal(err)
	}
	res, body := e.submit("necesidades-informacion", `{"answers":{"role":"docente","location":{"department":"01","municipality":"0101"},"info_sought":["matricula"],"consent":true},"lang":"en","session":"LVVQAA"}`)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("participant: %d %s", res.StatusCode, body)
	}
	fac := e.login("fa@asoc-a.test")
	_, page := fac.get("/admin/sessions/LVVQAA/live?lang=es")
	if !strings.Contains(page, `<div id="live-questions" lang="en">`) || !strings.Contains(page, "Teacher") {
		t.Errorf("live view not in the session's language:\n%s", page)
	}
	if !strings.Contains(page, ">Guatemala<") || strings.Contains(page, "Petén") {
		t.Errorf("live view lists departments without answers (or misses the one with):\n%s", page)
	}
	if !strings.Contains(page, `class="admin-bar"`) {
		t.Error("the normal live view lost the workspace header")
	}
	if _, page = fac.get("/admin/sessions/LVVQAA/live?projector=1"); strings.Contains(page, `class="admin-bar"`) || strings.Contains(page, "/admin/logout") {
		t.Errorf("projector mode shows the workspace header:\n%s", page)
	}
}
