package fault

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// storeProcess is the embedded store run alone by storehelper: the "MongoDB"
// that the test takes away and brings back.
type storeProcess struct {
	cmd *exec.Cmd
	uri string
}

func startStore(t *testing.T, dir string, port int) *storeProcess {
	t.Helper()
	cmd := exec.Command(built.storeHelper, dir, fmt.Sprintf("127.0.0.1:%d", port))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("storehelper printed no URI: %v", err)
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	s := &storeProcess{cmd: cmd, uri: strings.TrimSpace(line)}
	t.Cleanup(s.kill)
	return s
}

// kill stops the store abruptly, as a crashed or unreachable MongoDB.
func (s *storeProcess) kill() {
	if s.cmd.ProcessState == nil {
		_ = s.cmd.Process.Signal(syscall.SIGKILL)
		_ = s.cmd.Wait()
	}
}

var tokenField = regexp.MustCompile(`name="_t" value="([^"]+)"`)

// keyField is a form page's idempotency key: its page-load token's, so that
// one page load names one response.
var keyField = regexp.MustCompile(`name="_key" value="([^"]+)"`)

// TestStoreUnavailable: with its MongoDB gone, the server says it is not ready,
// refuses submissions with 503 and Retry-After, keeps the no-JavaScript form's
// answers and asks to retry; when the store returns it recovers by itself.
func TestStoreUnavailable(t *testing.T) {
	storeDir, storePort := t.TempDir(), freePort(t)
	st := startStore(t, storeDir, storePort)
	port := freePort(t)
	env := serverEnv(t, t.TempDir(), port, "CONSULTA_MONGODB_URI="+st.uri,
		"CONSULTA_SECRET_KEY=fault-test-secret-key-0123456789abcdef", "CONSULTA_OP_TIMEOUT=2s")
	srv := startServer(t, env, port)
	srv.waitStatus(t, "/readyz", http.StatusOK, 10*time.Second)
	client := &http.Client{Timeout: 10 * time.Second}
	answers := map[string]any{"useful": true}
	if resp, body, err := postJSON(client, srv.base, "utilidad-pagina", "before-outage-1", answers); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("before the outage: %v %v %s", err, resp, body)
	}

	st.kill()
	srv.waitStatus(t, "/readyz", http.StatusServiceUnavailable, 15*time.Second)

	t.Run("API answers 503 with Retry-After", func(t *testing.T) {
		resp, body, err := postJSON(client, srv.base, "utilidad-pagina", "during-outage-1", answers)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("got %d Retry-After=%q %s; want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"), body)
		}
		if !strings.Contains(string(body), `"code":"unavailable"`) {
			t.Errorf("body %s lacks the unavailable code", body)
		}
	})

	t.Run("no-JavaScript form keeps the answers and asks to retry", func(t *testing.T) {
		resp, err := client.Get(srv.base + "/f/utilidad-pagina")
		if err != nil {
			t.Fatal(err)
		}
		page := readAll(t, resp)
		m, k := tokenField.FindStringSubmatch(page), keyField.FindStringSubmatch(page)
		if m == nil || k == nil {
			t.Fatalf("the form page has no token or key:\n%s", page)
		}
		key := k[1]
		form := url.Values{"useful": {"true"}, "looking_for": {"calendario escolar 2026"},
			"_key": {key}, "_lang": {"es"}, "_t": {m[1]}}
		resp, err = client.PostForm(srv.base+"/f/utilidad-pagina", form)
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(t, resp)
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("got %d Retry-After=%q; want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		for _, want := range []string{"calendario escolar 2026", "Intente de nuevo", `value="` + key + `"`} {
			if !strings.Contains(body, want) {
				t.Errorf("re-rendered form lacks %q", want)
			}
		}
	})

	startStore(t, storeDir, storePort) // same port, same data: the store is back
	srv.waitStatus(t, "/readyz", http.StatusOK, 30*time.Second)
	resp, body, err := postJSON(client, srv.base, "utilidad-pagina", "after-outage-1", answers)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("after the store returned: %v %v %s", err, resp, body)
	}
	resp, err = client.Get(metricsURL(env))
	if err != nil {
		t.Fatal(err)
	}
	if m := readAll(t, resp); !strings.Contains(m, `consulta_store_errors_total{code="unavailable",operation="insert_response"}`) {
		t.Errorf("/metrics lacks the store errors of the outage")
	}
}
