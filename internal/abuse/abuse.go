// Package abuse keeps robots and floods away from Consulta's public forms
// without third-party captchas and without storing who anyone is.
//
// Three defences, all checked by a Guard:
//
//   - A honeypot: a field hidden from people that only robots fill.
//   - A page-load token: every form page carries a signed token with the
//     time it was rendered (see token.go). A submission sooner than
//     MinFillTime after that is refused with the time left to wait, one later
//     than TokenMaxAge is refused as expired, and a token names one response
//     only: its page load's idempotency key (Verdict.Key) is derived from it.
//   - Rate limits on token buckets, keyed so that many people behind one
//     address (a school lab, a focus group in one room, a carrier's NAT) get
//     through: each page load is its own client, limited to RateLimit
//     submissions a minute; an address only has a ceiling AddressFactor times
//     higher, for submissions and for page loads. A submission without a token
//     (an API client) is limited as a client by its address. An open
//     focus-group session code trades the address's ceiling for a budget of
//     its own, sized by the participants it expects (see session.go).
//   - A submission of the no-JavaScript form from another site (its Origin,
//     or Referer) is refused; the server decides, the Guard counts it.
//
// Addresses are never stored: a limiter key is a keyed hash (HMAC-SHA256) of
// the address under a key derived from the app's secret and the current hour,
// so the hash of one address changes every hour and cannot be reversed or
// linked across hours by anyone without the secret. Counters live in memory,
// per process, and are forgotten as soon as they are full again.
//
// Every blocked attempt is counted by reason (Blocked, and the Prometheus
// metric consulta_abuse_blocked_total).
package abuse

import (
	"hash/maphash"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Defaults of Config.
const (
	// DefaultAddressFactor multiplies RateLimit into the per-address ceiling.
	// At the default 30 submissions a minute, one address may send 600 a
	// minute: a room of 40 answering at once is far below it.
	DefaultAddressFactor = 20
	// DefaultRotation is how long one hashing key lives.
	DefaultRotation = time.Hour
	// maxClockSkew is how far in the future a token's time may be (replicas'
	// clocks differ a little).
	maxClockSkew = time.Minute
)

// Config sets a Guard up.
type Config struct {
	// Secret is the app's secret key: it signs tokens and keys address hashes.
	Secret string
	// RateLimit is the number of submissions a minute per client; 0 turns the
	// rate limits off (the honeypot and the minimum fill time still apply).
	RateLimit int
	// MinFillTime is the least time between a page load and its submission.
	MinFillTime time.Duration
	// AddressFactor: an address may do AddressFactor × RateLimit submissions
	// and page loads a minute. 0 means DefaultAddressFactor.
	AddressFactor int
	// TokenMaxAge is how long after its page load a token is accepted; 0
	// means no limit (the application always sets it: CONSULTA_TOKEN_MAX_AGE).
	TokenMaxAge time.Duration
	// Rotation is the life of one address-hashing key; 0 means DefaultRotation.
	Rotation time.Duration
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Reason says why an attempt was blocked.
type Reason string

// Reasons of blocked attempts, the label values of the metric.
const (
	ReasonHoneypot    Reason = "honeypot"      // the trap field was filled
	ReasonTooFast     Reason = "too_fast"      // sooner than MinFillTime after the page load
	ReasonNoToken     Reason = "no_token"      // a form post without a valid page-load token
	ReasonBadToken    Reason = "bad_token"     // a token that is forged, garbled or for another form
	ReasonExpired     Reason = "expired_token" // a token older than TokenMaxAge
	ReasonCrossSite   Reason = "cross_site"    // a form post sent from another site
	ReasonClient      Reason = "client_rate"   // over RateLimit for one client
	ReasonAddress     Reason = "address_rate"
	ReasonPageLoads   Reason = "page_loads"   // over the per-address (or per-session) ceiling of page loads
	ReasonSession     Reason = "session_rate" // over a focus-group session's budget a minute
	ReasonSessionFull Reason = "session_full" // a focus-group session that has all the responses it may take
	reasonCount              = 11
	reasonIndexUnset         = -1
)

// Reasons lists every reason, in a stable order.
func Reasons() []Reason {
	return []Reason{ReasonHoneypot, ReasonTooFast, ReasonNoToken, ReasonBadToken, ReasonExpired, ReasonCrossSite,
		ReasonClient, ReasonAddress, ReasonPageLoads, ReasonSession, ReasonSessionFull}
}

func (r Reason) index() int {
	for i, known := range Reasons() {
		if known == r {
			return i
		}
	}
	return reasonIndexUnset
}

// Verdict is the Guard's answer about one attempt.
type Verdict struct {
	// Blocked is the reason the attempt is refused; "" lets it through.
	Blocked Reason
	// RetryAfter is how long to wait before trying again (0 when a retry
	// will not help, as for the honeypot).
	RetryAfter time.Duration
	// Key is the idempotency key of the page load whose genuine token the
	// submission carries ("" without one): the submission is stored under
	// it, whatever key it names, so that one page load stores one response.
	Key string
}

// OK reports whether the attempt may go on.
func (v Verdict) OK() bool { return v.Blocked == "" }

// Guard decides about page loads and submissions. It is safe for concurrent
// use; its zero value is not usable: call New.
type Guard struct {
	cfg       Config
	tokenMACs *macPool // HMAC-SHA256 under the token key (token.go)
	hasher    *addressHasher
	codeSeed  maphash.Seed // keys of page-load nonces and session codes, which are no personal data
	desc      *prometheus.Desc
	blocked   [reasonCount]atomic.Uint64

	mu        sync.Mutex // guards the bucket sets, so a check and its charge are one step
	clients   *buckets   // per page-load token, or per address without a token
	addresses *buckets   // per-address ceiling of submissions
	loads     *buckets   // per-address ceiling of page loads
	sessions  *buckets   // per focus-group code: submissions (sized per session)
	rooms     *buckets   // per focus-group code: page loads (sized per session)
}

// New returns a Guard for cfg.
func New(cfg Config) *Guard {
	if cfg.AddressFactor <= 0 {
		cfg.AddressFactor = DefaultAddressFactor
	}
	if cfg.Rotation <= 0 {
		cfg.Rotation = DefaultRotation
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	g := &Guard{
		cfg:       cfg,
		tokenMACs: newMACPool(derive(cfg.Secret, "consulta/abuse/token/v1")),
		hasher:    newAddressHasher(cfg.Rotation),
		codeSeed:  maphash.MakeSeed(),
		desc:      newBlockedDesc(),
	}
	perMinute := float64(cfg.RateLimit)
	g.clients = newBuckets(perMinute)
	g.addresses = newBuckets(perMinute * float64(cfg.AddressFactor))
	g.loads = newBuckets(perMinute * float64(cfg.AddressFactor))
	g.sessions = newBuckets(perMinute)
	g.rooms = newBuckets(perMinute)
	return g
}

// Attempt describes one submission.
type Attempt struct {
	FormID string
	// Token is the page-load token sent with the submission ("" if none).
	Token string
	// Address is the client's IP address. It is hashed, never kept.
	Address string
	// Session is the open focus-group session the submission names (nil
	// for none, or a code of no open session, which intake refuses).
	Session *Session
	// Honeypot is true when the trap field was filled.
	Honeypot bool
	// CrossSite is true when the server found the post sent from another
	// site (the no-JavaScript form's Origin or Referer).
	CrossSite bool
	// RequireToken refuses a submission without a valid token (the HTML form,
	// whose page always has one); the JSON API accepts tokenless clients.
	RequireToken bool
	// MinFillTime is the form's own minimum fill time, when it has one
	// (forms.Form.MinFillTime); nil means Config.MinFillTime.
	MinFillTime *time.Duration
}

// minFillTime is the least time a's form asks between page load and submission.
func (g *Guard) minFillTime(a Attempt) time.Duration {
	if a.MinFillTime != nil {
		return *a.MinFillTime
	}
	return g.cfg.MinFillTime
}

// CheckSubmission decides about one submission and counts it when blocked.
// Checks run cheapest first: cross-site, honeypot, token age, then the
// limits, which are only charged when the attempt passes every other check.
func (g *Guard) CheckSubmission(a Attempt) Verdict {
	now := g.cfg.Now()
	switch {
	case a.CrossSite:
		return g.block(ReasonCrossSite, 0)
	case a.Honeypot:
		return g.block(ReasonHoneypot, 0)
	}
	tok, ok := g.verify(a.FormID, a.Token)
	if v, refused := g.checkToken(a, tok, ok, now); refused {
		return v
	}
	v := g.limit(a, tok, ok, now)
	if ok && v.OK() {
		v.Key = tok.key()
	}
	return v
}

// checkToken applies the page-load token's rules: required on the HTML form,
// genuine, not from the future, not expired, not too fresh.
func (g *Guard) checkToken(a Attempt, tok token, ok bool, now time.Time) (Verdict, bool) {
	age, least := now.Sub(tok.issued), g.minFillTime(a)
	switch {
	case !ok && a.RequireToken && a.Token != "":
		return g.block(ReasonBadToken, least), true
	case !ok && a.RequireToken:
		return g.block(ReasonNoToken, least), true
	case !ok:
		return Verdict{}, false
	case age < -maxClockSkew:
		return g.block(ReasonBadToken, least), true
	case g.expired(age):
		return g.block(ReasonExpired, 0), true
	case age < least:
		return g.block(ReasonTooFast, least-age), true
	}
	return Verdict{}, false
}

// expired reports whether a token of that age is too old.
func (g *Guard) expired(age time.Duration) bool {
	return g.cfg.TokenMaxAge > 0 && age > g.cfg.TokenMaxAge
}

// limit charges the rate limits of a submission: its client (the page load,
// or the address without a token), and its address's ceiling or, for an open
// focus-group session, the session's budget instead.
func (g *Guard) limit(a Attempt, tok token, ok bool, now time.Time) Verdict {
	if g.cfg.RateLimit <= 0 {
		return Verdict{}
	}
	client := take{g.clients, g.hasher.tagged('a', a.Address, now), ReasonClient, 0}
	if ok {
		client.key = bucketKey(g.codeSeed, 't', tok.nonce())
	}
	if s := a.Session; s != nil {
		return g.take(now, client, take{g.sessions, g.sessionKey(s), ReasonSession, g.sessionRate(s.Expected)})
	}
	return g.take(now, client, take{g.addresses, g.hasher.key(a.Address, now), ReasonAddress, 0})
}

// CheckPageLoad decides about one page load (a form page, which issues a
// token) from address: charged to the address's ceiling, or to the session's
// budget of page loads when it names an open focus-group session.
func (g *Guard) CheckPageLoad(address string, s *Session) Verdict {
	if g.cfg.RateLimit <= 0 {
		return Verdict{}
	}
	now := g.cfg.Now()
	if s != nil {
		return g.take(now, take{g.rooms, g.sessionKey(s), ReasonPageLoads, g.sessionRate(s.Expected)})
	}
	return g.take(now, take{g.loads, g.hasher.key(address, now), ReasonPageLoads, 0})
}

// sessionKey is the bucket key of a focus-group session's code.
func (g *Guard) sessionKey(s *Session) uint64 { return bucketKey(g.codeSeed, 's', s.Code) }

// take is one bucket to charge.
type take struct {
	b      *buckets
	key    uint64
	reason Reason
	// capacity is the bucket's size a minute; 0 is its set's.
	capacity float64
}

// take charges every bucket when each has room, and none otherwise, so that a
// refused attempt costs nothing.
func (g *Guard) take(now time.Time, takes ...take) Verdict {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(takes) == 1 { // a page load: one look-up instead of two
		t := takes[0]
		if wait := t.b.spend(t.key, now, t.capacity); wait > 0 {
			return g.block(t.reason, wait)
		}
		return Verdict{}
	}
	for _, t := range takes {
		if wait := t.b.wait(t.key, now, t.capacity); wait > 0 {
			return g.block(t.reason, wait)
		}
	}
	for _, t := range takes {
		t.b.charge(t.key, now, t.capacity)
	}
	return Verdict{}
}

func (g *Guard) block(r Reason, retryAfter time.Duration) Verdict {
	g.count(r)
	return Verdict{Blocked: r, RetryAfter: retryAfter}
}

func (g *Guard) count(r Reason) {
	if i := r.index(); i >= 0 {
		g.blocked[i].Add(1)
	}
}

// Blocked returns how many attempts were blocked, by reason, since start.
func (g *Guard) Blocked() map[Reason]uint64 {
	out := make(map[Reason]uint64, reasonCount)
	for i, r := range Reasons() {
		out[r] = g.blocked[i].Load()
	}
	return out
}

// Enabled reports whether rate limits are on (RateLimit > 0).
func (g *Guard) Enabled() bool { return g.cfg.RateLimit > 0 }
