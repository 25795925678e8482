package server

import (
	"context"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/abuse"
	"github.com/consulta/consulta/internal/clientip"
	"github.com/consulta/consulta/internal/intake"
)

// tokenHeader carries the page-load token on the JSON API (the HTML form sends
// it in the hidden field "_t").
const tokenHeader = "Consulta-Token"

// sessionCheckTimeout bounds the look-up of a focus-group code for abuse
// control: a store slower than that and the code counts as none.
const sessionCheckTimeout = 2 * time.Second

// FocusGroups tells abuse control about focus-group session codes (the store).
type FocusGroups interface {
	// SessionExpected returns the participants expected by the session code
	// of form formID open at now; an error when no such session is open.
	SessionExpected(ctx context.Context, code, formID string, now time.Time) (int, error)
	// SessionResponses counts the responses of session code, up to limit.
	SessionResponses(ctx context.Context, code string, limit int64) (int64, error)
}

// screenPageLoad asks the abuse guard about a form page load: an address has a
// generous ceiling of page loads a minute, since every page load gets a token;
// an open session's page loads count against the session's budget instead.
func (s *Server) screenPageLoad(c *fiber.Ctx, formID, session string) abuse.Verdict {
	if s.deps.Abuse == nil || !s.deps.Abuse.Enabled() {
		return abuse.Verdict{}
	}
	v := s.deps.Abuse.CheckPageLoad(clientip.Of(c), s.openSession(formID, session))
	s.logBlocked(formID, v)
	return v
}

// screenSubmission asks the abuse guard about a submission. The address is
// hashed by the guard and goes nowhere else. A submission of an open
// focus-group session within its minute's budget is then checked against the
// session's total; the error is the store's, when it could not count them.
func (s *Server) screenSubmission(c *fiber.Ctx, a abuse.Attempt, session string) (abuse.Verdict, error) {
	if s.deps.Abuse == nil {
		switch {
		case a.CrossSite:
			return abuse.Verdict{Blocked: abuse.ReasonCrossSite}, nil
		case a.Honeypot:
			return abuse.Verdict{Blocked: abuse.ReasonHoneypot}, nil
		}
		return abuse.Verdict{}, nil
	}
	a.Address = clientip.Of(c)
	if f, ok := s.deps.Forms.Get(a.FormID); ok {
		a.MinFillTime = f.MinFillTime // the form's own, when it sets one
	}
	if s.deps.Abuse.Enabled() && !a.CrossSite && !a.Honeypot {
		a.Session = s.openSession(a.FormID, session)
	}
	v := s.deps.Abuse.CheckSubmission(a)
	if v.OK() && a.Session != nil {
		n, err := s.sessionResponses(a.Session)
		if err != nil {
			return abuse.Verdict{}, err
		}
		key := v.Key
		if v = s.deps.Abuse.CheckSessionTotal(a.Session, n); v.OK() {
			v.Key = key
		}
	}
	s.logBlocked(a.FormID, v)
	return v, nil
}

// openSession returns the focus-group session code when it is open for
// formID now; nil for no code, a code of no open session (intake refuses
// those submissions) or a store that does not answer. Without FocusGroups no
// code is open: its submissions are limited as everyone's. Open sessions are
// remembered for a while (sessionCache).
func (s *Server) openSession(formID, code string) *abuse.Session {
	code, ok := intake.NormalizeSession(code)
	if !ok || code == "" || s.deps.FocusGroups == nil {
		return nil
	}
	now, key := time.Now(), formID+"|"+code
	if expected, ok := s.sessions.get(key, now); ok {
		return &abuse.Session{Code: code, Expected: expected}
	}
	ctx, cancel := context.WithTimeout(context.Background(), sessionCheckTimeout)
	defer cancel()
	expected, err := s.deps.FocusGroups.SessionExpected(ctx, code, formID, now)
	if err != nil {
		return nil
	}
	s.sessions.put(key, expected, now)
	return &abuse.Session{Code: code, Expected: expected}
}

// sessionResponses counts an open session's responses, up to its cap (the
// store's deadline of one operation applies).
func (s *Server) sessionResponses(open *abuse.Session) (int64, error) {
	return s.deps.FocusGroups.SessionResponses(context.Background(), open.Code, abuse.SessionCap(open.Expected))
}

// crossSite reports whether a post to a form comes from another site, as
// browsers tell: its Origin, or its Referer when it has no Origin (older
// browsers), must be this server's own origin or one of the form's origins
// (the pages that may frame it). "null", the origin of sandboxed frames and
// of pages that hide theirs, is another site. A post with neither header
// (only very old browsers or non-browser clients send neither on a POST)
// passes: the page-load token and the limits still apply to it.
func (s *Server) crossSite(c *fiber.Ctx, formID string) bool {
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" {
		referer := c.Get(fiber.HeaderReferer)
		if referer == "" {
			return false
		}
		origin = baseOrigin(referer)
	}
	if origin == "" || origin == "null" {
		return true
	}
	if u, err := url.Parse(origin); err != nil || u.Host == "" {
		return true
	}
	return !s.ownOrigin(c, origin) && !s.formAllows(formID, origin)
}

// pageToken returns the page-load token for a form page: kept when the page is
// shown again after a refused submission (so the time its person started
// counts), fresh otherwise (also when the one sent has expired). "" when
// abuse control is off.
func (s *Server) pageToken(formID, previous string) string {
	if s.deps.Abuse == nil {
		return ""
	}
	if previous != "" && s.deps.Abuse.ValidToken(formID, previous) {
		return previous
	}
	return s.deps.Abuse.IssueToken(formID)
}

// pageKey is the idempotency key a form page carries: its token's (a page
// load names one response, abuse.KeyOf), or fallback when it has no token
// (abuse control off), or a fresh key when fallback is not a valid one.
func pageKey(token, fallback string) string {
	if key := abuse.KeyOf(token); key != "" {
		return key
	}
	if intake.ValidKey(fallback) {
		return fallback
	}
	return intake.NewKey()
}

// refusal turns a blocking verdict into its HTTP error. Too fast says so and
// asks the person to wait a few seconds and send again; without a genuine
// token, to send again (the page shown again carries a fresh one); both 429
// with Retry-After; over a rate limit, to wait a moment (429); an expired page,
// another site or a full session are refused for good (403), each with its
// own message.
func refusal(v abuse.Verdict) error {
	switch v.Blocked {
	case abuse.ReasonTooFast:
		return &httpError{status: fiber.StatusTooManyRequests, messageID: "error.too_fast", retryAfter: v.RetryAfter}
	case abuse.ReasonNoToken, abuse.ReasonBadToken:
		return &httpError{status: fiber.StatusTooManyRequests, messageID: "error.spam", retryAfter: v.RetryAfter}
	case abuse.ReasonExpired:
		return errStatus(fiber.StatusForbidden, "error.page_expired")
	case abuse.ReasonCrossSite:
		return errStatus(fiber.StatusForbidden, "error.cross_site")
	case abuse.ReasonSessionFull:
		return errStatus(fiber.StatusForbidden, "error.session_full")
	}
	return &httpError{status: fiber.StatusTooManyRequests, messageID: "error.rate_limited", retryAfter: v.RetryAfter}
}

// refusalOutcome is what refusal's cases count as (consulta_submissions_total):
// the honeypot is trapped (its robot is told it worked), the 403s are
// refused, the rest rate limited.
func refusalOutcome(v abuse.Verdict) intake.Outcome {
	switch v.Blocked {
	case abuse.ReasonHoneypot:
		return intake.OutcomeTrapped
	case abuse.ReasonExpired, abuse.ReasonCrossSite, abuse.ReasonSessionFull:
		return intake.OutcomeRefused
	}
	return intake.OutcomeRateLimited
}

// turnedAway records a submission refused before intake with outcome o, and
// returns err, the refusal to answer with.
func (s *Server) turnedAway(sub intake.Submission, o intake.Outcome, err error) error {
	if s.deps.Intake != nil {
		s.deps.Intake.Record(sub, o)
	}
	return err
}

// logBlocked notes a blocked attempt without anything that identifies the
// client: the guard counts it for the metrics.
func (s *Server) logBlocked(formID string, v abuse.Verdict) {
	if !v.OK() && s.deps.Logger != nil {
		s.deps.Logger.Debug("attempt blocked", "form", formID, "reason", string(v.Blocked), "retry_after", v.RetryAfter)
	}
}
