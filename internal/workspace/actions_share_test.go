package workspace_test

import (
	"strings"
	"testing"

	"github.com/consulta/consulta/internal/workspace"
)

// TestActionsPageBranding: /acciones names the organisation that runs the
// portal, with its logo, as the portal's pages do, not the workspace.
func TestActionsPageBranding(t *testing.T) {
	e := newEnvWith(t, func(d *workspace.Deps) { d.OrgName, d.OrgLogo = "Ministerio de Pruebas", true })
	for _, path := range []string{"/acciones", "/acciones?lang=quc", "/sesion"} {
		_, page := e.browser().get(path)
		if !strings.Contains(page, `<span class="org">Ministerio de Pruebas</span>`) || !strings.Contains(page, `<img src="/org-logo"`) {
			t.Errorf("%s does not carry the portal's name and logo:\n%s", path, page)
		}
		if !strings.Contains(page, "Ministerio de Pruebas</title>") {
			t.Errorf("%s: the title does not name the organisation", path)
		}
	}
}
