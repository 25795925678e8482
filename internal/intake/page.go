package intake

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/consulta/consulta/internal/forms"
)

// maxPageLength bounds the embedding page's URL as sent; longer ones are dropped.
const maxPageLength = 2048

// CleanPage is what Consulta keeps of an embedding page's URL: its scheme,
// host and path, or "" when raw is not a plausible http(s) URL. The query and
// fragment go, because portal pages carry tokens, search terms and even ID
// numbers there (?token=…&dpi=…), and the URL is stored, listed in the
// workspace, exported and named in reports; user information goes for the
// same reason. The path stays (it names the page), percent-encoded, so that
// no control or bidirectional character of it survives either.
//
// The form page and its no-JavaScript post, the JSON API and Submit all use
// it, so every channel stores the same thing.
func CleanPage(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > maxPageLength || !utf8.ValidString(raw) {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	kept := url.URL{Scheme: u.Scheme, Host: strings.ToLower(u.Host), Path: u.Path, RawPath: u.RawPath}
	return kept.String()
}

// keepPage decides what sub keeps of its embedding page: CleanPage of it
// when the form allows its host (forms.Form.AllowsPage with s.PageHosts),
// else nothing. The answers are stored either way: they are a person's, and
// only the page's name is in doubt. It returns the host it dropped, if any.
func (s *Service) keepPage(form *forms.Form, sub *Submission) string {
	sub.Page = CleanPage(sub.Page)
	if sub.Page == "" || form.AllowsPage(sub.Page, s.PageHosts) {
		return ""
	}
	u, _ := url.Parse(sub.Page)
	sub.Page = ""
	return u.Host
}
