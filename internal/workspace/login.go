package workspace

import (
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/auth"
	"github.com/consulta/consulta/internal/clientip"
	"github.com/consulta/consulta/internal/consulta"
)

type loginData struct {
	Email, Next, Error string
	CSRF               string // the login form's anti-forgery token
}

// loginFormTTL is how long a login form stays usable.
const loginFormTTL = 2 * time.Hour

func (w *Workspace) loginPage(c *fiber.Ctx) error {
	next := safeNext(c.Query("next"))
	if session(c) != nil {
		return redirect(c, next)
	}
	return w.showLogin(c, fiber.StatusOK, w.newPage(c, "admin.login.title"), loginData{Next: next}, false)
}

// showLogin renders the login form with the token of the browser's nonce.
// The browser gets a new nonce when it has none, or fresh is set: after a
// post, its form was used up.
func (w *Workspace) showLogin(c *fiber.Ctx, status int, p *page, d loginData, fresh bool) error {
	nonce := w.cookies.get(c, loginCookie)
	if fresh || len(nonce) < 40 || len(nonce) > 100 {
		nonce, _ = w.loginCSRF.New()
		w.cookies.set(c, loginCookie, nonce, "/admin/login", w.deps.Now().Add(loginFormTTL), fiber.CookieSameSiteStrictMode)
	}
	d.CSRF = w.loginCSRF.Token(nonce)
	d.Next = safeNext(d.Next)
	return w.render(c, status, "login", p, d)
}

// loginPost signs in. The page says the same thing for an unknown e-mail and
// a wrong password, and counts both alike; a client or account over its
// limits is told to wait. A post without the login form's token (a forged
// cross-site login, or a form older than its cookie), or with a form already
// used once, is refused before the password is even looked at.
func (w *Workspace) loginPost(c *fiber.Ctx) error {
	email, next := strings.TrimSpace(c.FormValue("email")), c.FormValue("next")
	ctx, cancel := reqCtx(c)
	defer cancel()
	if ok, err := w.loginFormValid(c); err != nil || !ok {
		if err != nil {
			return err
		}
		p := w.newPage(c, "admin.login.title")
		return w.showLogin(c, fiber.StatusForbidden, p, loginData{Email: email, Next: next, Error: p.T("admin.login.expired")}, true)
	}
	s, err := w.deps.Auth.Login(ctx, auth.LoginRequest{Email: email, Password: c.FormValue("password"),
		Client: clientip.Of(c), Device: w.cookies.get(c, deviceCookie)})
	if err != nil {
		return w.loginFailed(c, email, next, err)
	}
	w.cookies.set(c, loginCookie, "", "/admin/login", time.Time{}, fiber.CookieSameSiteStrictMode)
	rules := w.deps.Auth.Rules()
	w.setSessionCookie(c, s.Token, s.Login.CreatedAt.Add(rules.SessionMax))
	w.cookies.set(c, deviceCookie, s.Device, "/admin/login", w.deps.Now().Add(rules.DeviceTTL), fiber.CookieSameSiteStrictMode)
	c.Locals(keySession, s)
	_ = w.audit(c, "login.success", s.User.ID, "")
	return redirect(c, safeNext(next))
}

// loginFormValid checks the login form's token against the browser's nonce
// and uses the form up: a pair is good for one post.
func (w *Workspace) loginFormValid(c *fiber.Ctx) (bool, error) {
	nonce := w.cookies.get(c, loginCookie)
	if !w.loginCSRF.Valid(nonce, c.FormValue("csrf")) {
		return false, nil
	}
	ctx, cancel := reqCtx(c)
	defer cancel()
	return w.deps.Auth.UseLoginForm(ctx, nonce, loginFormTTL)
}

// loginFailed answers a refused login: 401 with the form again (503 with
// Retry-After when the password checks are all busy). The audit log keeps a
// keyed hash of the e-mail typed, never the text.
func (w *Workspace) loginFailed(c *fiber.Ctx, email, next string, err error) error {
	status, detail, msg := fiber.StatusUnauthorized, "bad_credentials", "admin.login.failed"
	switch {
	case auth.IsBusy(err):
		status, detail, msg = fiber.StatusServiceUnavailable, "busy", "admin.login.busy"
		c.Set(fiber.HeaderRetryAfter, "1")
	case auth.IsLocked(err):
		detail, msg = "locked", "admin.login.locked"
	case consulta.ErrorCode(err) != consulta.EUNAUTHORIZED:
		return err
	}
	_ = w.auditEntry(c, &consulta.AuditEntry{At: w.deps.Now(), Actor: w.deps.Auth.EmailHash(email),
		Action: "login.failure", Detail: detail})
	p := w.newPage(c, "admin.login.title")
	return w.showLogin(c, status, p, loginData{Email: email, Next: next, Error: p.T(msg)}, true)
}

// safeNext keeps a post-login redirect inside the workspace: a path under
// /admin, on this site, with nothing a browser or a header could read
// otherwise (control characters or backslashes, raw or percent-encoded, "//",
// "..", a scheme or a host). Anything else is /admin/.
func safeNext(next string) string {
	const home = "/admin/"
	if len(next) > 2000 || hostileText(next) {
		return home
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || strings.Contains(next, "//") {
		return home
	}
	query, err := url.QueryUnescape(u.RawQuery)
	if err != nil || hostileText(u.Path) || hostileText(query) || strings.Contains(u.Path, "//") || hasDotDot(u.Path) {
		return home
	}
	if (u.Path != "/admin" && !strings.HasPrefix(u.Path, "/admin/")) || strings.HasPrefix(u.Path, "/admin/login") {
		return home
	}
	return u.RequestURI()
}

// hasDotDot reports whether path climbs out of a directory ("..", which a
// browser resolves before it follows the redirect).
func hasDotDot(path string) bool {
	for _, seg := range strings.Split(path, "/") {
		if seg == ".." {
			return true
		}
	}
	return false
}

// hostileText reports whether s holds a control character or a backslash.
func hostileText(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' })
}

func (w *Workspace) logout(c *fiber.Ctx) error {
	s := session(c)
	ctx, cancel := reqCtx(c)
	defer cancel()
	if err := w.deps.Auth.Logout(ctx, s.Token); err != nil {
		return err
	}
	_ = w.audit(c, "logout", s.User.ID, "")
	w.clearSessionCookie(c)
	return redirect(c, "/admin/login")
}

func (w *Workspace) home(c *fiber.Ctx) error {
	return w.render(c, fiber.StatusOK, "home", w.newPage(c, "admin.home.title"), nil)
}

type passwordData struct{ Errors []string }

func (w *Workspace) passwordPage(c *fiber.Ctx) error {
	return w.render(c, fiber.StatusOK, "password", w.newPage(c, "admin.password.title"), passwordData{})
}

// passwordPost changes the signed-in user's password. Wrong guesses of the
// current password are audited and, past a few, refused unchecked.
func (w *Workspace) passwordPost(c *fiber.Ctx) error {
	p := w.newPage(c, "admin.password.title")
	if c.FormValue("password") != c.FormValue("confirm") {
		return w.render(c, fiber.StatusUnprocessableEntity, "password", p,
			passwordData{Errors: []string{p.T("admin.field.mismatch")}})
	}
	ctx, cancel := reqCtx(c)
	defer cancel()
	err := w.deps.Auth.ChangePassword(ctx, session(c), c.FormValue("current"), c.FormValue("password"))
	if err == nil {
		_ = w.audit(c, "user.password", user(c).ID, "")
		return redirect(c, "/admin/?notice=n_password")
	}
	if handled, rerr := w.passwordRefused(c, p, err); handled {
		return rerr
	}
	return err
}

// passwordRefused renders the change-password page for a refused change,
// auditing guesses of the current password; handled is false for errors it
// does not know.
func (w *Workspace) passwordRefused(c *fiber.Ctx, p *page, err error) (handled bool, rerr error) {
	fields := consulta.FieldErrors(err)
	switch {
	case auth.IsLocked(err):
		_ = w.audit(c, "user.password.failure", user(c).ID, "locked")
		c.Set(fiber.HeaderRetryAfter, "60")
		return true, w.render(c, fiber.StatusTooManyRequests, "password", p, passwordData{Errors: []string{p.T("admin.login.locked")}})
	case auth.IsBusy(err):
		c.Set(fiber.HeaderRetryAfter, "1")
		return true, w.render(c, fiber.StatusServiceUnavailable, "password", p, passwordData{Errors: []string{p.T("admin.login.busy")}})
	case len(fields) > 0:
		if fields[0].Question == "current" {
			_ = w.audit(c, "user.password.failure", user(c).ID, "wrong_password")
		}
		return true, w.render(c, fiber.StatusUnprocessableEntity, "password", p, passwordData{Errors: fieldMessages(p, fields)})
	}
	return false, nil
}

// fieldMessages localizes field errors of the workspace's own forms and of
// form answers (error.field.<code>).
func fieldMessages(p *page, fields []consulta.FieldError) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		id := "admin.field." + f.Code
		if msg := p.L.T(id, f.Params); msg != id {
			out[i] = msg
			continue
		}
		out[i] = p.L.T("error.field."+f.Code, f.Params)
	}
	return out
}
