package server

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/consulta/consulta/internal/forms"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"

	"github.com/consulta/consulta/web"
)

// healthz: the process is alive.
func (s *Server) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

// readyz: the store answers, so submissions can be accepted.
func (s *Server) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.deps.Store.Ping(ctx); err != nil {
		c.Set(fiber.HeaderRetryAfter, retryAfterSeconds)
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "store": "unreachable"})
	}
	return c.JSON(fiber.Map{"status": "ok", "store": "ok"})
}

// index lists the forms, for people who reach the service's root.
func (s *Server) index(c *fiber.Ctx) error {
	lang := s.requestLang(c, "")
	var list []*formView
	for _, f := range s.deps.Forms.All() {
		v, _ := s.views.get(f.ID, lang)
		list = append(list, v)
	}
	p := s.newPage(c, lang, "")
	return s.render(c, fiber.StatusOK, "index", struct {
		*page
		Forms []*formView
	}{p, list})
}

// apiGeo serves the Guatemala catalog (departments with their municipalities).
func (s *Server) apiGeo(c *fiber.Ctx) error {
	type muni struct {
		Code string `json:"code"`
		Name string `json:"name"`
	}
	type dept struct {
		Code           string `json:"code"`
		Name           string `json:"name"`
		Municipalities []muni `json:"municipalities"`
	}
	out := make([]dept, 0, len(s.views.departments))
	for _, d := range s.views.departments {
		dd := dept{Code: d.Code, Name: d.Name}
		for _, m := range d.Municipalities {
			dd.Municipalities = append(dd.Municipalities, muni{Code: m.Code, Name: m.Name})
		}
		out = append(out, dd)
	}
	b, err := json.Marshal(fiber.Map{"departments": out})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(b)
}

// staticRoutes serves CSS, JavaScript and the embed loader from the binary.
func (s *Server) staticRoutes() {
	static, _ := fs.Sub(web.FS, "static")
	s.app.Get("/embed.js", s.embedScript)
	s.app.Get("/favicon.ico", func(c *fiber.Ctx) error { // asked for by browsers whatever the page says
		return c.Redirect("/static/favicon.svg", fiber.StatusMovedPermanently)
	})
	s.app.Get("/org-logo", s.orgLogo)
	s.app.Get("/static/form.js", s.formScript)
	s.app.Use("/static", filesystem.New(filesystem.Config{
		Root: http.FS(static), MaxAge: 3600,
	}))
}

// securityHeaders sets the headers every response carries. Pages built from a
// form replace frame-ancestors with the form's allowed origins.
func (s *Server) securityHeaders(c *fiber.Ctx) error {
	h := &c.Response().Header
	for _, kv := range s.headers.all {
		// Canonical names and values made once: Set would copy and
		// normalize each name on every response (about 1 % of the CPU of a
		// cached page load in a profile).
		h.SetCanonical(kv[0], kv[1])
	}
	if c.Protocol() == "https" {
		h.SetCanonical(s.headers.hsts[0], s.headers.hsts[1])
	}
	return c.Next()
}

// headerTable holds the security headers as fasthttp writes them: canonical
// names and values as bytes, made once by newHeaderTable.
type headerTable struct {
	all  [][2][]byte // every response
	hsts [2][]byte   // HTTPS only
	csp  []byte      // the policy's name, for the forms' own policies
}

func newHeaderTable() headerTable {
	kv := func(k, v string) [2][]byte { return [2][]byte{[]byte(k), []byte(v)} }
	return headerTable{
		all: [][2][]byte{
			kv("X-Content-Type-Options", "nosniff"),
			kv("Referrer-Policy", "strict-origin-when-cross-origin"),
			kv("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
			kv(fiber.HeaderContentSecurityPolicy, defaultCSP),
		},
		hsts: kv(fiber.HeaderStrictTransportSecurity, "max-age=31536000; includeSubDomains"),
		csp:  []byte(fiber.HeaderContentSecurityPolicy),
	}
}

// defaultCSP is the policy of every page that no form's origins may frame.
const defaultCSP = cspBase + "'self'"

// cspBase is the content security policy without its frame-ancestors sources:
// no inline code, nothing from elsewhere.
const cspBase = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'none'; object-src 'none'; base-uri 'none'; " +
	"form-action 'self'; frame-ancestors "

// csp is the content security policy with the given frame-ancestors sources.
func csp(frameAncestors string) string {
	return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"connect-src 'self'; font-src 'none'; object-src 'none'; base-uri 'none'; " +
		"form-action 'self'; frame-ancestors " + frameAncestors
}

// setFrameAncestors lets the form's allowed origins frame this page.
func (s *Server) setFrameAncestors(c *fiber.Ctx, formID string) {
	if policy, ok := s.formCSP[formID]; ok {
		c.Response().Header.SetCanonical(s.headers.csp, policy)
	}
}

// handleError renders any error as JSON for the API and as a page elsewhere.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	if strings.HasPrefix(c.Path(), "/api/") {
		return s.apiFail(c, s.requestLang(c, ""), err)
	}
	status, msgID := classify(err)
	if status >= 500 {
		s.deps.Logger.Error("request failed", "route", c.Route().Path, "err", err) // the route, not the path: paths can carry e-mails
	}
	if status == fiber.StatusServiceUnavailable || status == fiber.StatusTooManyRequests {
		c.Set(fiber.HeaderRetryAfter, retryAfterOf(err))
	}
	lang := s.requestLang(c, "")
	p := s.newPage(c, lang, "")
	p.Title = p.T(msgID)
	return s.render(c, status, "error", struct {
		*page
		Status  int
		Message string
	}{p, status, p.T(msgID)})
}

// formPolicies computes each form's content security policy once: its
// frame-ancestors are the form's allowed origins.
func formPolicies(reg *forms.Registry) map[string][]byte {
	out := map[string][]byte{}
	for _, f := range reg.All() {
		out[f.ID] = []byte(csp(strings.Join(append([]string{"'self'"}, f.Origins...), " ")))
	}
	return out
}

// orgLogo serves the organisation's logo (CONSULTA_ORG_LOGO_FILE), read once
// at start-up; 404 when none is configured.
func (s *Server) orgLogo(c *fiber.Ctx) error {
	if len(s.opts.OrgLogo) == 0 {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderContentType, http.DetectContentType(s.opts.OrgLogo))
	if bytes.HasPrefix(bytes.TrimSpace(s.opts.OrgLogo), []byte("<")) {
		c.Set(fiber.HeaderContentType, "image/svg+xml")
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.Send(s.opts.OrgLogo)
}
