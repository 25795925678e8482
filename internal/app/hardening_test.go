package app_test

// Attacks of issue 10 ("Hardening") on the whole program: each test boots
// consulta on a loopback port, as `consulta serve` runs, and attacks it over
// real HTTP the way the audit did.

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"
)

// staffPassword is a password that passes the rules.
const staffPassword = "una clave larga de prueba"

// addStaff creates an account with `consulta user add`, against the running
// server's data directory (through the store's socket).
func addStaff(t *testing.T, r *running, email, role, org, password string) {
	t.Helper()
	addNamedStaff(t, r, email, role, org, "", password)
}

// addNamedStaff is addStaff with the account's display name (none when empty).
func addNamedStaff(t *testing.T, r *running, email, role, org, name, password string) {
	t.Helper()
	args := []string{"user", "add", "--email", email, "--role", role}
	if org != "" {
		args = append(args, "--org", org)
	}
	if name != "" {
		args = append(args, "--name", name)
	}
	var out bytes.Buffer
	if code := runCLIWith(t, args, testConfigEnv(r), password+"\n", &out); code != 0 {
		t.Fatalf("user add %s: exit %d: %s", email, code, out.String())
	}
}

// staff is a browser of the workspace: its own cookies, no redirects
// followed, and the address its requests claim through X-Forwarded-For when
// the server trusts the test as a proxy.
type staff struct {
	t         *testing.T
	r         *running
	c         *http.Client
	forwarded string
	csrf      string
}

func newStaff(t *testing.T, r *running) *staff {
	jar, _ := cookiejar.New(nil)
	return &staff{t: t, r: r, c: &http.Client{Jar: jar, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type answer struct {
	status int
	header http.Header
	body   string
	took   time.Duration
}

func (s *staff) do(method, path, contentType string, body io.Reader) answer {
	s.t.Helper()
	req, err := http.NewRequest(method, s.r.base+path, body)
	if err != nil {
		s.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if s.forwarded != "" {
		req.Header.Set("X-Forwarded-For", s.forwarded)
	}
	start := time.Now()
	res, err := s.c.Do(req)
	if err != nil {
		s.t.Errorf("%s %s: %v", method, path, err)
		return answer{}
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return answer{res.StatusCode, res.Header, string(b), time.Since(start)}
}

func (s *staff) get(path string) answer { return s.do(http.MethodGet, path, "", nil) }

func (s *staff) post(path string, v url.Values) answer {
	if s.csrf != "" && v.Get("csrf") == "" {
		v.Set("csrf", s.csrf)
	}
	return s.do(http.MethodPost, path, "application/x-www-form-urlencoded", strings.NewReader(v.Encode()))
}

var formToken = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// loginForm opens the login page and returns its form token.
func (s *staff) loginForm() string {
	s.t.Helper()
	a := s.get("/admin/login")
	m := formToken.FindStringSubmatch(a.body)
	if m == nil {
		s.t.Fatalf("no form token in the login page (status %d)", a.status)
	}
	return m[1]
}

// signIn posts the login form it just opened.
func (s *staff) signIn(email, password string) answer {
	token := s.loginForm()
	return s.post("/admin/login", url.Values{"email": {email}, "password": {password}, "csrf": {token}})
}

// mustSignIn signs in and picks up the session's CSRF token.
func (s *staff) mustSignIn(email, password string) *staff {
	s.t.Helper()
	if a := s.signIn(email, password); a.status != http.StatusSeeOther {
		s.t.Fatalf("sign in %s: status %d", email, a.status)
	}
	m := formToken.FindStringSubmatch(s.get("/admin/password").body)
	if m == nil {
		s.t.Fatal("no CSRF token after signing in")
	}
	s.csrf = m[1]
	return s
}

// Messages of the login page (Spanish).
const (
	msgFailed = "El correo o la contraseña no son correctos."
	msgLocked = "Demasiados intentos fallidos."
)

// TestAttackLoginNextHeaderInjection (issue 10, item 1): a link to the login
// page whose next carries CR/LF would add headers (a session cookie of the
// attacker's) to the answer of a successful sign-in; other values would send
// the browser off-site. Only a local path under /admin may come back.
func TestAttackLoginNextHeaderInjection(t *testing.T) {
	r := boot(t, t.TempDir())
	addStaff(t, r, "admin@mineduc.test", "admin", "", staffPassword)
	hostile := []string{
		"/admin/\r\nSet-Cookie: consulta_session=attacker",
		"/admin/%0d%0aSet-Cookie:%20consulta_session=attacker",
		"/admin\nX-Injected: 1",
		"//evil.example/admin",
		"/\\evil.example/admin",
		"/admin/\\\\evil.example",
		"https://evil.example/admin/",
		"http:/admin/x",
		"/admin/\x00",
		"/f/sugerencias",
		"/admin/login?next=/admin/",
	}
	for _, next := range hostile {
		t.Run(fmt.Sprintf("%q", next), func(t *testing.T) {
			s := newStaff(t, r)
			page := s.get("/admin/login?next=" + url.QueryEscape(next))
			if strings.Contains(page.body, "evil.example") || strings.Contains(page.body, "attacker") {
				t.Errorf("the login page carries the hostile next")
			}
			token := formToken.FindStringSubmatch(page.body)[1]
			a := s.post("/admin/login", url.Values{"email": {"admin@mineduc.test"}, "password": {staffPassword},
				"csrf": {token}, "next": {next}})
			if a.status != http.StatusSeeOther {
				t.Fatalf("status %d", a.status)
			}
			if loc := a.header.Get("Location"); loc != "/admin/" {
				t.Errorf("Location = %q, want /admin/", loc)
			}
			if a.header.Get("X-Injected") != "" {
				t.Error("an injected header came back")
			}
			for _, c := range a.header.Values("Set-Cookie") {
				if strings.Contains(c, "attacker") {
					t.Errorf("injected cookie %q", c)
				}
			}
		})
	}
	t.Run("a local path stays", func(t *testing.T) {
		s := newStaff(t, r)
		token := s.loginForm()
		a := s.post("/admin/login", url.Values{"email": {"admin@mineduc.test"}, "password": {staffPassword},
			"csrf": {token}, "next": {"/admin/responses?form=sugerencias"}})
		if loc := a.header.Get("Location"); loc != "/admin/responses?form=sugerencias" {
			t.Errorf("Location = %q", loc)
		}
	})
}

// TestAttackLoginRace (issue 10, item 2): 20 wrong passwords posted in
// parallel, then the right one while they are in flight. Before, the lock
// was read before the check and failures written after it, so the right
// password signed in after the limit. Now each attempt is counted before its
// check: at most five are checked, and the late right one is refused.
func TestAttackLoginRace(t *testing.T) {
	r := boot(t, t.TempDir())
	addStaff(t, r, "admin@mineduc.test", "admin", "", staffPassword)
	const wrong = 20
	browsers := make([]*staff, wrong+1)
	tokens := make([]string, wrong+1)
	for i := range browsers {
		browsers[i] = newStaff(t, r)
		tokens[i] = browsers[i].loginForm()
	}
	post := func(i int, password string) answer {
		return browsers[i].post("/admin/login", url.Values{"email": {"admin@mineduc.test"},
			"password": {password}, "csrf": {tokens[i]}})
	}
	answers := make([]answer, wrong)
	var wg sync.WaitGroup
	for i := range wrong {
		wg.Add(1)
		go func() { defer wg.Done(); answers[i] = post(i, fmt.Sprintf("wrong guess %02d", i)) }()
	}
	time.Sleep(300 * time.Millisecond) // the wrong ones are in flight: counted, being checked
	right := post(wrong, staffPassword)
	wg.Wait()
	if right.status == http.StatusSeeOther {
		t.Fatal("the right password signed in after 20 parallel wrong attempts")
	}
	checked := 0
	for _, a := range answers {
		if strings.Contains(a.body, msgFailed) {
			checked++
		}
	}
	if checked > 5 {
		t.Errorf("%d wrong passwords were checked, want at most 5", checked)
	}
	if !strings.Contains(right.body, msgLocked) {
		t.Errorf("the right password after the limit: status %d, not the locked message", right.status)
	}
}

// TestAttackArgon2Flood (issue 10, item 3): 100 concurrent logins, each from
// its own address (behind a trusted proxy) for its own unknown account, so
// that no per-client or per-account limit stops them before the password
// check. The checks must not run all at once (19 MiB each), /readyz must stay
// healthy throughout, and every answer is a refusal or 503 with Retry-After.
func TestAttackArgon2Flood(t *testing.T) {
	if testing.Short() {
		t.Skip("a hundred concurrent password checks: skipped in -short mode (make test runs it)")
	}
	r := bootLogged(t, t.TempDir(), map[string]string{"CONSULTA_TRUSTED_PROXIES": "127.0.0.1"}, io.Discard)
	const n = 100
	browsers := make([]*staff, n)
	tokens := make([]string, n)
	for i := range browsers {
		browsers[i] = newStaff(t, r)
		browsers[i].forwarded = fmt.Sprintf("198.51.100.%d", i+1)
		tokens[i] = browsers[i].loginForm()
	}
	stop := make(chan struct{})
	probes := make(chan answer, 10000)
	go probeReady(t, r, stop, probes)
	peak := watchHeap(stop)
	answers := make([]answer, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = browsers[i].post("/admin/login", url.Values{"email": {fmt.Sprintf("nobody%d@example.org", i)},
				"password": {"not the password at all"}, "csrf": {tokens[i]}})
		}()
	}
	wg.Wait()
	close(stop)
	grown := <-peak
	for i, a := range answers {
		switch {
		case a.status == http.StatusUnauthorized:
		case a.status == http.StatusServiceUnavailable && a.header.Get("Retry-After") != "":
		default:
			t.Errorf("login %d: status %d (Retry-After %q)", i, a.status, a.header.Get("Retry-After"))
		}
	}
	count := 0
	for p := range probes {
		count++
		if p.status != http.StatusOK || p.took > 2*time.Second {
			t.Errorf("/readyz during the flood: status %d after %s", p.status, p.took)
		}
	}
	if count == 0 {
		t.Error("/readyz was never probed")
	}
	// Unbounded, 100 checks hold 100 × 19 MiB at once.
	if grown > 600<<20 {
		t.Errorf("the heap grew by %d MiB during the flood: password checks are not bounded", grown>>20)
	}
}

// probeReady polls /readyz until stop, sending each answer to out, which it
// closes at the end.
func probeReady(t *testing.T, r *running, stop <-chan struct{}, out chan<- answer) {
	defer close(out)
	c := &http.Client{Timeout: 5 * time.Second}
	for {
		select {
		case <-stop:
			return
		case <-time.After(50 * time.Millisecond):
		}
		start := time.Now()
		res, err := c.Get(r.base + "/readyz")
		if err != nil {
			out <- answer{status: 0, took: time.Since(start)}
			continue
		}
		res.Body.Close()
		out <- answer{status: res.StatusCode, took: time.Since(start)}
	}
}

// watchHeap samples the live heap every 5 ms until stop and then sends how
// far it rose above where it started.
func watchHeap(stop <-chan struct{}) <-chan uint64 {
	out := make(chan uint64, 1)
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base := read()
	go func() {
		peak := base
		for {
			select {
			case <-stop:
				out <- peak - base
				return
			case <-time.After(5 * time.Millisecond):
				peak = max(peak, read())
			}
		}
	}()
	return out
}
