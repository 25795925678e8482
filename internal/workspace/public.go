package workspace

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/locale"
)

// publicPage is what the workspace's public pages (/acciones, /sesion) get
// as .P: the portal's chrome (its name, every citizen language, its footer),
// not the workspace's.
type publicPage struct {
	L         *locale.Localizer
	Lang      string
	Title     string
	Languages []publicLang
	// Org and OrgLogo are the portal's branding (Deps.OrgName, OrgLogo).
	Org     string
	OrgLogo bool
}

// publicLang is one entry of the language switcher.
type publicLang struct {
	Tag, Name, URL string
	Current        bool
}

// T translates id for attributes and <title>; kv are key, value pairs.
func (p *publicPage) T(id string, kv ...any) string {
	if len(kv) == 0 {
		return p.L.T(id)
	}
	return p.L.T(id, locale.Pairs(kv...))
}

// TH is T for text in the page's content: a message that fell back to
// Spanish on a page in another language is marked lang="es" (WCAG 3.1.2).
func (p *publicPage) TH(id string, kv ...any) template.HTML {
	text, lang := p.L.TL(id, locale.Pairs(kv...))
	if lang == p.Lang {
		return template.HTML(html.EscapeString(text))
	}
	return template.HTML(`<span lang="` + html.EscapeString(lang) + `">` + html.EscapeString(text) + `</span>`)
}

// newPublicPage prepares a public page in the citizen's language: ?lang=,
// then Accept-Language, among all the portal's languages.
func (w *Workspace) newPublicPage(c *fiber.Ctx, titleID string) *publicPage {
	tr := w.deps.Translator
	lang := tr.Match(c.Query("lang"), c.Get(fiber.HeaderAcceptLanguage))
	p := &publicPage{L: tr.Localizer(lang), Lang: lang, Org: w.deps.OrgName, OrgLogo: w.deps.OrgLogo}
	p.Title = p.L.T(titleID)
	for _, l := range tr.Languages() {
		p.Languages = append(p.Languages, publicLang{Tag: l.Tag, Name: l.Name,
			URL: c.Path() + "?lang=" + url.QueryEscape(l.Tag), Current: l.Tag == lang})
	}
	return p
}

// renderPublic executes a template in the portal's layout ("public").
func (w *Workspace) renderPublic(c *fiber.Ctx, status int, name string, p *publicPage, data any) error {
	t, ok := w.templates[name]
	if !ok {
		return fmt.Errorf("workspace: no template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "public", struct {
		P *publicPage
		D any
	}{p, data}); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).Send(buf.Bytes())
}
