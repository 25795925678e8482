package server

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/abuse"
	"github.com/consulta/consulta/internal/clientip"
	"github.com/consulta/consulta/internal/intake"
)

// tokenHeader carries the page-load token on the JSON API (the HTML form sends
// it in the hidden field "_t").
const tokenHeader = "Consulta-Token"

// sessionCheckTimeout bounds the look-up of a focus-group code that would lift
// the rate limits.
const sessionCheckTimeout = 2 * time.Second

// screenPageLoad asks the abuse guard about a form page load: an address has a
// generous ceiling of page loads a minute, since every page load gets a token.
func (s *Server) screenPageLoad(c *fiber.Ctx, formID, session string) abuse.Verdict {
	if s.deps.Abuse == nil || !s.deps.Abuse.Enabled() {
		return abuse.Verdict{}
	}
	v := s.deps.Abuse.CheckPageLoad(clientip.Of(c), s.trustedSession(formID, session))
	s.logBlocked(formID, v)
	return v
}

// screenSubmission asks the abuse guard about a submission. The address is
// hashed by the guard and goes nowhere else.
func (s *Server) screenSubmission(c *fiber.Ctx, a abuse.Attempt, session string) abuse.Verdict {
	if s.deps.Abuse == nil {
		if a.Honeypot {
			return abuse.Verdict{Blocked: abuse.ReasonHoneypot}
		}
		return abuse.Verdict{}
	}
	a.Address = clientip.Of(c)
	if s.deps.Abuse.Enabled() {
		a.Trusted = s.trustedSession(a.FormID, session)
	}
	v := s.deps.Abuse.CheckSubmission(a)
	s.logBlocked(a.FormID, v)
	return v
}

// trustedSession reports whether code is a focus-group session open for
// formID now: its participants, in one room behind one address, are not rate
// limited. Without a session checker no code is trusted (any well-formed code
// would otherwise lift the limits).
func (s *Server) trustedSession(formID, code string) bool {
	code, ok := intake.NormalizeSession(code)
	if !ok || code == "" || s.deps.Intake == nil || s.deps.Intake.Sessions == nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), sessionCheckTimeout)
	defer cancel()
	return s.deps.Intake.Sessions.CheckSession(ctx, code, formID, time.Now()) == nil
}

// pageToken returns the page-load token for a form page: kept when the page is
// shown again after a refused submission (so the time its person started
// counts), fresh otherwise. "" when abuse control is off.
func (s *Server) pageToken(formID, previous string) string {
	if s.deps.Abuse == nil {
		return ""
	}
	if previous != "" && s.deps.Abuse.ValidToken(formID, previous) {
		return previous
	}
	return s.deps.Abuse.IssueToken(formID)
}

// limitError turns a blocking verdict into a 429 with its Retry-After: too
// fast (or without a token) asks the person to wait a few seconds and send
// again; over a rate limit asks them to wait a moment.
func limitError(v abuse.Verdict) error {
	msg := "error.rate_limited"
	switch v.Blocked {
	case abuse.ReasonTooFast, abuse.ReasonNoToken, abuse.ReasonBadToken:
		msg = "error.spam"
	}
	return &httpError{status: fiber.StatusTooManyRequests, messageID: msg, retryAfter: v.RetryAfter}
}

// logBlocked notes a blocked attempt without anything that identifies the
// client: the guard counts it for the metrics.
func (s *Server) logBlocked(formID string, v abuse.Verdict) {
	if !v.OK() && s.deps.Logger != nil {
		s.deps.Logger.Debug("attempt blocked", "form", formID, "reason", string(v.Blocked), "retry_after", v.RetryAfter)
	}
}
