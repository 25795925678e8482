package server

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/locale"
	"github.com/consulta/consulta/web"
)

// page is what every template gets: the request's language, its localizer and
// the chrome around the content.
type page struct {
	L         *locale.Localizer
	Lang      string
	Languages []langLink
	Draft     bool // the page language is a draft translation
	Title     string
	Embed     bool
	Path      string
	// Parent is the origin of the page embedding this one, when the form
	// allows it: the only origin form.js posts messages to (see embed.go).
	Parent string
	// Org names who runs the service (CONSULTA_ORG_NAME) in the header of
	// stand-alone pages; OrgLogo tells whether /org-logo serves its logo.
	Org     string
	OrgLogo bool
}

// langLink is one entry of the language switcher.
type langLink struct {
	Tag, Name, URL string
	Current        bool
}

// T translates id; kv are template data as key, value pairs.
func (p *page) T(id string, kv ...any) string {
	if len(kv) == 0 {
		return p.L.T(id)
	}
	return p.L.T(id, locale.Pairs(kv...))
}

// TH is T for text in the page's content: a message that fell back to Spanish
// on a page in another language is marked lang="es" (WCAG 3.1.2). Not for
// attributes, <title> or <option>, which take plain text (use T there).
func (p *page) TH(id string, kv ...any) template.HTML {
	text, lang := p.L.TL(id, locale.Pairs(kv...))
	if lang == p.Lang {
		lang = ""
	}
	return inLang(text, lang)
}

// N translates a plural message for count.
func (p *page) N(id string, count int) string { return p.L.N(id, count) }

// newPage prepares the chrome of a page in lang for the current request.
func (s *Server) newPage(c *fiber.Ctx, lang, title string) *page {
	p := &page{L: s.deps.Translator.Localizer(lang), Lang: lang, Title: title,
		Embed: c.Query("embed") == "1", Path: c.Path(),
		Org: s.opts.OrgName, OrgLogo: len(s.opts.OrgLogo) > 0}
	for _, l := range s.deps.Translator.Languages() {
		p.Languages = append(p.Languages, langLink{Tag: l.Tag, Name: l.Name,
			URL: urlWithLang(c, l.Tag), Current: l.Tag == lang})
		if l.Tag == lang && l.Status == "draft" {
			p.Draft = true
		}
	}
	return p
}

// urlWithLang is the current path and query with lang replaced, and the
// embedding page's URL cut to what Consulta keeps of it (intake.CleanPage):
// its query string may carry secrets, which the links must not repeat.
func urlWithLang(c *fiber.Ctx, lang string) string {
	q := url.Values{}
	c.Request().URI().QueryArgs().VisitAll(func(k, v []byte) { q.Add(string(k), string(v)) })
	q.Set("lang", lang)
	if q.Has("page") {
		if page := cleanPageURL(q.Get("page")); page != "" {
			q.Set("page", page)
		} else {
			q.Del("page")
		}
	}
	return c.Path() + "?" + q.Encode()
}

// requestLang picks the language of a request from ?lang= and Accept-Language.
func (s *Server) requestLang(c *fiber.Ctx, explicit string) string {
	if explicit == "" {
		explicit = c.Query("lang")
	}
	return s.deps.Translator.Match(explicit, c.Get(fiber.HeaderAcceptLanguage))
}

// parseTemplates parses every page template together with the shared layout.
func parseTemplates() (map[string]*template.Template, error) {
	base, err := template.New("").Funcs(template.FuncMap{"q": newQuestionCtx, "inLang": inLang}).ParseFS(web.FS, "templates/layout/*.html")
	if err != nil {
		return nil, err
	}
	pages, err := fs.Glob(web.FS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, p := range pages {
		t, err := template.Must(base.Clone()).ParseFS(web.FS, p)
		if err != nil {
			return nil, err
		}
		out[strings.TrimSuffix(strings.TrimPrefix(p, "templates/"), ".html")] = t
	}
	return out, nil
}

// render executes a page template into the response.
func (s *Server) render(c *fiber.Ctx, status int, name string, data any) error {
	t, ok := s.templates[name]
	if !ok {
		return fmt.Errorf("server: no template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).Send(buf.Bytes())
}

// inLang writes text, marked as being in lang when lang is set: Spanish
// fallback text on a page in another language says so to screen readers.
func inLang(text, lang string) template.HTML {
	escaped := template.HTMLEscapeString(text)
	if lang == "" {
		return template.HTML(escaped)
	}
	return template.HTML(`<span lang="` + template.HTMLEscapeString(lang) + `">` + escaped + `</span>`)
}
