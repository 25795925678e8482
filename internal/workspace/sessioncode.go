package workspace

import (
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/clientip"
	"github.com/consulta/consulta/internal/consulta"
)

// Wrong session codes an address may type per window on /sesion. A code is
// one of 25^6 (244 million), so this is generous to a room that mistypes
// behind one address and still makes guessing pointless.
const (
	codeGuesses     = 30
	codeGuessWindow = 15 * time.Minute
)

// codeForm is what /sesion shows: the code as typed and what was wrong.
type codeForm struct {
	Code  string
	Error template.HTML
}

// sessionCodePage is the public page where a participant types the code of
// the handout and lands on the session's form, in the session's language:
// a plain GET form, no scripts. An unknown code gets 404 and a closed
// session 403, each with a message; wrong codes are counted per address.
func (w *Workspace) sessionCodePage(c *fiber.Ctx) error {
	p := w.newPublicPage(c, "sesion.title")
	typed, ok := c.Queries()["codigo"]
	if !ok {
		return w.renderPublic(c, fiber.StatusOK, "sesion", p, codeForm{})
	}
	code := normalizeCode(typed)
	client := clientip.Of(c)
	if !w.codeGuesses.Reserve(client, w.deps.Now()) {
		c.Set(fiber.HeaderRetryAfter, "60")
		return w.renderPublic(c, fiber.StatusTooManyRequests, "sesion", p, codeForm{Code: typed, Error: p.TH("sesion.error.too_many")})
	}
	status, msgID := w.checkCode(c, code)
	if status == fiber.StatusSeeOther {
		w.codeGuesses.Release(client)
		return nil
	}
	if status >= fiber.StatusInternalServerError {
		w.codeGuesses.Release(client)
	}
	return w.renderPublic(c, status, "sesion", p, codeForm{Code: typed, Error: p.TH(msgID, "Code", code)})
}

// checkCode redirects to the form of an open session (303) or says why not:
// the status and the message id.
func (w *Workspace) checkCode(c *fiber.Ctx, code string) (int, string) {
	if len(code) != codeLength || strings.ContainsFunc(code, notCodeRune) {
		return fiber.StatusUnprocessableEntity, "sesion.error.format"
	}
	ctx, cancel := reqCtx(c)
	defer cancel()
	g, err := w.deps.Store.FocusGroup(ctx, code)
	switch {
	case consulta.ErrorCode(err) == consulta.ENOTFOUND:
		return fiber.StatusNotFound, "sesion.error.unknown"
	case err != nil:
		w.deps.Logger.Error("session code look-up failed", "err", err)
		return fiber.StatusServiceUnavailable, "sesion.error.store"
	case !g.Open(w.deps.Now()):
		return fiber.StatusForbidden, "sesion.error.closed"
	}
	_ = c.Redirect("/f/"+url.PathEscape(g.FormID)+"?session="+g.Code+"&lang="+url.QueryEscape(g.Lang), fiber.StatusSeeOther)
	return fiber.StatusSeeOther, ""
}

// normalizeCode forgives what people type: lower case, spaces and dashes
// (the handout prints the code spaced out).
func normalizeCode(s string) string {
	return strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(strings.TrimSpace(s)))
}

// notCodeRune reports a character no code has (codes are drawn from
// codeAlphabet; any other letter or digit is simply not found).
func notCodeRune(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') }
