package server

import (
	"net/url"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/consulta/consulta/internal/intake"
)

// maxPageURLs is how many embedding pages' addresses pageURLs keeps: a portal
// embeds the widget on some hundreds of pages.
const maxPageURLs = 4096

// pageURLs memoizes what a form page reads from the address of the page that
// embeds it (?page=): the address as Consulta keeps it (intake.CleanPage) and
// its origin. Parsing it twice for every widget frame took 3 % of the
// server's CPU under load (docs/performance.md). Only the first maxPageURLs
// addresses are kept, so addresses that clients make up cost a parse each,
// never memory.
type pageURLs struct {
	byRaw sync.Map // string → pageURL
	kept  atomic.Int64
}

// pageURL is what a form page needs of an embedding page's address.
type pageURL struct {
	clean  string // intake.CleanPage of the address; "" when it is not one
	origin string // scheme://host of clean; "" when it has no host
	host   string
}

// get returns what raw (an address as received, possibly a buffer the next
// request reuses) holds.
func (p *pageURLs) get(raw string) pageURL {
	if raw == "" {
		return pageURL{}
	}
	if v, ok := p.byRaw.Load(raw); ok {
		return v.(pageURL)
	}
	u := parsePageURL(raw)
	if p.kept.Add(1) <= maxPageURLs {
		p.byRaw.Store(strings.Clone(raw), u)
	}
	return u
}

// parsePageURL reads an embedding page's address.
func parsePageURL(raw string) pageURL {
	clean := intake.CleanPage(raw)
	if clean == "" {
		return pageURL{}
	}
	u, err := url.Parse(clean)
	if err != nil || u.Host == "" {
		return pageURL{clean: clean}
	}
	return pageURL{clean: clean, origin: u.Scheme + "://" + u.Host, host: u.Host}
}
