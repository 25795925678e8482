package abuse

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

const secret = "0123456789abcdef0123456789abcdef-test-secret"

// clock is a settable time source for the Guard.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// maxAge is the tokens' life in these tests.
const maxAge = 2 * time.Hour

func newGuard(c *clock, rate int) *Guard {
	return New(Config{Secret: secret, RateLimit: rate, MinFillTime: 2 * time.Second, TokenMaxAge: maxAge, Now: c.now})
}

func TestTokenChecks(t *testing.T) {
	c := newClock()
	g := newGuard(c, 30)
	other := New(Config{Secret: "another-secret-another-secret-another", RateLimit: 30, MinFillTime: 2 * time.Second, Now: c.now})
	good := g.IssueToken("sugerencias")
	tampered := []byte(good)
	tampered[20] ^= 1
	tests := []struct {
		name         string
		token        string
		form         string
		wait         time.Duration
		requireToken bool
		want         Reason
		wantRetry    time.Duration
	}{
		{"human after the minimum time", good, "sugerencias", 3 * time.Second, true, "", 0},
		{"too fast", good, "sugerencias", 500 * time.Millisecond, true, ReasonTooFast, 1500 * time.Millisecond},
		{"exactly the minimum time", good, "sugerencias", 2 * time.Second, true, "", 0},
		{"token of another form", good, "utilidad-pagina", 3 * time.Second, true, ReasonBadToken, 2 * time.Second},
		{"tampered token", string(tampered), "sugerencias", 3 * time.Second, true, ReasonBadToken, 2 * time.Second},
		{"token of another secret", other.IssueToken("sugerencias"), "sugerencias", 3 * time.Second, true, ReasonBadToken, 2 * time.Second},
		{"garbage", "not-a-token", "sugerencias", 3 * time.Second, true, ReasonBadToken, 2 * time.Second},
		{"no token on the HTML form", "", "sugerencias", 3 * time.Second, true, ReasonNoToken, 2 * time.Second},
		{"no token on the API", "", "sugerencias", 0, false, "", 0},
		{"bad token on the API counts as none", "not-a-token", "sugerencias", 0, false, "", 0},
		{"too fast on the API too", good, "sugerencias", 1 * time.Second, false, ReasonTooFast, 1 * time.Second},
		{"just before it expires", good, "sugerencias", maxAge, true, "", 0},
		{"expired on the HTML form", good, "sugerencias", maxAge + time.Millisecond, true, ReasonExpired, 0},
		{"expired on the API too", good, "sugerencias", 24 * time.Hour, false, ReasonExpired, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			g := newGuard(c, 30)
			token := tt.token
			if token == good { // issue it again on this test's own clock
				token = g.IssueToken("sugerencias")
			}
			c.advance(tt.wait)
			v := g.CheckSubmission(Attempt{FormID: tt.form, Token: token, Address: "10.1.2.3", RequireToken: tt.requireToken})
			if v.Blocked != tt.want || v.RetryAfter != tt.wantRetry {
				t.Fatalf("verdict = %+v, want %q retry %v", v, tt.want, tt.wantRetry)
			}
			if got := g.Blocked()[tt.want]; tt.want != "" && got != 1 {
				t.Fatalf("blocked[%s] = %d, want 1", tt.want, got)
			}
			if wantKey := tt.want == "" && token != "" && tt.token != "not-a-token"; (v.Key != "") != wantKey || (wantKey && v.Key != KeyOf(token)) {
				t.Fatalf("key %q, want the token's (%t)", v.Key, wantKey)
			}
			genuine := token != "" && tt.token != "not-a-token" && tt.want != ReasonBadToken && tt.want != ReasonExpired
			if g.ValidToken(tt.form, token) != genuine {
				t.Fatalf("ValidToken = %t after %+v", !genuine, v)
			}
		})
	}
}

// TestTokenNamesOneResponse: the key of a page load is derived from its
// token, the same at every check and on every replica (no secret needed),
// different for every page load, and an acceptable idempotency key.
func TestTokenNamesOneResponse(t *testing.T) {
	c := newClock()
	g := newGuard(c, 30)
	replica := newGuard(c, 30)
	a, b := g.IssueToken("f"), g.IssueToken("f")
	c.advance(time.Minute)
	first := g.CheckSubmission(Attempt{FormID: "f", Token: a, Address: "x"})
	again := replica.CheckSubmission(Attempt{FormID: "f", Token: a, Address: "y"})
	other := g.CheckSubmission(Attempt{FormID: "f", Token: b, Address: "x"})
	if first.Key == "" || first.Key != again.Key || first.Key != KeyOf(a) || other.Key == first.Key {
		t.Fatalf("keys %q, %q (another replica), %q (another page load)", first.Key, again.Key, other.Key)
	}
	if !regexp.MustCompile(`^[A-Za-z0-9_:.\-]{8,128}$`).MatchString(first.Key) {
		t.Fatalf("key %q is not an acceptable Idempotency-Key", first.Key)
	}
	if KeyOf("not-a-token") != "" || KeyOf(strings.Repeat("A", 44)) != "" {
		t.Fatal("KeyOf names a key for something that is not a token")
	}
}

func TestTokenFromTheFutureIsRefused(t *testing.T) {
	c := newClock()
	g := newGuard(c, 30)
	token := g.IssueToken("f")
	c.advance(-2 * time.Minute) // the replica that checks is two minutes behind
	if v := g.CheckSubmission(Attempt{FormID: "f", Token: token, Address: "a", RequireToken: true}); v.Blocked != ReasonBadToken {
		t.Fatalf("verdict = %+v, want bad_token", v)
	}
	c.advance(2*time.Minute - 30*time.Second) // 30 s behind: ordinary skew
	if v := g.CheckSubmission(Attempt{FormID: "f", Token: token, Address: "a", RequireToken: true}); v.Blocked != ReasonTooFast {
		t.Fatalf("verdict = %+v, want too_fast (within skew, not yet 2 s old)", v)
	}
}

func TestTokenShape(t *testing.T) {
	g := newGuard(newClock(), 30)
	a, b := g.IssueToken("f"), g.IssueToken("f")
	if len(a) != 44 || a == b {
		t.Fatalf("tokens %q and %q: want two different 44-character tokens", a, b)
	}
	if strings.ContainsAny(a, "+/=") {
		t.Fatalf("token %q is not unpadded base64url", a)
	}
	if !g.ValidToken("f", a) || g.ValidToken("g", a) {
		t.Fatal("ValidToken does not bind the token to its form")
	}
}

func TestHoneypot(t *testing.T) {
	c := newClock()
	for _, rate := range []int{0, 30} {
		t.Run(fmt.Sprint("rate ", rate), func(t *testing.T) {
			g := newGuard(c, rate)
			token := g.IssueToken("f")
			c.advance(time.Minute)
			v := g.CheckSubmission(Attempt{FormID: "f", Token: token, Address: "a", Honeypot: true, RequireToken: true})
			if v.Blocked != ReasonHoneypot || v.RetryAfter != 0 {
				t.Fatalf("verdict = %+v, want honeypot with no retry", v)
			}
		})
	}
}

func TestRateLimits(t *testing.T) {
	tests := []struct {
		name     string
		rate     int
		n        int
		perPage  bool // every submission from a new page load
		noToken  bool // an API client that sends no token
		session  *Session
		want     int
		wantWhy  Reason
		minRetry time.Duration
	}{
		{"one page load: the limit per client", 30, 31, false, false, nil, 30, ReasonClient, time.Second},
		{"a room of 40 behind one address, 3 answers each", 30, 120, true, false, nil, 120, "", 0},
		{"many page loads from one address hit its ceiling", 30, 700, true, false, nil, 600, ReasonAddress, 50 * time.Millisecond},
		{"an API client without tokens is one client", 30, 40, false, true, nil, 30, ReasonClient, time.Second},
		{"a session of 20: at least the rate limit a minute", 30, 1000, true, false, &Session{Code: "S20", Expected: 20}, 30, ReasonSession, time.Second},
		{"a session of 100: its participants a minute", 30, 1000, true, false, &Session{Code: "S100", Expected: 100}, 100, ReasonSession, 500 * time.Millisecond},
		{"a session of 5000: no more than an address", 30, 1000, true, false, &Session{Code: "S5000", Expected: 5000}, 600, ReasonSession, 50 * time.Millisecond},
		{"rate limit 0 is off", 0, 1000, false, false, nil, 1000, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			g := newGuard(c, tt.rate)
			tokens := make([]string, tt.n)
			for i := range tokens {
				switch {
				case tt.noToken:
				case tt.perPage || i == 0:
					tokens[i] = g.IssueToken("f")
				default:
					tokens[i] = tokens[0]
				}
			}
			c.advance(30 * time.Second) // everyone took 30 s to answer
			passed := 0
			var last Verdict
			for _, token := range tokens {
				last = g.CheckSubmission(Attempt{FormID: "f", Token: token, Address: "203.0.113.7", Session: tt.session})
				if last.OK() {
					passed++
				}
			}
			if passed != tt.want {
				t.Fatalf("passed %d of %d, want %d (last verdict %+v)", passed, tt.n, tt.want, last)
			}
			if last.Blocked != tt.wantWhy {
				t.Fatalf("last verdict %+v, want reason %q", last, tt.wantWhy)
			}
			if tt.wantWhy != "" {
				if last.RetryAfter < tt.minRetry || last.RetryAfter > time.Minute {
					t.Fatalf("RetryAfter = %v, want between %v and 1m", last.RetryAfter, tt.minRetry)
				}
				c.advance(last.RetryAfter)
				if v := g.CheckSubmission(Attempt{FormID: "f", Token: tokens[len(tokens)-1], Address: "203.0.113.7"}); !v.OK() {
					t.Fatalf("after waiting RetryAfter: %+v, want through", v)
				}
			}
		})
	}
}

func TestSessionTotal(t *testing.T) {
	g := newGuard(newClock(), 30)
	s := &Session{Code: "S", Expected: 20}
	for _, tt := range []struct {
		responses int64
		want      Reason
	}{{0, ""}, {39, ""}, {40, ReasonSessionFull}, {400, ReasonSessionFull}} {
		if v := g.CheckSessionTotal(s, tt.responses); v.Blocked != tt.want || v.RetryAfter != 0 {
			t.Errorf("a session of 20 holding %d: %+v, want %q", tt.responses, v, tt.want)
		}
	}
	if v := newGuard(newClock(), 0).CheckSessionTotal(s, 400); !v.OK() {
		t.Errorf("with rate limits off: %+v", v)
	}
	if g.Blocked()[ReasonSessionFull] != 2 {
		t.Errorf("blocked = %v, want 2 session_full", g.Blocked())
	}
}

func TestHumanSpeedIsNeverBlocked(t *testing.T) {
	c := newClock()
	g := newGuard(c, 30)
	// One person answering the page-feedback widget on every page they read,
	// a page every 5 seconds for two hours, behind an address shared with a
	// busy school lab (another 200 page loads and answers a minute).
	lab := make([]string, 16) // the lab's page loads of the previous 5 seconds
	for i := 0; i < 2*60*12; i++ {
		if v := g.CheckPageLoad("198.51.100.1", nil); !v.OK() {
			t.Fatalf("page load %d blocked: %+v", i, v)
		}
		token := g.IssueToken("utilidad-pagina")
		for j := range lab { // the lab, spread over the same 5 seconds
			if lab[j] != "" {
				g.CheckSubmission(Attempt{FormID: "utilidad-pagina", Token: lab[j], Address: "198.51.100.1"})
			}
			g.CheckPageLoad("198.51.100.1", nil)
			lab[j] = g.IssueToken("utilidad-pagina")
			c.advance(5 * time.Second / 16)
		}
		v := g.CheckSubmission(Attempt{FormID: "utilidad-pagina", Token: token, Address: "198.51.100.1", RequireToken: true})
		if !v.OK() {
			t.Fatalf("answer %d blocked: %+v", i, v)
		}
	}
	if n := g.Blocked(); n[ReasonAddress]+n[ReasonClient]+n[ReasonPageLoads]+n[ReasonTooFast] != 0 {
		t.Fatalf("blocked = %v, want none", n)
	}
}

func TestPageLoadCeiling(t *testing.T) {
	c := newClock()
	g := newGuard(c, 30)
	passed := 0
	var last Verdict
	for i := 0; i < 650; i++ {
		if last = g.CheckPageLoad("192.0.2.9", nil); last.OK() {
			passed++
		}
	}
	if passed != 600 || last.Blocked != ReasonPageLoads || last.RetryAfter <= 0 {
		t.Fatalf("passed %d, last %+v; want 600 then page_loads with a retry time", passed, last)
	}
	if v := g.CheckPageLoad("192.0.2.10", nil); !v.OK() {
		t.Fatalf("another address is blocked too: %+v", v)
	}
	// A room's page loads are charged to its session, which has a budget of
	// its own: the participants it expects a minute, not unlimited.
	room := &Session{Code: "SALA40", Expected: 40}
	passed = 0
	for i := 0; i < 100; i++ {
		if last = g.CheckPageLoad("192.0.2.9", room); last.OK() {
			passed++
		}
	}
	if passed != 40 || last.Blocked != ReasonPageLoads {
		t.Fatalf("%d of 100 page loads of a session of 40 passed (last %+v), want 40", passed, last)
	}
}

func TestAddressHashRotatesAndHidesTheAddress(t *testing.T) {
	h := newAddressHasher(time.Hour)
	t0 := time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)
	a := h.key("203.0.113.7", t0)
	other := h.key("203.0.113.8", t0)
	tests := []struct {
		name string
		key  uint64
		same bool
	}{
		{"same address, same hour", h.key("203.0.113.7", t0.Add(59*time.Minute)), true},
		{"same address, next hour", h.key("203.0.113.7", t0.Add(time.Hour)), false},
		{"another address", other, false},
		{"another process", newAddressHasher(time.Hour).key("203.0.113.7", t0), false},
		{"same address, tagged", h.tagged('a', "203.0.113.7", t0), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if (tt.key == a) != tt.same {
				t.Fatalf("key %x vs %x: same = %t, want %t", tt.key, a, tt.key == a, tt.same)
			}
		})
	}
	if h.tagged('a', "203.0.113.7", t0) == h.tagged('t', "203.0.113.7", t0) {
		t.Fatal("keys of two kinds of the same string are equal")
	}
}

func TestFullBucketsAreForgotten(t *testing.T) {
	c := newClock()
	g := newGuard(c, 30)
	for i := 0; i < 50; i++ {
		g.CheckSubmission(Attempt{FormID: "f", Address: fmt.Sprint("192.0.2.", i)})
	}
	if n := g.clients.count(); n != 50 {
		t.Fatalf("%d client buckets, want 50", n)
	}
	c.advance(2 * time.Minute)
	g.CheckSubmission(Attempt{FormID: "f", Address: "192.0.2.200"}) // triggers a sweep
	if n := g.clients.count(); n != 1 {
		t.Fatalf("%d client buckets after two idle minutes, want 1", n)
	}
}

func TestConcurrentChecksStayWithinTheLimit(t *testing.T) {
	c := newClock()
	g := newGuard(c, 30)
	token := g.IssueToken("f")
	c.advance(time.Minute)
	var wg sync.WaitGroup
	var mu sync.Mutex
	passed := 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				if g.CheckSubmission(Attempt{FormID: "f", Token: token, Address: "a"}).OK() {
					mu.Lock()
					passed++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if passed != 30 {
		t.Fatalf("%d of 160 concurrent submissions passed, want exactly 30", passed)
	}
}

func TestBlockedMetric(t *testing.T) {
	c := newClock()
	g := newGuard(c, 1)
	g.CheckSubmission(Attempt{FormID: "f", Honeypot: true})
	g.CheckSubmission(Attempt{FormID: "f", Honeypot: true})
	g.CheckSubmission(Attempt{FormID: "f", RequireToken: true})
	g.CheckSubmission(Attempt{FormID: "f", Address: "a"})
	g.CheckSubmission(Attempt{FormID: "f", Address: "a"})
	g.CheckSubmission(Attempt{FormID: "f", CrossSite: true, Honeypot: true})
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(g); err != nil {
		t.Fatal(err)
	}
	families, err := reg.Gather()
	if err != nil || len(families) != 1 || families[0].GetName() != "consulta_abuse_blocked_total" {
		t.Fatalf("gathered %v, %v; want one family consulta_abuse_blocked_total", families, err)
	}
	got := map[string]float64{}
	for _, m := range families[0].GetMetric() {
		got[m.GetLabel()[0].GetValue()] = m.GetCounter().GetValue()
	}
	want := map[string]float64{"address_rate": 0, "bad_token": 0, "client_rate": 1, "cross_site": 1, "expired_token": 0,
		"honeypot": 2, "no_token": 1, "page_loads": 0, "session_full": 0, "session_rate": 0, "too_fast": 0}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("metric = %v, want %v", got, want)
	}
}
