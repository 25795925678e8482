package forms

import (
	"net/url"
	"slices"
	"strings"
)

// AllowsPage reports whether page, the URL of a page that embedded the form,
// may be kept with a response and named in reports: its host must be the
// host of one of the form's origins (the pages allowed to frame it) or one of
// hosts (CONSULTA_PAGE_HOSTS and the base URL's host, config.KeptPageHosts).
// Hosts compare without case and without the scheme's default port. Anyone
// can send any page with a submission, and the official report ranks pages:
// a page elsewhere is not the portal's.
func (f *Form) AllowsPage(page string, hosts []string) bool {
	host := urlHost(page)
	if host == "" {
		return false
	}
	for _, origin := range f.Origins {
		if urlHost(origin) == host {
			return true
		}
	}
	return slices.ContainsFunc(hosts, func(h string) bool { return bareHost(strings.ToLower(h), "") == host })
}

// urlHost is the host[:port] of an http(s) URL, lower-cased and without the
// scheme's default port; "" when raw has none.
func urlHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	return bareHost(strings.ToLower(u.Host), u.Scheme)
}

// bareHost drops the default port of scheme from host (either default when
// scheme is "").
func bareHost(host, scheme string) string {
	if scheme != "https" {
		host = strings.TrimSuffix(host, ":80")
	}
	if scheme != "http" {
		host = strings.TrimSuffix(host, ":443")
	}
	return host
}
