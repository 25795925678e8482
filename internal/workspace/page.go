package workspace

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/locale"
	"github.com/consulta/consulta/web"
)

// page is what every workspace template gets as .P: language, user, CSRF
// token and chrome.
type page struct {
	L       *locale.Localizer
	Lang    string
	Title   string
	User    *consulta.User
	CSRF    string
	Path    string
	Notice  string // a confirmation shown on top (after a redirect)
	Refresh int    // seconds: the page reloads itself (live view)
	Bare    bool   // no workspace header (the live view on a projector)
	Loc     *time.Location
}

// T translates id; kv are template data as key, value pairs.
func (p *page) T(id string, kv ...any) string {
	if len(kv) == 0 {
		return p.L.T(id)
	}
	return p.L.T(id, locale.Pairs(kv...))
}

// N translates a plural message.
func (p *page) N(id string, count int) string { return p.L.N(id, count) }

// Time formats t in the workspace's time zone.
func (p *page) Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(p.Loc).Format("2006-01-02 15:04")
}

// Date formats the day of t.
func (p *page) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(p.Loc).Format("2006-01-02")
}

// Role is the localized name of a role.
func (p *page) Role(r string) string { return p.L.T("admin.role." + r) }

// OtherLang is the language the switcher offers.
func (p *page) OtherLang() string {
	if p.Lang == "en" {
		return "es"
	}
	return "en"
}

// view is the data of a template: the page and the handler's own data.
type view struct {
	P *page
	D any
}

func parseTemplates() (map[string]*template.Template, error) {
	base, err := template.New("").Funcs(template.FuncMap{
		"join":       strings.Join,
		"inc":        func(i int) int { return i + 1 },
		"int64ToInt": func(n int64) int { return int(n) },
		"fieldCtx":   func(f field, focus bool) fieldCtx { return fieldCtx{F: f, First: focus} },
		"has":        slices.Contains[[]string],
		"endpointState": func(p *page, e *consulta.WebhookEndpoint) endpointView {
			return endpointView{P: p, E: e}
		},
	}).ParseFS(web.FS, "templates/admin/layout/*.html")
	if err != nil {
		return nil, fmt.Errorf("workspace templates: %w", err)
	}
	files, err := fs.Glob(web.FS, "templates/admin/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, f := range files {
		t, err := template.Must(base.Clone()).ParseFS(web.FS, f)
		if err != nil {
			return nil, fmt.Errorf("workspace templates: %w", err)
		}
		out[strings.TrimSuffix(strings.TrimPrefix(f, "templates/admin/"), ".html")] = t
	}
	return out, nil
}

// newPage prepares the page of the current request.
func (w *Workspace) newPage(c *fiber.Ctx, titleID string) *page {
	lang := w.lang(c)
	p := &page{L: w.deps.Translator.Localizer(lang), Lang: lang, Path: c.Path(), Loc: w.deps.Location}
	if s := session(c); s != nil {
		p.User, p.CSRF = s.User, s.Login.CSRF
	}
	if titleID != "" {
		p.Title = p.L.T(titleID)
	}
	if n := c.Query("notice"); n != "" && strings.HasPrefix(n, "n_") {
		p.Notice = p.L.T("admin.notice." + strings.TrimPrefix(n, "n_"))
	}
	return p
}

// lang picks the workspace language: ?lang= (remembered in a cookie), the
// cookie, then Accept-Language. The workspace is in Spanish and English.
func (w *Workspace) lang(c *fiber.Ctx) string {
	tr := w.deps.Translator
	if q := c.Query("lang"); q != "" {
		l := workspaceLang(tr.Match(q, ""))
		w.cookies.set(c, langCookie, l, "/", w.deps.Now().AddDate(1, 0, 0), fiber.CookieSameSiteLaxMode)
		return l
	}
	if v := w.cookies.get(c, langCookie); v == "es" || v == "en" {
		return v
	}
	return workspaceLang(tr.Match("", c.Get(fiber.HeaderAcceptLanguage)))
}

func workspaceLang(l string) string {
	if l == "en" {
		return "en"
	}
	return "es"
}

// render executes a template into the response.
func (w *Workspace) render(c *fiber.Ctx, status int, name string, p *page, data any) error {
	t, ok := w.templates[name]
	if !ok {
		return fmt.Errorf("workspace: no template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", view{P: p, D: data}); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).Send(buf.Bytes())
}

// redirect sends the browser to path after a POST (303: GET the result).
func redirect(c *fiber.Ctx, path string) error {
	return c.Redirect(path, fiber.StatusSeeOther)
}
