package workspace

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/auth"
	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/store"
)

type loginData struct {
	Email, Next, Error string
}

func (w *Workspace) loginPage(c *fiber.Ctx) error {
	if session(c) != nil {
		return redirect(c, safeNext(c.Query("next")))
	}
	return w.render(c, fiber.StatusOK, "login", w.newPage(c, "admin.login.title"), loginData{Next: c.Query("next")})
}

// loginPost signs in. The page says the same thing for an unknown e-mail and
// a wrong password; a locked account or client is told to wait.
func (w *Workspace) loginPost(c *fiber.Ctx) error {
	email, next := strings.TrimSpace(c.FormValue("email")), c.FormValue("next")
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
		return w.render(c, fiber.StatusUnauthorized, "login", p, loginData{Email: email, Next: next, Error: p.T(msg)})
	}
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
