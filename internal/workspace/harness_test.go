package workspace_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/report"
	"github.com/consulta/consulta/internal/shippedtest"

	"github.com/consulta/consulta/internal/auth"
	"github.com/consulta/consulta/internal/embedded"
	"github.com/consulta/consulta/internal/intake"
	"github.com/consulta/consulta/internal/mailing"
	"github.com/consulta/consulta/internal/schedule"
	"github.com/consulta/consulta/internal/server"
	"github.com/consulta/consulta/internal/store"
	"github.com/consulta/consulta/internal/webhook"
	"github.com/consulta/consulta/internal/workspace"
)

// env is a whole Consulta HTTP server (public routes and workspace) on
// loopback, over a fresh database of the embedded store.
type env struct {
	t     *testing.T
	store *store.Store
	auth  *auth.Service
	base  string
}

func newEnv(t *testing.T) *env { return newEnvWith(t, nil) }

// newEnvWith is newEnv with the workspace's dependencies changed by tweak
// before the workspace is made (a failing export source, a metrics hook).
func newEnvWith(t *testing.T, tweak func(*workspace.Deps)) *env {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// On disk, as serve runs it (FerretDB's SQLite memory mode hangs on updates).
	emb, err := embedded.Open(ctx, t.TempDir(), "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, store.Options{URI: emb.URI(), EmbeddedDir: emb.StoreDir()})
	if err != nil {
		emb.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = st.Close(ctx)
		_ = emb.Close()
	})
	reg, tr, cat := shippedtest.Catalogs(t)
	loc, _ := time.LoadLocation("America/Guatemala")
	svc := &intake.Service{Forms: reg, Geo: cat, Store: st, Sessions: st, Now: time.Now}
	authn := &auth.Service{Store: st}
	hooks, err := webhook.New(webhook.Config{Store: st, Secret: "test-secret-test-secret-test-secret", AllowPrivate: true,
		DisableAfter: 20})
	if err != nil {
		t.Fatal(err)
	}
	deps := workspace.Deps{Store: st, Auth: authn, Forms: reg, Geo: cat, Translator: tr,
		Intake: svc, Secret: "test-secret-test-secret-test-secret", Location: loc,
		Reports:  report.Deps{Source: st, Forms: reg, Translator: tr, Geo: cat, Location: loc},
		Mailing:  &mailing.Service{Store: st, Archive: schedule.NewArchive(st), Forms: reg, Translator: tr},
		Webhooks: hooks}
	if tweak != nil {
		tweak(&deps)
	}
	ws, err := workspace.New(deps)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Deps{Forms: reg, Geo: cat, Translator: tr, Intake: svc, Store: st,
		Logger: slog.New(slog.DiscardHandler), Workspace: ws.Mount}, server.Options{BodyLimit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	return &env{t: t, store: st, auth: authn, base: "http://" + ln.Addr().String()}
}

// addUser creates an account directly.
func (e *env) addUser(email, role, org string) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := e.auth.AddUser(ctx, auth.NewUser{Email: email, Name: email, Role: role, Org: org, Password: password}); err != nil {
		e.t.Fatalf("add user %s: %v", email, err)
	}
}

const password = "correct horse battery"

// browser is a client with its own cookies that does not follow redirects.
type browser struct {
	e    *env
	c    *http.Client
	csrf string
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, c: &http.Client{Jar: jar, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// login signs in and picks up the CSRF token.
func (e *env) login(email string) *browser {
	e.t.Helper()
	b := e.browser()
	res, _ := b.signIn(email, password)
	if res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login %s: status %d", email, res.StatusCode)
	}
	_, body := b.get("/admin/password")
	m := csrfPattern.FindStringSubmatch(body)
	if m == nil {
		e.t.Fatalf("login %s: no CSRF token in the page", email)
	}
	b.csrf = m[1]
	return b
}

var csrfPattern = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// signIn opens the login page, as a person does, and posts its form.
func (b *browser) signIn(email, pw string) (*http.Response, string) {
	b.e.t.Helper()
	_, page := b.get("/admin/login")
	m := csrfPattern.FindStringSubmatch(page)
	if m == nil {
		b.e.t.Fatalf("no CSRF token in the login page")
	}
	return b.post("/admin/login", url.Values{"email": {email}, "password": {pw}, "csrf": {m[1]}})
}

func (b *browser) do(req *http.Request) (*http.Response, string) {
	b.e.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func (b *browser) get(path string) (*http.Response, string) {
	req, _ := http.NewRequest(http.MethodGet, b.e.base+path, nil)
	return b.do(req)
}

// post sends a form; the CSRF token is added when the browser has one.
func (b *browser) post(path string, v url.Values) (*http.Response, string) {
	if v == nil {
		v = url.Values{}
	}
	if b.csrf != "" && v.Get("csrf") == "" {
		v.Set("csrf", b.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, b.e.base+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// submit answers a form through the public JSON API.
func (e *env) submit(formID, body string) (*http.Response, string) {
	b := e.browser()
	req, _ := http.NewRequest(http.MethodPost, e.base+"/api/v1/forms/"+formID+"/responses", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", intake.NewKey())
	return b.do(req)
}

// createSession stores an open focus-group session of org directly.
func (e *env) createSession(org, facilitator string) string {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	now := time.Now()
	g := &consulta.FocusGroup{Org: org, Facilitator: facilitator, FormID: "sugerencias", Lang: "es", Date: now,
		Expected: 10, OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(time.Hour)}
	n := 0
	if err := e.store.CreateFocusGroup(ctx, g, func() string { n++; return "TEST" + string(rune('A'+n)) + "Q" }); err != nil {
		e.t.Fatal(err)
	}
	return g.Code
}
