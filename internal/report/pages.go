package report

import (
	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
)

// dropForeignPage reads a response's embedding page as none when the form
// does not allow its host (forms.Form.AllowsPage): such a response counts
// among "other pages or none", and no table, ranking or key finding names a
// page of a site that is not the portal's. Intake no longer stores such
// pages; this keeps those stored by earlier releases, or by any other path,
// out of the official reports and /datos as well.
func dropForeignPage(f *forms.Form, r *consulta.Response, hosts []string) {
	if r.Page != "" && !f.AllowsPage(r.Page, hosts) {
		r.Page = ""
	}
}
