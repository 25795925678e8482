package workspace_test

import (
	"bytes"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/consulta/consulta/internal/shippedtest"
	"github.com/consulta/consulta/internal/xlsform"
)

// TestXLSFormDownload: an analyst finds every form's XLSForm on the export
// page and downloads it; the file imports back into the same form.
func TestXLSFormDownload(t *testing.T) {
	e := newEnv(t)
	e.addUser("analyst@mineduc.test", "analyst", "")
	b := e.login("analyst@mineduc.test")
	res, page := b.get("/admin/export")
	if res.StatusCode != http.StatusOK || !strings.Contains(page, `href="/admin/forms/necesidades-informacion/xlsform.xlsx"`) ||
		!strings.Contains(page, "Recoger sin conexión (XLSForm)") {
		t.Fatalf("export page: status %d, no XLSForm link", res.StatusCode)
	}
	res, body := b.get("/admin/forms/necesidades-informacion/xlsform.xlsx")
	if res.StatusCode != http.StatusOK ||
		res.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ||
		res.Header.Get("Content-Disposition") != `attachment; filename="necesidades-informacion-v1.xlsx"` {
		t.Fatalf("download: status %d, type %q, disposition %q", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
	}
	got, err := xlsform.Import(bytes.NewReader([]byte(body)), xlsform.Options{Languages: []xlsform.Language{{Tag: "es", Name: "Español"}, {Tag: "en", Name: "English"}}})
	if err != nil {
		t.Fatalf("the download does not import: %v", err)
	}
	reg, _, _ := shippedtest.Catalogs(t)
	want, _ := reg.Get("necesidades-informacion")
	if got.Form.Hash() != want.Hash() || len(got.Skipped) != 0 || len(got.Translations["en"]) == 0 {
		t.Errorf("the download imports as another form (skipped %+v, %d English texts)", got.Skipped, len(got.Translations["en"]))
	}
	if res, _ := b.get("/admin/forms/no-existe/xlsform.xlsx"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown form: status %d", res.StatusCode)
	}
}

// TestImportKoboInSession uploads KoboToolbox's export on a session's import
// page twice: the second time nothing is stored again, and the page says
// so, and names the columns that answer nothing.
func TestImportKoboInSession(t *testing.T) {
	e := newEnv(t)
	e.addUser("fa@asoc-a.test", "facilitator", "asoc-a")
	code := e.createSession("asoc-a", "fa@asoc-a.test")
	fac := e.login("fa@asoc-a.test")
	kobo := `"_index";"grupo/topic";"grupo/message";"wants_reply";"total";"_uuid";"_submission_time"` + "\r\n" +
		`"1";"docentes";"Más datos de docentes";"no";"3";"2f1e0c9a-1111-4b2c-9d3e-000000000001";"2026-01-15T10:00:00"` + "\r\n" +
		`"2";"establecimientos";"Mapa de escuelas";"no";"3";"2f1e0c9a-1111-4b2c-9d3e-000000000002";"2026-01-15T11:00:00"` + "\r\n"
	res, _ := fac.upload("/admin/sessions/"+code+"/import", kobo)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first upload: status %d", res.StatusCode)
	}
	_, page := fac.get(res.Header.Get("Location"))
	page = html.UnescapeString(page)
	if !strings.Contains(page, "Se importaron 2 respuestas.") || !strings.Contains(page, "ignoradas: total.") {
		t.Errorf("after the first upload: %s", excerptOf(page, "notice"))
	}
	res, _ = fac.upload("/admin/sessions/"+code+"/import", kobo)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second upload: status %d", res.StatusCode)
	}
	_, page = fac.get(res.Header.Get("Location"))
	page = html.UnescapeString(page)
	if !strings.Contains(page, "Se importaron 0 respuestas. 2 filas ya estaban importadas y se omitieron.") {
		t.Errorf("after the second upload: %s", excerptOf(page, "notice"))
	}
}
