// Package server is Consulta's HTTP face, on Fiber v2: the public form pages and
// JSON API, the embed loader, open data and the workspace. Handlers are thin: they
// parse the request, call a service and render or redirect.
package server

import (
	"bytes"
	"context"
	"html/template"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/valyala/fasthttp"

	"github.com/consulta/consulta/internal/abuse"
	"github.com/consulta/consulta/internal/clientip"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
	"github.com/consulta/consulta/internal/intake"
	"github.com/consulta/consulta/internal/locale"
	"github.com/consulta/consulta/internal/opendata"
)

// Pinger reports whether the store answers (for /readyz).
type Pinger interface {
	Ping(ctx context.Context) error
}

// Options are the HTTP-level settings.
type Options struct {
	BodyLimit int
	BaseURL   string
	// SuppressionK is the k of /datos: counts under it are withheld
	// (report.DefaultK when 0).
	SuppressionK int
	// Location is the time zone of /datos semesters (consulta.DefaultLocation when nil).
	Location *time.Location
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the
	// client (read from the right, see clientip); without them every visitor
	// behind a proxy shares its address, and X-Forwarded-* headers are ignored.
	TrustedProxies []string
	// OrgName is the organisation named on every stand-alone page;
	// OrgLogo its logo (PNG or SVG, served at /org-logo), nil for none.
	OrgName string
	OrgLogo []byte
}

// Deps are the services the HTTP layer calls.
type Deps struct {
	Forms      *forms.Registry
	Geo        *geo.Catalog
	Translator *locale.Translator
	Intake     *intake.Service
	Store      Pinger
	Logger     *slog.Logger
	// Abuse screens page loads and submissions (honeypot, minimum fill
	// time, rate limits); nil turns abuse control off.
	Abuse *abuse.Guard
	// FocusGroups sizes the budgets of focus-group sessions for Abuse; nil:
	// submissions with a code are limited as everyone's.
	FocusGroups FocusGroups
	// Observe, when set, wraps every request (latency metrics, request logs).
	Observe fiber.Handler
	// Workspace, when set, mounts the /admin routes and /acciones
	// (workspace.Workspace.Mount).
	Workspace func(app *fiber.App)
	// UploadLimit, when set, names requests that may send bodies larger than
	// Options.BodyLimit: the largest body for method, path and the request's
	// cookies, 0 for the default (Workspace.UploadLimit).
	UploadLimit func(method, path string, cookie func(name string) string) int
	// OpenData, when set, is where /datos reads the published files, made
	// in the background by opendata.Materializer (the store).
	OpenData opendata.Snapshots
}

// Server is the Fiber application with everything it serves.
type Server struct {
	app       *fiber.App
	deps      Deps
	opts      Options
	templates map[string]*template.Template
	views     *formViews
	// questionCache holds blankQuestions' HTML by form and language (the bundle
	// and forms never change while the server runs).
	questionCache sync.Map
	// sessions remembers open focus-group sessions for abuse control.
	sessions sessionCache
	// pages holds whole blank form pages (see pagecache.go).
	pages pageCache
	// pageURLs holds what embedding pages' addresses were read as.
	pageURLs pageURLs
	// baseOrigin is the origin of Options.BaseURL ("" without one).
	baseOrigin string
	// formCSP is each form's content security policy (frame-ancestors).
	formCSP map[string][]byte
	// headers are the security headers of every response.
	headers headerTable
	client  clientTexts // form.js's messages, per language
	clients *clientip.Resolver
	loader  *asset // /embed.js, with its labels in every language
	formJS  *asset // /static/form.js, minified
}

// New builds the server: parses templates and precomputes the localized forms.
func New(deps Deps, opts Options) (*Server, error) {
	tmpls, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	clients, err := clientip.New(opts.TrustedProxies)
	if err != nil {
		return nil, err
	}
	s := &Server{deps: deps, opts: opts, templates: tmpls, clients: clients, pages: newPageCache(),
		baseOrigin: baseOrigin(opts.BaseURL)}
	s.formCSP = formPolicies(deps.Forms)
	s.headers = newHeaderTable()
	s.views = newFormViews(deps.Forms, deps.Translator, deps.Geo)
	s.client = newClientTexts(deps.Translator)
	if s.loader, err = newLoader(deps.Translator); err != nil {
		return nil, err
	}
	if s.formJS, err = newScript("form.js"); err != nil {
		return nil, err
	}
	s.app = fiber.New(fiber.Config{
		BodyLimit:             opts.BodyLimit,
		ErrorHandler:          s.handleError,
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		// Exports stream for as long as the store takes to read every response.
		WriteTimeout: 10 * time.Minute,
		// Always checked: with no trusted proxy, X-Forwarded-Proto and -Host
		// from anyone are ignored (Fiber believes everyone when unchecked).
		// The client's address comes from clientip, not Fiber's ProxyHeader,
		// which would return the whole X-Forwarded-For string.
		EnableTrustedProxyCheck: true,
		TrustedProxies:          opts.TrustedProxies,
		IdleTimeout:             120 * time.Second,
		// A form page (about 9 KB gzipped) and its headers leave in one write:
		// with the default 4 KB buffer they took two system calls, and the
		// heaviest page served 0.40 of a bare handler instead of 0.47
		// (docs/performance.md). Connections come through the proxy's pool,
		// so the buffers stay few.
		WriteBufferSize: 16 << 10,
		AppName:         "consulta",
	})
	s.app.Server().HeaderReceived = s.bodyLimitOf
	s.routes()
	return s, nil
}

// uploadReadTimeout bounds the reading of a large upload (16 MB over a slow
// link), instead of the 30 s every other request gets.
const uploadReadTimeout = 5 * time.Minute

// bodyLimitOf gives a request its body limit from its method and path, once
// its headers are read and before its body is: BodyLimit for every route but
// the few that take files. A larger body is refused with 413 unread.
func (s *Server) bodyLimitOf(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	// Files only come in posts: the rest of the traffic (form pages, most of
	// it) is spared the look-up and its allocations.
	if s.deps.UploadLimit == nil || !h.IsPost() {
		return fasthttp.RequestConfig{}
	}
	cookie := func(name string) string { return string(h.Cookie(name)) }
	n := s.deps.UploadLimit(string(h.Method()), string(h.RequestURI()[:pathEnd(h.RequestURI())]), cookie)
	if n <= s.opts.BodyLimit {
		return fasthttp.RequestConfig{}
	}
	return fasthttp.RequestConfig{MaxRequestBodySize: n, ReadTimeout: uploadReadTimeout}
}

// pathEnd is where the path of a request URI ends (before the query).
func pathEnd(uri []byte) int {
	if i := bytes.IndexByte(uri, '?'); i >= 0 {
		return i
	}
	return len(uri)
}

// routes registers every route. The public contract is README.md, "What it serves".
func (s *Server) routes() {
	a := s.app
	a.Use(s.clients.Middleware())
	if s.deps.Observe != nil {
		a.Use(s.deps.Observe)
	}
	a.Use(compress.New())
	a.Use(s.securityHeaders)
	a.Get("/healthz", s.healthz)
	a.Get("/readyz", s.readyz)
	a.Get("/", s.index)
	a.Get("/f/:form", s.formPage)
	a.Post("/f/:form", s.formPost)
	a.Get("/f/:form/thanks", s.thanksPage)
	a.Get("/demo", s.demoPage)
	api := a.Group("/api/v1", s.apiCORS)
	api.Get("/forms", s.apiForms)
	api.Get("/forms/:form", s.apiForm)
	api.Post("/forms/:form/responses", s.apiSubmit)
	api.Get("/geo", s.apiGeo)
	s.staticRoutes()
	if s.deps.OpenData != nil {
		s.openDataRoutes()
	}
	if s.deps.Workspace != nil {
		s.deps.Workspace(a)
	}
	a.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}

// Serve accepts connections on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error { return s.app.Listener(ln) }

// Shutdown stops accepting and waits for requests in flight, up to ctx's deadline.
func (s *Server) Shutdown(ctx context.Context) error { return s.app.ShutdownWithContext(ctx) }

// App exposes the Fiber app for in-process tests.
func (s *Server) App() *fiber.App { return s.app }
