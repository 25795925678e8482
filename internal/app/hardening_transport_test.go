package app_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/intake"
)

// TestAttackEmbeddedStore (issue 10, item 4): the embedded store has no
// authentication, so only the data directory's owner may reach it. No TCP
// listener is open besides the application's own, store.uri names a Unix
// socket in an owner-only directory, the store's files are owner-only, and
// another user (nobody, when the test runs as root) cannot connect.
func TestAttackEmbeddedStore(t *testing.T) {
	base, err := os.MkdirTemp("", "consulta-owner")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	if err := os.Chmod(base, 0o755); err != nil { // only Consulta's own modes protect the store
		t.Fatal(err)
	}
	dir := filepath.Join(base, "data")
	r := boot(t, dir)
	addStaff(t, r, "admin@mineduc.test", "admin", "", staffPassword) // the store's files exist
	if status, _, body := postJSON(t, r, "utilidad-pagina", intake.NewKey(), map[string]any{"answers": map[string]any{"useful": true}}); status != http.StatusCreated {
		t.Fatalf("submit: %d %s", status, body)
	}

	uri, err := os.ReadFile(filepath.Join(dir, "store.uri"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(uri), "mongodb://%2F") || !strings.Contains(string(uri), ".sock") {
		t.Errorf("store.uri = %q, want a Unix socket", uri)
	}
	if ports := tcpListeners(t); len(ports) != 1 || ports[0] != r.app.Addr().(*net.TCPAddr).Port {
		t.Errorf("TCP listeners of the process: %v, want only the application's %s", ports, r.app.Addr())
	}
	checkModes(t, dir)
	if os.Geteuid() == 0 {
		if out := dialAsNobody(t, strings.TrimSpace(string(uri))); !strings.Contains(out, "REFUSED") {
			t.Errorf("another user connected to the store: %s", out)
		}
	}
}

// checkModes walks the data directory: directories 0700, files 0600, the
// socket 0600.
func checkModes(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if perm := info.Mode().Perm(); perm != want {
			t.Errorf("%s: mode %o, want %o", path, perm, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// tcpListeners lists the ports of the TCP sockets this process listens on
// (Linux: /proc/net/tcp{,6} entries in LISTEN state whose inode is one of
// this process's file descriptors).
func tcpListeners(t *testing.T) []int {
	t.Helper()
	mine := map[string]bool{}
	fds, _ := os.ReadDir("/proc/self/fd")
	for _, fd := range fds {
		if link, err := os.Readlink("/proc/self/fd/" + fd.Name()); err == nil && strings.HasPrefix(link, "socket:[") {
			mine[strings.TrimSuffix(strings.TrimPrefix(link, "socket:["), "]")] = true
		}
	}
	var ports []int
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		f, err := os.Open(table)
		if err != nil {
			t.Skipf("no %s: %v", table, err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 10 || fields[3] != "0A" || !mine[fields[9]] {
				continue
			}
			_, hexPort, _ := strings.Cut(fields[1], ":")
			port, _ := strconv.ParseInt(hexPort, 16, 32)
			ports = append(ports, int(port))
		}
		f.Close()
	}
	return ports
}

// dialAsNobody runs this test binary again as user nobody (65534) to connect
// to the store at uri, and returns what it printed.
func dialAsNobody(t *testing.T, uri string) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	tmp, err := os.MkdirTemp("", "consulta-nobody")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	_ = os.Chmod(tmp, 0o755)
	copy := filepath.Join(tmp, "helper.test")
	if err := os.WriteFile(copy, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	_ = os.Chmod(copy, 0o755)
	cmd := exec.Command(copy, "-test.run=^TestHelperDialStore$", "-test.v")
	cmd.Env = append(os.Environ(), "CONSULTA_TEST_DIAL="+uri)
	cmd.Dir = tmp
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil && !bytes.Contains(out, []byte("REFUSED")) && !bytes.Contains(out, []byte("CONNECTED")) {
		t.Fatalf("helper as nobody: %v: %s", err, out)
	}
	return string(out)
}

// TestHelperDialStore is dialAsNobody's other half: it connects to the store
// named by CONSULTA_TEST_DIAL and says whether it could.
func TestHelperDialStore(t *testing.T) {
	uri := os.Getenv("CONSULTA_TEST_DIAL")
	if uri == "" {
		t.Skip("helper process only")
	}
	network, addr := "tcp", ""
	rest := strings.TrimPrefix(uri, "mongodb://")
	host, _, _ := strings.Cut(rest, "/")
	if p, err := url.PathUnescape(host); err == nil && strings.HasPrefix(p, "/") {
		network, addr = "unix", p
	} else {
		addr = host
	}
	conn, err := net.DialTimeout(network, addr, 2*time.Second)
	if err != nil {
		fmt.Println("REFUSED:", err)
		return
	}
	conn.Close()
	fmt.Println("CONNECTED to", network, addr)
}

// TestAttackMetricsNotPublic (issue 10, item 6): /metrics names admin routes,
// contact views and login failures; it is not served on the application
// port, only on the metrics listener.
func TestAttackMetricsNotPublic(t *testing.T) {
	port := freeLoopbackPort(t)
	r := bootLogged(t, t.TempDir(), map[string]string{"CONSULTA_METRICS_ADDR": fmt.Sprintf("127.0.0.1:%d", port)}, io.Discard)
	if status, _, body := do(t, "GET", r.base+"/metrics", "", nil, nil); status != http.StatusNotFound || strings.Contains(body, "consulta_") {
		t.Errorf("/metrics on the application port: status %d", status)
	}
	status, _, body := do(t, "GET", fmt.Sprintf("http://127.0.0.1:%d/metrics", port), "", nil, nil)
	if status != http.StatusOK || !strings.Contains(body, "consulta_http_request_duration_seconds") {
		t.Errorf("/metrics on the metrics listener: status %d", status)
	}
}

func freeLoopbackPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// syncBuffer collects logs written from the server's goroutines.
type syncBuffer struct {
	mu  chan struct{}
	buf bytes.Buffer
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{mu: make(chan struct{}, 1)} }

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu <- struct{}{}
	defer func() { <-b.mu }()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu <- struct{}{}
	defer func() { <-b.mu }()
	return b.buf.String()
}

// TestAttackPersonalDataInLogs (issue 10, item 7): e-mails in request paths
// do not reach the request log; a failed login's typed e-mail and the phone
// and e-mail of a triage action text do not reach the audit log.
func TestAttackPersonalDataInLogs(t *testing.T) {
	logs := newSyncBuffer()
	r := bootLogged(t, t.TempDir(), nil, logs)
	addStaff(t, r, "admin@mineduc.test", "admin", "", staffPassword)
	addStaff(t, r, "ana.lopez@example.org", "analyst", "", staffPassword)
	newStaff(t, r).signIn("maria.perez@example.org", "una clave cualquiera")
	admin := newStaff(t, r).mustSignIn("admin@mineduc.test", staffPassword)
	admin.post("/admin/users/ana.lopez@example.org", url.Values{"role": {"analyst"}, "name": {"Ana"}})
	admin.get("/f/ana.lopez%40example.org")
	status, _, body := postJSON(t, r, "sugerencias", intake.NewKey(), map[string]any{"answers": map[string]any{
		"topic": "docentes", "message": "Publiquen los datos", "consent": true}})
	if status != http.StatusCreated {
		t.Fatalf("submit: %d %s", status, body)
	}
	var created struct{ ID string }
	_ = json.Unmarshal([]byte(body), &created)
	admin.post("/admin/responses/"+created.ID+"/triage", url.Values{"status": {"answered"},
		"action": {"Llamamos a la madre al 5555-1234 y escribimos a madre.familia@gmail.com"}})

	if l := logs.String(); strings.Contains(l, "ana.lopez@example.org") || strings.Contains(l, "ana.lopez%40example.org") {
		t.Errorf("an e-mail from a request path is in the logs:\n%s", grepLines(l, "ana.lopez"))
	}
	audit := admin.get("/admin/audit").body
	for _, personal := range []string{"maria.perez@example.org", "5555-1234", "madre.familia@gmail.com"} {
		if strings.Contains(audit, personal) {
			t.Errorf("the audit log shows %q", personal)
		}
	}
	if !strings.Contains(audit, "<td>Inicio de sesión fallido</td>") || !strings.Contains(audit, "<td>Acción pública</td>") {
		t.Error("the audit log lacks the failed login or the action")
	}
	search := func(email string) int {
		page := admin.get("/admin/audit?action=login.failure&actor=" + url.QueryEscape(email)).body
		return strings.Count(page, "<td>Inicio de sesión fallido</td>")
	}
	if search("Maria.Perez@example.org") <= search("nunca.fallo@example.org") {
		t.Error("the audit filter does not find the failed login by the e-mail typed")
	}
}

func grepLines(s, word string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, word) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestAttackForwardedFor (issue 10, item 9): behind a proxy that appends the
// client to X-Forwarded-For, a client that writes its own X-Forwarded-For
// (different each time) stays one client for rate limits and login
// throttling.
func TestAttackForwardedFor(t *testing.T) {
	r := bootLogged(t, t.TempDir(), map[string]string{"CONSULTA_TRUSTED_PROXIES": "127.0.0.1", "CONSULTA_RATE_LIMIT": "3"}, io.Discard)
	forged := func(i int) map[string]string {
		return map[string]string{"X-Forwarded-For": fmt.Sprintf("10.9.%d.%d, 203.0.113.7", i/200, i%200), "Idempotency-Key": intake.NewKey()}
	}
	limited := false
	for i := range 10 {
		b, _ := json.Marshal(map[string]any{"answers": map[string]any{"useful": true}})
		status, _, _ := do(t, "POST", r.base+"/api/v1/forms/utilidad-pagina/responses", "application/json", b, forged(i))
		limited = limited || status == http.StatusTooManyRequests
	}
	if !limited {
		t.Error("10 submissions of one client with forged X-Forwarded-For prefixes: never rate limited")
	}
	locked := false
	for i := range 25 {
		s := newStaff(t, r)
		s.forwarded = fmt.Sprintf("10.8.0.%d, 203.0.113.8", i)
		if a := s.signIn(fmt.Sprintf("nadie%d@example.org", i), "una clave cualquiera"); strings.Contains(a.body, msgLocked) {
			locked = true
		}
	}
	if !locked {
		t.Error("25 logins of one client with forged X-Forwarded-For prefixes: never throttled")
	}
}

// TestAttackForwardedHeadersWithoutProxy (issue 10, item 9): with no trusted
// proxy configured, X-Forwarded-Proto and -Host are nobody's word.
func TestAttackForwardedHeadersWithoutProxy(t *testing.T) {
	direct := boot(t, t.TempDir())
	_, h, _ := do(t, "GET", direct.base+"/admin/login", "", nil, map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"})
	for _, c := range h.Values("Set-Cookie") {
		if strings.Contains(strings.ToLower(c), "secure") {
			t.Errorf("without trusted proxies, X-Forwarded-Proto made cookie %q Secure", c)
		}
	}
	if _, _, body := do(t, "GET", direct.base+"/demo", "", nil, map[string]string{"X-Forwarded-Host": "evil.example"}); strings.Contains(body, "evil.example") {
		t.Error("without trusted proxies, X-Forwarded-Host reached the demo page")
	}
}

// TestAttackUnknownKeys (issue 10, item 12): 6,000 unknown answer keys in a
// 59 KB request used to produce a 605 KB error body. The errors are capped.
func TestAttackUnknownKeys(t *testing.T) {
	r := boot(t, t.TempDir())
	answers := map[string]any{}
	for i := range 6000 {
		answers["k"+strconv.Itoa(i)] = 1
	}
	b, _ := json.Marshal(map[string]any{"answers": answers})
	status, _, body := do(t, "POST", r.base+"/api/v1/forms/utilidad-pagina/responses", "application/json", b,
		map[string]string{"Idempotency-Key": intake.NewKey()})
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", status)
	}
	if len(body) > len(b)/10 {
		t.Errorf("a %d-byte request got a %d-byte answer", len(b), len(body))
	}
	var got struct{ Errors []struct{ Code string } }
	_ = json.Unmarshal([]byte(body), &got)
	if n := len(got.Errors); n != 21 || got.Errors[n-1].Code != "more_errors" {
		t.Errorf("%d errors, want 20 and one more_errors", n)
	}
}

// TestAttackImportOverHTTP (issue 10, item 13): the documented import (up to
// 16 MB, 5,000 rows) works over HTTP, while every other route keeps the
// 64 KB limit, and an anonymous post to the import route gets no more.
func TestAttackImportOverHTTP(t *testing.T) {
	r := boot(t, t.TempDir())
	addStaff(t, r, "fa@asoc-a.test", "facilitator", "asoc-a", staffPassword)
	fac := newStaff(t, r).mustSignIn("fa@asoc-a.test", staffPassword)
	now := time.Now()
	a := fac.post("/admin/sessions", url.Values{"form": {"sugerencias"}, "lang": {"es"}, "date": {now.Format(time.DateOnly)},
		"municipality": {"0101"}, "expected": {"20"}, "opens": {now.Add(-time.Hour).Format("2006-01-02T15:04")},
		"closes": {now.Add(3 * time.Hour).Format("2006-01-02T15:04")}})
	code := strings.TrimPrefix(strings.Split(a.header.Get("Location"), "?")[0], "/admin/sessions/")
	if a.status != http.StatusSeeOther || code == "" {
		t.Fatalf("create session: %d %q", a.status, a.header.Get("Location"))
	}
	var csv bytes.Buffer
	csv.WriteString("topic,message\n")
	// Up to 2,000 characters a message and 5,000 rows: 10 MB needs letters of
	// two bytes, as Spanish has.
	long := string([]rune(strings.Repeat("Año tras año, niñas y niños piden más información. ", 60))[:1980])
	for i := 0; csv.Len() < 10<<20; i++ {
		fmt.Fprintf(&csv, "docentes,%d %s\n", i, long)
	}
	res := upload(t, fac, "/admin/sessions/"+code+"/import", csv.Bytes())
	if res.status != http.StatusSeeOther {
		t.Fatalf("a %d MB import: status %d: %.300s", csv.Len()>>20, res.status, res.body)
	}
	// Anonymous, the same file is refused once its headers are read: 413, or
	// the connection closed under the client while it still writes the body.
	if status, err := anonymousUpload(r, "/admin/sessions/"+code+"/import", csv.Bytes()); err == nil && status != http.StatusRequestEntityTooLarge {
		t.Errorf("the same file, anonymous: status %d, want 413", status)
	}
	big := bytes.Repeat([]byte("a"), 70<<10)
	b, _ := json.Marshal(map[string]any{"answers": map[string]any{"message": string(big)}})
	if status, _, _ := do(t, "POST", r.base+"/api/v1/forms/sugerencias/responses", "application/json", b,
		map[string]string{"Idempotency-Key": intake.NewKey()}); status != http.StatusRequestEntityTooLarge {
		t.Errorf("a 70 KB submission: status %d, want 413", status)
	}
	if res := fac.do(http.MethodPost, "/admin/sessions/"+code+"/entry", "application/x-www-form-urlencoded",
		strings.NewReader("csrf="+fac.csrf+"&message="+string(big))); res.status != http.StatusRequestEntityTooLarge {
		t.Errorf("a 70 KB batch entry: status %d, want 413", res.status)
	}
}

// upload posts content as the CSV file of an import form.
func upload(t *testing.T, s *staff, path string, content []byte) answer {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf", s.csrf)
	fw, _ := mw.CreateFormFile("file", "papel.csv")
	_, _ = fw.Write(content)
	_ = mw.Close()
	return s.do(http.MethodPost, path, mw.FormDataContentType(), &buf)
}

// anonymousUpload posts content as an import without signing in and returns
// the status, or the error of a connection the server closed.
func anonymousUpload(r *running, path string, content []byte) (int, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "papel.csv")
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, r.base+path, &buf)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: "consulta_session", Value: "forged-token"})
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	return res.StatusCode, nil
}
