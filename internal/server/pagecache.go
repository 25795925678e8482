package server

import (
	"bytes"
	"net/url"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
)

// Markers stand in the cached rendering of a blank form page for the values
// that differ from one page load to the next: the idempotency key, the
// page-load token and the embedding page's address (the widget's frame names
// the portal page it is on). They are plain ASCII so that HTML escaping
// leaves them as they are; the page's is an address no page has (.invalid is
// reserved), so it survives the form's own URL building.
const (
	keyMark   = "consultaKeyMark5c1b"
	tokenMark = "consultaTokenMark5c1b"
	pageMark  = "https://consulta-page-mark.invalid/5c1b"
	// pageMarkHost finds any rendering of pageMark that no hole accounts for.
	pageMarkHost = "consulta-page-mark"
)

// hole is a per-visitor value of a cached page.
type hole uint8

const (
	holeKey       hole = iota // the idempotency key
	holeToken                 // the page-load token
	holePage                  // the embedding page's address (the hidden field _page)
	holePageQuery             // the same, query-escaped, inside the page's links
)

// marks are the holes as they appear in a rendering made with the markers.
func marks() [4]struct {
	hole hole
	text string
} {
	return [4]struct {
		hole hole
		text string
	}{
		{holeKey, keyMark}, {holeToken, tokenMark},
		// The longer first: the raw address is not inside its escaped form, but
		// the order keeps the search unambiguous whatever the markers become.
		{holePageQuery, url.QueryEscape(pageMark)}, {holePage, pageMark},
	}
}

// pageCache keeps blank form pages rendered once per variant (pageVariant),
// split around the per-visitor values, each part also compressed once
// (gzipcache.go): serving one is then a few writes, compressed or not. The
// variants are few (forms × languages × embedded or not × the form's
// embedding origins), so the cache needs no eviction.
type pageCache struct {
	pages sync.Map // pageVariant -> *cachedPage
	// attr escapes a value as html/template does inside a quoted attribute
	// (its htmlReplacementTable), so that a value put in a hole reads exactly
	// as a fresh rendering would write it; TestCachedPagesReadAsFreshOnes
	// compares the two. Executing a template for it cost 7 % of a page load.
	attr *strings.Replacer
	// off renders every page for its visitor (tests compare the two ways).
	off bool
}

func newPageCache() pageCache {
	return pageCache{attr: strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;",
		"+", "&#43;", "<", "&lt;", ">", "&gt;")}
}

// pageVariant names a cached page: everything but the per-visitor values that
// changes the bytes of a blank form page.
type pageVariant struct {
	form, lang string
	embed      bool
	withToken  bool
	withPage   bool   // framed by a page that named itself
	parent     string // the embedding page's origin when the form lets it receive messages
}

// pageValues are one visitor's values of the holes.
type pageValues struct {
	key, token, page string
}

// cachedPage is a rendered page cut at each marker; holes[i] says which value
// goes after parts[i]. gz holds each part deflated, crcs and shifts their
// checksums (see gzipcache.go).
type cachedPage struct {
	parts  [][]byte
	holes  []hole
	gz     [][]byte
	crcs   []uint32
	shifts []crcShift
}

// cacheablePage reports whether the request's form page is the same for everyone
// but for its key, token and embedding page: a query with nothing but lang,
// embed=1 and page.
func (pc *pageCache) cacheablePage(c *fiber.Ctx) bool {
	ok := !pc.off
	c.Request().URI().QueryArgs().VisitAll(func(k, v []byte) {
		switch string(k) {
		case "lang", "page":
		case "embed":
			ok = ok && (len(v) == 0 || string(v) == "1")
		default:
			ok = false
		}
	})
	return ok
}

// variantFor is the variant of the blank form page a visitor asks for.
// v.page is embedding.clean.
func (s *Server) variantFor(c *fiber.Ctx, view *formView, v pageValues, embedding pageURL) pageVariant {
	return pageVariant{form: view.ID, lang: view.Lang, embed: c.Query("embed") == "1",
		withToken: v.token != "", withPage: v.page != "", parent: s.parentOf(c, view.ID, embedding)}
}

// split cuts a rendering at every marker; nil when a marker is left that no
// hole accounts for (the page's address written some other way), so that such
// a page is rendered for each visitor rather than served with another's.
func split(b []byte) *cachedPage {
	cp := &cachedPage{}
	for {
		at, found := -1, marks()[0]
		for _, m := range marks() {
			if i := bytes.Index(b, []byte(m.text)); i >= 0 && (at < 0 || i < at) {
				at, found = i, m
			}
		}
		if at < 0 {
			cp.parts = append(cp.parts, b)
			break
		}
		cp.parts = append(cp.parts, b[:at])
		cp.holes = append(cp.holes, found.hole)
		b = b[at+len(found.text):]
	}
	for _, part := range cp.parts {
		if bytes.Contains(part, []byte(pageMarkHost)) {
			return nil
		}
	}
	cp.gz = deflateParts(cp.parts)
	cp.crcs, cp.shifts = checksums(cp.parts)
	return cp
}

// fill is the text of each hole for one visitor, escaped as the template
// would have written it.
func (pc *pageCache) fill(v pageValues) [4]string {
	var out [4]string
	out[holeKey], out[holeToken] = v.key, v.token
	if v.page != "" {
		out[holePage] = pc.escapeAttr(v.page)
		out[holePageQuery] = pc.escapeAttr(url.QueryEscape(v.page))
	}
	return out
}

func (pc *pageCache) escapeAttr(s string) string { return pc.attr.Replace(s) }

// write sends the page with this visitor's values, gzipped when the client
// takes it.
func (pc *pageCache) write(c *fiber.Ctx, cp *cachedPage, v pageValues) {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Status(fiber.StatusOK)
	values := pc.fill(v)
	if acceptsGzip(c) {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		c.Vary(fiber.HeaderAcceptEncoding)
		writeGzip(c.Response(), cp, values)
		return
	}
	for i, part := range cp.parts {
		c.Response().AppendBody(part)
		if i < len(cp.holes) {
			c.Response().AppendBodyString(values[cp.holes[i]])
		}
	}
}

// serve writes the cached page of a variant, if there is one.
func (pc *pageCache) serve(c *fiber.Ctx, variant pageVariant, v pageValues) bool {
	cp, ok := pc.pages.Load(variant)
	if ok {
		pc.write(c, cp.(*cachedPage), v)
	}
	return ok
}

// renderBlankForm renders a cacheable form page with markers, keeps it, and
// serves it with this visitor's values. The links that carry the query are
// built from the variant alone (not from the request's query), so the cached
// page is the same whoever rendered it first.
func (s *Server) renderBlankForm(c *fiber.Ctx, p *formPage, variant pageVariant, v pageValues) error {
	p.Key = keyMark
	if v.token != "" {
		p.Token = tokenMark
	}
	if p.PageURL != "" {
		p.PageURL = pageMark
	}
	p.ThanksURL = "/f/" + p.Form.ID + "/thanks?" + variantQuery(p, p.Form.Lang).Encode()
	for i := range p.Languages {
		p.Languages[i].URL = c.Path() + "?" + variantQuery(p, p.Languages[i].Tag).Encode()
	}
	var buf bytes.Buffer
	if err := s.templates["form"].ExecuteTemplate(&buf, "layout", p); err != nil {
		return err
	}
	cp := split(buf.Bytes())
	if cp == nil {
		// Served as rendered would hold the marker: render again for real.
		s.deps.Logger.Warn("form page not cached: the embedding page's address appears where no hole is", "form", p.Form.ID)
		return s.renderForVisitor(c, p, v)
	}
	s.pages.pages.Store(variant, cp)
	s.pages.write(c, cp, v)
	return nil
}

// renderForVisitor renders p with the visitor's own values.
func (s *Server) renderForVisitor(c *fiber.Ctx, p *formPage, v pageValues) error {
	p.Key, p.Token, p.PageURL = v.key, v.token, v.page
	p.ThanksURL = "/f/" + p.Form.ID + "/thanks?" + variantQuery(p, p.Form.Lang).Encode()
	for i := range p.Languages {
		p.Languages[i].URL = c.Path() + "?" + variantQuery(p, p.Languages[i].Tag).Encode()
	}
	return s.render(c, fiber.StatusOK, "form", p)
}

// variantQuery is the query of a blank form page's links in lang: what a
// cacheable page's own query can hold.
func variantQuery(p *formPage, lang string) url.Values {
	q := url.Values{"lang": {lang}}
	if p.Embed {
		q.Set("embed", "1")
	}
	if p.PageURL != "" {
		q.Set("page", p.PageURL)
	}
	return q
}
