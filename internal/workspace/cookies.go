package workspace

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Cookie names (before the __Host- prefix).
const (
	sessionCookie = "consulta_session" // the login token
	loginCookie   = "consulta_login"   // the login form's nonce (auth.LoginCSRF)
	deviceCookie  = "consulta_device"  // this browser signed in to an account before
	langCookie    = "consulta_lang"    // the workspace language chosen with ?lang=
)

// cookieJar writes the workspace's cookies. When the service's public URL is
// https, every cookie is named with the __Host- prefix, which browsers accept
// only when Secure, without Domain and with Path=/: a sibling subdomain or a
// man in the middle on plain HTTP can then neither set nor overwrite them
// (cookie tossing). Otherwise cookies keep their narrower paths and are
// Secure when the request came over HTTPS.
type cookieJar struct {
	hostOnly bool
}

func newCookieJar(baseURL string) cookieJar {
	return cookieJar{hostOnly: strings.HasPrefix(baseURL, "https://")}
}

func (j cookieJar) name(n string) string {
	if j.hostOnly {
		return "__Host-" + n
	}
	return n
}

// get reads cookie n.
func (j cookieJar) get(c *fiber.Ctx, n string) string { return c.Cookies(j.name(n)) }

// set writes cookie n (HttpOnly) for path until expires; an empty value
// deletes it.
func (j cookieJar) set(c *fiber.Ctx, n, value, path string, expires time.Time, sameSite string) {
	ck := &fiber.Cookie{Name: j.name(n), Value: value, Path: path, Expires: expires, HTTPOnly: true,
		SameSite: sameSite, Secure: secure(c)}
	if j.hostOnly {
		ck.Path, ck.Secure = "/", true
	}
	if value == "" {
		ck.MaxAge, ck.Expires = -1, time.Unix(0, 0)
	}
	c.Cookie(ck)
}

// secure reports whether cookies must be Secure: the request came over HTTPS
// (directly or, as a trusted proxy says, through it).
func secure(c *fiber.Ctx) bool { return c.Protocol() == "https" }

func (w *Workspace) setSessionCookie(c *fiber.Ctx, token string, expires time.Time) {
	w.cookies.set(c, sessionCookie, token, "/admin", expires, fiber.CookieSameSiteLaxMode)
}

func (w *Workspace) clearSessionCookie(c *fiber.Ctx) {
	w.cookies.set(c, sessionCookie, "", "/admin", time.Time{}, fiber.CookieSameSiteLaxMode)
}
