// Package fault proves that Consulta keeps its promises under faults, against the
// real binary run as a separate process: killed with SIGKILL under load, its
// MongoDB going away and coming back, and stopped with SIGTERM while requests are
// in flight. TestMain builds the consulta binary and a store helper once.
package fault

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binaries are the programs TestMain built, shared by every test of the package.
type binaries struct{ consulta, storeHelper string }

// built is set once by TestMain before any test runs and only read afterwards.
var built binaries

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		// Each test builds and runs the real binary under faults for minutes:
		// make test runs them, make check does not.
		fmt.Println("fault: skipped in -short mode")
		os.Exit(0)
	}
	dir, err := os.MkdirTemp("", "consulta-fault-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	built = binaries{consulta: filepath.Join(dir, "consulta"), storeHelper: filepath.Join(dir, "storehelper")}
	for out, pkg := range map[string]string{built.consulta: "../../cmd/consulta", built.storeHelper: "./storehelper"} {
		cmd := exec.Command("go", "build", "-o", out, pkg) // the build make and go run share (Makefile)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "fault: build", pkg, err)
			os.RemoveAll(dir)
			os.Exit(1)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// syncBuffer collects a process's output while tests read it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// process is a running consulta server.
type process struct {
	cmd    *exec.Cmd
	logs   *syncBuffer
	base   string // http://127.0.0.1:PORT
	exited chan struct{}
	err    error // Wait's result, once exited is closed
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// metricsPortOffset finds, near port, a loopback port that is free for the
// server's metrics listener, and returns its distance from port.
func metricsPortOffset(t *testing.T, port int) int {
	t.Helper()
	for off := 1; off < 100; off++ {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port+off))
		if err == nil {
			ln.Close()
			return off
		}
	}
	t.Fatal("no free port for the metrics listener")
	return 0
}

// metricsURL is where the server on port serves /metrics (serverEnv's choice).
func metricsURL(env []string) string {
	for _, kv := range env {
		if addr, ok := strings.CutPrefix(kv, "CONSULTA_METRICS_ADDR="); ok {
			return "http://" + addr + "/metrics"
		}
	}
	return ""
}

// serverEnv is the environment of a test server: a temp data directory (the
// store on its owner-only socket), a metrics listener beside port, the shipped forms, abuse limits off (the load comes from one address),
// JSON logs.
func serverEnv(t *testing.T, dataDir string, port int, extra ...string) []string {
	t.Helper()
	forms, err := filepath.Abs("../../forms")
	if err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CONSULTA_") {
			env = append(env, kv)
		}
	}
	env = append(env,
		fmt.Sprintf("CONSULTA_ADDR=127.0.0.1:%d", port),
		"CONSULTA_DATA_DIR="+dataDir,
		fmt.Sprintf("CONSULTA_METRICS_ADDR=127.0.0.1:%d", port+metricsPortOffset(t, port)),
		"CONSULTA_FORMS_DIR="+forms,
		"CONSULTA_RATE_LIMIT=0",
		"CONSULTA_MIN_FILL_TIME=0s",
		"CONSULTA_SCHEDULER=false",
		"CONSULTA_LOG_FORMAT=json",
	)
	return append(env, extra...)
}

// startServer runs `consulta serve` with env and waits until it is ready.
func startServer(t *testing.T, env []string, port int) *process {
	t.Helper()
	p := &process{logs: &syncBuffer{}, base: fmt.Sprintf("http://127.0.0.1:%d", port), exited: make(chan struct{})}
	p.cmd = exec.Command(built.consulta, "serve")
	p.cmd.Env = env
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.exited
		if t.Failed() {
			t.Logf("server log (last 4 KB):\n%s", tail(p.logs.String(), 4096))
		}
	})
	p.waitStatus(t, "/healthz", http.StatusOK, 60*time.Second)
	return p
}

// waitStatus polls path until it answers want, or fails the test.
func (p *process) waitStatus(t *testing.T, path string, want int, within time.Duration) {
	t.Helper()
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(within)
	last := "no answer"
	for time.Now().Before(deadline) {
		select {
		case <-p.exited:
			t.Fatalf("server exited (%v) while waiting for %s", p.err, path)
		default:
		}
		resp, err := client.Get(p.base + path)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == want {
				return
			}
			last = resp.Status
		} else {
			last = err.Error()
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s did not answer %d within %s (last: %s)", path, want, within, last)
}

// signal sends sig and, for SIGKILL, waits until the process is gone.
func (p *process) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	if sig == syscall.SIGKILL {
		<-p.exited
	}
}

// waitExit waits for the process to end by itself and returns its exit error.
func (p *process) waitExit(t *testing.T, within time.Duration) error {
	t.Helper()
	select {
	case <-p.exited:
		return p.err
	case <-time.After(within):
		t.Fatalf("server still running %s after the signal", within)
		return nil
	}
}

// logged reports whether the server wrote a JSON log line with message msg.
func (p *process) logged(msg string) bool {
	sc := bufio.NewScanner(strings.NewReader(p.logs.String()))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		var line struct{ Msg string }
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == msg {
			return true
		}
	}
	return false
}

// exportIDs runs `consulta export` against the data directory of a running server
// (it reaches the store through its loopback listener) and counts each response id.
func exportIDs(t *testing.T, env []string, form string) map[string]int {
	t.Helper()
	out := filepath.Join(t.TempDir(), "export.jsonl")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, built.consulta, "export", "--form", form, "--format", "jsonl", "--out", out)
	cmd.Env = env
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("export: %v\n%s", err, b)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ids := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r struct{ ID string }
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil || r.ID == "" {
			t.Fatalf("export line %q: %v", sc.Text(), err)
		}
		ids[r.ID]++
	}
	return ids
}

// postJSON sends one API submission.
func postJSON(client *http.Client, base, form, key string, answers map[string]any) (*http.Response, []byte, error) {
	body, _ := json.Marshal(map[string]any{"answers": answers, "lang": "es"})
	req, err := http.NewRequest(http.MethodPost, base+"/api/v1/forms/"+form+"/responses", bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
