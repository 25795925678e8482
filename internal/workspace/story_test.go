package workspace_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestStory plays the workspace story of issue 5 over HTTP: an admin creates a
// facilitator; the facilitator creates a session and prints its handout;
// participants answer with the code; the facilitator batch-enters three paper
// forms and imports a CSV; the live view shows the room's results; the summary
// PDF downloads; an analyst triages a suggestion and publishes an action that
// shows on /acciones; the audit log shows all of it.
func TestStory(t *testing.T) {
	e := newEnv(t)
	e.addUser("admin@mineduc.test", "admin", "")
	e.addUser("analyst@mineduc.test", "analyst", "")
	adm := e.login("admin@mineduc.test")

	res, body := adm.post("/admin/users", url.Values{"email": {"fac@asoc.test"}, "name": {"Facilitadora"},
		"role": {"facilitator"}, "org": {"asoc"}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create facilitator: %d %s", res.StatusCode, body)
	}
	fac := e.login("fac@asoc.test")
	now := time.Now().In(mustLoc(t))
	res, body = fac.post("/admin/sessions", url.Values{"form": {"sugerencias"}, "lang": {"es"},
		"date": {now.Format("2006-01-02")}, "municipality": {"0101"}, "place_name": {"Escuela 1"},
		"expected": {"12"}, "opens": {now.Add(-time.Hour).Format("2006-01-02T15:04")},
		"closes": {now.Add(2 * time.Hour).Format("2006-01-02T15:04")}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create session: %d %s", res.StatusCode, body)
	}
	code := regexp.MustCompile(`/admin/sessions/([A-Z0-9]+)`).FindStringSubmatch(res.Header.Get("Location"))[1]
	if res, body = fac.get("/admin/sessions/" + code + "/handout.pdf"); res.StatusCode != 200 || !strings.HasPrefix(body, "%PDF") {
		t.Fatalf("handout: %d", res.StatusCode)
	}
	if res, body = fac.get("/admin/sessions/" + code + "/qr.png"); res.StatusCode != 200 || !strings.HasPrefix(body, "\x89PNG") {
		t.Fatalf("qr: %d", res.StatusCode)
	}

	for i := 0; i < 2; i++ {
		res, body = e.submit("sugerencias", fmt.Sprintf(`{"answers":{"topic":"docentes","message":"Sugerencia %d de la sala"},"lang":"es","session":%q}`, i, code))
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("participant %d: %d %s", i, res.StatusCode, body)
		}
	}
	if res, _ = e.submit("sugerencias", `{"answers":{"message":"x"},"session":"ZZZZZZ"}`); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown code: %d, want 404", res.StatusCode)
	}

	for i := 0; i < 3; i++ {
		_, page := fac.get("/admin/sessions/" + code + "/entry")
		key := regexp.MustCompile(`name="key" value="([^"]+)"`).FindStringSubmatch(page)[1]
		res, body = fac.post("/admin/sessions/"+code+"/entry", url.Values{"key": {key}, "topic": {"establecimientos"},
			"message": {fmt.Sprintf("Formulario en papel %d", i)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("batch entry %d: %d %s", i, res.StatusCode, body)
		}
	}
	res, body = fac.get("/admin/forms/sugerencias/template.csv")
	if res.StatusCode != 200 || !strings.Contains(body, "topic") {
		t.Fatalf("template: %d %q", res.StatusCode, body)
	}
	csvFile := strings.TrimPrefix(body, "\ufeff") + "docentes,Pidieron más datos,,,,,\nEstadísticas educativas,Otra fila,,,,,\n"
	res, body = fac.upload("/admin/sessions/"+code+"/import", csvFile)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("import: %d %s", res.StatusCode, body)
	}
	res, body = fac.get("/admin/sessions/" + code + "/live")
	if res.StatusCode != 200 || !strings.Contains(body, "7 respuestas") {
		t.Errorf("live view: %d, want 7 responses in %s", res.StatusCode, excerptOf(body, "live-count"))
	}
	if res, body = fac.get("/admin/sessions/" + code + "/summary.pdf"); res.StatusCode != 200 || !strings.HasPrefix(body, "%PDF") {
		t.Errorf("summary: %d", res.StatusCode)
	}

	ana := e.login("analyst@mineduc.test")
	_, list := ana.get("/admin/responses?session=" + code + "&q=sala")
	ids := regexp.MustCompile(`href="/admin/responses/([a-z0-9]+)\?`).FindAllStringSubmatch(list, -1)
	if len(ids) != 2 {
		t.Fatalf("responses browser found %d, want 2", len(ids))
	}
	res, body = ana.post("/admin/responses/"+ids[0][1]+"/triage", url.Values{"status": {"actioned"}, "tags": {"docentes"},
		"note": {"Revisado"}, "action": {"Publicamos la lista de docentes por escuela."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("triage: %d %s", res.StatusCode, body)
	}
	if _, body = e.browser().get("/acciones"); !strings.Contains(body, "Publicamos la lista de docentes") {
		t.Errorf("/acciones lacks the action")
	}
	_, audit := adm.get("/admin/audit")
	for _, want := range []string{"Inicio de sesión", "Cuenta creada", "Sesión creada", "Importación CSV", "Cambio de estado", "Acción pública", "Resumen de sesión"} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit log lacks %q", want)
		}
	}
}

// upload posts a CSV file as multipart form data.
func (b *browser) upload(path, content string) (*http.Response, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf", b.csrf)
	fw, _ := mw.CreateFormFile("file", "papel.csv")
	_, _ = fw.Write([]byte(content))
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.e.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

func mustLoc(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("America/Guatemala")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func excerptOf(body, marker string) string {
	i := strings.Index(body, marker)
	if i < 0 {
		return body[:min(len(body), 300)]
	}
	return body[i:min(len(body), i+200)]
}
