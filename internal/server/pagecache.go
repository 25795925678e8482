package server

import (
	"bytes"
	"sync"

	"github.com/gofiber/fiber/v2"
)

// Markers stand in the cached rendering of a blank form page for the two values
// that differ on every page load: the idempotency key and the page-load token.
// They are plain ASCII so that HTML escaping leaves them as they are.
const (
	keyMark   = "consultaKeyMark5c1b"
	tokenMark = "consultaTokenMark5c1b"
)

// pageCache keeps blank form pages rendered once per form, language and mode,
// split around the per-visitor values: serving one is then a few writes. Only
// pages without an embedding page or a session code are cached (those vary
// with the visitor's query), so the cache holds at most forms × languages × 2.
type pageCache struct {
	pages sync.Map // key -> *cachedPage
}

// cachedPage is a rendered page cut at each marker; holes[i] says which value
// goes after parts[i].
type cachedPage struct {
	parts [][]byte
	holes []string // keyMark or tokenMark
}

// cacheablePage reports whether the request's form page is the same for everyone
// but for its key and token: a query with nothing but lang and embed=1.
func cacheablePage(c *fiber.Ctx) bool {
	ok := true
	c.Request().URI().QueryArgs().VisitAll(func(k, v []byte) {
		switch string(k) {
		case "lang":
		case "embed":
			ok = ok && (len(v) == 0 || string(v) == "1")
		default:
			ok = false
		}
	})
	return ok
}

// split cuts a rendering at every marker.
func split(b []byte) *cachedPage {
	cp := &cachedPage{}
	for {
		ki, ti := bytes.Index(b, []byte(keyMark)), bytes.Index(b, []byte(tokenMark))
		mark, at := keyMark, ki
		if ki < 0 || (ti >= 0 && ti < ki) {
			mark, at = tokenMark, ti
		}
		if at < 0 {
			cp.parts = append(cp.parts, b)
			return cp
		}
		cp.parts = append(cp.parts, b[:at])
		cp.holes = append(cp.holes, mark)
		b = b[at+len(mark):]
	}
}

// write sends the page with this visitor's key and token.
func (cp *cachedPage) write(c *fiber.Ctx, key, token string) {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Status(fiber.StatusOK)
	for i, part := range cp.parts {
		c.Response().AppendBody(part)
		if i < len(cp.holes) {
			value := key
			if cp.holes[i] == tokenMark {
				value = token
			}
			c.Response().AppendBodyString(value)
		}
	}
}

// cacheKey names a cached page.
func cacheKey(formID, lang string, embed, withToken bool) string {
	return formID + "|" + lang + "|" + boolString(embed) + "|" + boolString(withToken)
}

// serve writes the cached page of a form, if there is one.
func (pc *pageCache) serve(c *fiber.Ctx, view *formView, embed bool, key, token string) bool {
	cp, ok := pc.pages.Load(cacheKey(view.ID, view.Lang, embed, token != ""))
	if ok {
		cp.(*cachedPage).write(c, key, token)
	}
	return ok
}

// renderBlankForm renders a cacheable form page with markers, keeps it, and
// serves it with this visitor's key and token.
func (s *Server) renderBlankForm(c *fiber.Ctx, p *formPage, key, token string) error {
	p.Key = keyMark
	if token != "" {
		p.Token = tokenMark
	}
	var buf bytes.Buffer
	if err := s.templates["form"].ExecuteTemplate(&buf, "layout", p); err != nil {
		return err
	}
	cp := split(buf.Bytes())
	s.pages.pages.Store(cacheKey(p.Form.ID, p.Form.Lang, p.Embed, token != ""), cp)
	cp.write(c, key, token)
	return nil
}

func boolString(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
