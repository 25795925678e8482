package workspace

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/auth"
	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/store"
)

type loginData struct {
	Email, Next, Error string
	CSRF               string // the login form's anti-forgery token
}

// loginCookie holds the nonce of the login form's CSRF token (auth.LoginCSRF).
const loginCookie = "consulta_login"

// loginFormTTL is how long a login form stays usable.
const loginFormTTL = 2 * time.Hour

func (w *Workspace) loginPage(c *fiber.Ctx) error {
	if session(c) != nil {
		return redirect(c, safeNext(c.Query("next")))
	}
	return w.showLogin(c, fiber.StatusOK, w.newPage(c, "admin.login.title"), loginData{Next: c.Query("next")})
}

// showLogin renders the login form with the token of the browser's nonce,
// giving the browser a new nonce when it has none (or a forged one).
func (w *Workspace) showLogin(c *fiber.Ctx, status int, p *page, d loginData) error {
	nonce := c.Cookies(loginCookie)
	if len(nonce) < 40 || len(nonce) > 100 {
		nonce, _ = w.loginCSRF.New()
		c.Cookie(&fiber.Cookie{Name: loginCookie, Value: nonce, Path: "/admin/login",
			Expires: w.deps.Now().Add(loginFormTTL), HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode, Secure: secure(c)})
	}
	d.CSRF = w.loginCSRF.Token(nonce)
	return w.render(c, status, "login", p, d)
}

// loginPost signs in. The page says the same thing for an unknown e-mail and
// a wrong password; a locked account or client is told to wait. A post
// without the login form's token (a forged cross-site login, or a form older
// than its cookie) is refused before the password is even looked at.
func (w *Workspace) loginPost(c *fiber.Ctx) error {
	email, next := strings.TrimSpace(c.FormValue("email")), c.FormValue("next")
	if !w.loginCSRF.Valid(c.Cookies(loginCookie), c.FormValue("csrf")) {
		p := w.newPage(c, "admin.login.title")
		return w.showLogin(c, fiber.StatusForbidden, p, loginData{Email: email, Next: next, Error: p.T("admin.login.expired")})
	}
	ctx, cancel := reqCtx(c)
	defer cancel()
	s, err := w.deps.Auth.Login(ctx, email, c.FormValue("password"), w.clientKey(c))
	if err != nil {
		if consulta.ErrorCode(err) != consulta.EUNAUTHORIZED {
			return err
		}
		detail := "bad_credentials"
		msg := "admin.login.failed"
		if auth.IsLocked(err) {
			detail, msg = "locked", "admin.login.locked"
		}
		_ = w.auditEntry(c, &store.AuditEntry{At: w.deps.Now(), Actor: auth.NormalizeEmail(email),
			Action: "login.failure", Detail: detail})
		p := w.newPage(c, "admin.login.title")
		return w.showLogin(c, fiber.StatusUnauthorized, p, loginData{Email: email, Next: next, Error: p.T(msg)})
	}
	c.Cookie(&fiber.Cookie{Name: loginCookie, Value: "", Path: "/admin/login", MaxAge: -1,
		Expires: time.Unix(0, 0), HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode, Secure: secure(c)})
	setSessionCookie(c, s.Token, s.Login.ExpiresAt)
	c.Locals(keySession, s)
	_ = w.audit(c, "login.success", s.User.ID, "")
	return redirect(c, safeNext(next))
}

// safeNext keeps a post-login redirect inside the workspace.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/admin") && !strings.HasPrefix(next, "/admin/login") && !strings.Contains(next, "//") {
		return next
	}
	return "/admin/"
}

func (w *Workspace) logout(c *fiber.Ctx) error {
	s := session(c)
	ctx, cancel := reqCtx(c)
	defer cancel()
	if err := w.deps.Auth.Logout(ctx, s.Token); err != nil {
		return err
	}
	_ = w.audit(c, "logout", s.User.ID, "")
	clearSessionCookie(c)
	return redirect(c, "/admin/login")
}

func (w *Workspace) home(c *fiber.Ctx) error {
	return w.render(c, fiber.StatusOK, "home", w.newPage(c, "admin.home.title"), nil)
}

type passwordData struct{ Errors []string }

func (w *Workspace) passwordPage(c *fiber.Ctx) error {
	return w.render(c, fiber.StatusOK, "password", w.newPage(c, "admin.password.title"), passwordData{})
}

func (w *Workspace) passwordPost(c *fiber.Ctx) error {
	p := w.newPage(c, "admin.password.title")
	if c.FormValue("password") != c.FormValue("confirm") {
		return w.render(c, fiber.StatusUnprocessableEntity, "password", p,
			passwordData{Errors: []string{p.T("admin.field.mismatch")}})
	}
	ctx, cancel := reqCtx(c)
	defer cancel()
	err := w.deps.Auth.ChangePassword(ctx, session(c), c.FormValue("current"), c.FormValue("password"))
	if fields := consulta.FieldErrors(err); len(fields) > 0 {
		return w.render(c, fiber.StatusUnprocessableEntity, "password", p, passwordData{Errors: fieldMessages(p, fields)})
	}
	if err != nil {
		return err
	}
	_ = w.audit(c, "user.password", user(c).ID, "")
	return redirect(c, "/admin/?notice=n_password")
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
