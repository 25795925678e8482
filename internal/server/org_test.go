package server_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every stand-alone page names who runs the service (MINEDUC by default, or
// CONSULTA_ORG_NAME with its logo), and the favicon browsers ask for exists.
func TestOrganisationAndFavicon(t *testing.T) {
	a := startApp(t, nil)
	for _, path := range []string{"/", "/f/sugerencias", "/f/utilidad-pagina/thanks?lang=es", "/datos"} {
		r := a.get(t, path, nil)
		if r.status != http.StatusOK || !strings.Contains(r.body, `<span class="org">Ministerio de Educación</span>`) ||
			!strings.Contains(r.body, `rel="icon" href="/static/favicon.svg"`) {
			t.Errorf("%s: %d, no organisation or no favicon in:\n%.600s", path, r.status, r.body)
		}
	}
	if r := a.get(t, "/favicon.ico", nil); r.status != http.StatusMovedPermanently || r.header.Get("Location") != "/static/favicon.svg" {
		t.Errorf("/favicon.ico: %d to %q", r.status, r.header.Get("Location"))
	}
	if r := a.get(t, "/static/favicon.svg", nil); r.status != http.StatusOK || !strings.HasPrefix(r.body, "<svg") {
		t.Errorf("/static/favicon.svg: %d", r.status)
	}
	if r := a.get(t, "/org-logo", nil); r.status != http.StatusNotFound {
		t.Errorf("/org-logo without a logo: %d, want 404", r.status)
	}

	logo := filepath.Join(t.TempDir(), "logo.svg")
	if err := os.WriteFile(logo, []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>`), 0o600); err != nil {
		t.Fatal(err)
	}
	b := startApp(t, map[string]string{"CONSULTA_ORG_NAME": "Municipalidad de Cobán", "CONSULTA_ORG_LOGO_FILE": logo})
	r := b.get(t, "/f/sugerencias", nil)
	if !strings.Contains(r.body, `<img src="/org-logo" alt="" height="32"> <span class="org">Municipalidad de Cobán</span>`) {
		t.Errorf("configured organisation not shown:\n%.800s", r.body)
	}
	if r := b.get(t, "/org-logo", nil); r.status != http.StatusOK || r.header.Get("Content-Type") != "image/svg+xml" {
		t.Errorf("/org-logo: %d %s", r.status, r.header.Get("Content-Type"))
	}
}
