package workspace

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/auth"
	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/httpstatus"
)

// requestTimeout bounds the store work of one workspace request.
const requestTimeout = 30 * time.Second

type ctxKey int

const (
	keySession ctxKey = iota
	keyFocusGroup
)

// session returns the signed-in session of the request, or nil.
func session(c *fiber.Ctx) *auth.Session {
	s, _ := c.Locals(keySession).(*auth.Session)
	return s
}

// user returns the signed-in user, or nil.
func user(c *fiber.Ctx) *consulta.User {
	if s := session(c); s != nil {
		return s.User
	}
	return nil
}

// focusGroup returns the session loaded by seeSession or runSession.
func focusGroup(c *fiber.Ctx) *consulta.FocusGroup {
	g, _ := c.Locals(keyFocusGroup).(*consulta.FocusGroup)
	return g
}

// reqCtx is a context for the store calls of a request.
func reqCtx(c *fiber.Ctx) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.UserContext(), requestTimeout)
}

// loadSession reads the session cookie, if any. A bad or expired cookie is
// dropped: the request goes on anonymous.
func (w *Workspace) loadSession(c *fiber.Ctx) error {
	token := w.cookies.get(c, sessionCookie)
	if token != "" {
		ctx, cancel := reqCtx(c)
		s, err := w.deps.Auth.Authenticate(ctx, token)
		cancel()
		switch {
		case err == nil:
			c.Locals(keySession, s)
		case consulta.ErrorCode(err) == consulta.EUNAUTHORIZED:
			w.clearSessionCookie(c)
		default:
			return w.fail(c, err)
		}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

// check is an authorization rule for a request of a signed-in user.
type check func(c *fiber.Ctx, u *consulta.User) error

func perm(p auth.Permission) check {
	return func(c *fiber.Ctx, u *consulta.User) error {
		if !auth.Can(u, p) {
			return errForbidden
		}
		return nil
	}
}

var errForbidden = consulta.Errorf(consulta.EFORBIDDEN, "not allowed")

// must lets through signed-in users that pass ok (nil: any) and whose POST
// carries the CSRF token. Anonymous users get the login page (HTML) or 401
// (API).
func (w *Workspace) must(ok check) fiber.Handler {
	return func(c *fiber.Ctx) error {
		s := session(c)
		if s == nil {
			if strings.HasPrefix(c.Path(), "/admin/api/") || c.Method() != fiber.MethodGet {
				return w.fail(c, consulta.Errorf(consulta.EUNAUTHORIZED, "not signed in"))
			}
			return redirect(c, "/admin/login?next="+url.QueryEscape(c.OriginalURL()))
		}
		if c.Method() == fiber.MethodPost && !auth.ValidCSRF(s, csrfToken(c)) {
			return w.fail(c, consulta.Errorf(consulta.EFORBIDDEN, "missing or wrong CSRF token"))
		}
		if ok != nil {
			if err := ok(c, s.User); err != nil {
				return w.fail(c, err)
			}
		}
		return c.Next()
	}
}

// csrfToken is the token of a POST: the form field, or a header for scripts.
func csrfToken(c *fiber.Ctx) string {
	if t := c.FormValue("csrf"); t != "" {
		return t
	}
	return c.Get("X-CSRF-Token")
}

// seeSession loads the focus group of :code and checks that the user may see it.
func (w *Workspace) seeSession(c *fiber.Ctx, u *consulta.User) error {
	return w.loadFocusGroup(c, u, auth.CanSeeSession)
}

// runSession loads the focus group of :code and checks that the user may run it.
func (w *Workspace) runSession(c *fiber.Ctx, u *consulta.User) error {
	return w.loadFocusGroup(c, u, auth.CanRunSession)
}

func (w *Workspace) loadFocusGroup(c *fiber.Ctx, u *consulta.User, allowed func(*consulta.User, *consulta.FocusGroup) bool) error {
	if !auth.Can(u, auth.ViewSessions) {
		return errForbidden
	}
	ctx, cancel := reqCtx(c)
	defer cancel()
	g, err := w.deps.Store.FocusGroup(ctx, strings.ToUpper(c.Params("code")))
	if err != nil {
		return err
	}
	if !allowed(u, g) {
		return errForbidden
	}
	c.Locals(keyFocusGroup, g)
	return nil
}

// handle turns a handler's error into the workspace's error page.
func (w *Workspace) handle(h fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := h(c); err != nil {
			return w.fail(c, err)
		}
		return nil
	}
}

// fail answers with the status of err: JSON under /admin/api, a page elsewhere.
func (w *Workspace) fail(c *fiber.Ctx, err error) error { return w.failAs(c, err, "") }

// failAs is fail with the message titleID instead of the one of err's code.
func (w *Workspace) failAs(c *fiber.Ctx, err error, titleID string) error {
	status, code := fiber.StatusInternalServerError, consulta.ErrorCode(err)
	var fe *fiber.Error
	if errors.As(err, &fe) {
		status, code = fe.Code, consulta.EINVALID
		if fe.Code == fiber.StatusNotFound {
			code = consulta.ENOTFOUND
		}
	} else {
		status = httpstatus.Of(code)
	}
	if status >= 500 {
		w.deps.Logger.Error("workspace request failed", "route", c.Route().Path, "err", err) // the route, not the path: paths can carry e-mails
	}
	if titleID == "" {
		titleID = "error." + code
	}
	p := w.newPage(c, titleID)
	if strings.HasPrefix(c.Path(), "/admin/api/") {
		return c.Status(status).JSON(fiber.Map{"error": code, "message": p.Title})
	}
	return w.render(c, status, "error", p, status)
}

// audit appends to the audit log; a failure is logged, and returned so that
// the caller can refuse what it could not record (exports, contact views).
func (w *Workspace) audit(c *fiber.Ctx, action, target, detail string) error {
	e := &consulta.AuditEntry{At: w.deps.Now(), Action: action, Target: target, Detail: detail}
	if u := user(c); u != nil {
		e.Actor, e.Role = u.ID, u.Role
	}
	return w.auditEntry(c, e)
}

func (w *Workspace) auditEntry(c *fiber.Ctx, e *consulta.AuditEntry) error {
	ctx, cancel := reqCtx(c)
	defer cancel()
	err := w.deps.Store.AppendAudit(ctx, e)
	if err != nil {
		w.deps.Logger.Error("audit log write failed", "action", e.Action, "err", err)
	}
	return err
}
