package fault

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSigtermDrains: SIGTERM closes the listener, lets a request that is still
// arriving finish and be stored, stops the scheduler and exits 0.
func TestSigtermDrains(t *testing.T) {
	dir, port := t.TempDir(), freePort(t)
	env := serverEnv(t, dir, port, "CONSULTA_SCHEDULER=true")
	srv := startServer(t, env, port)
	addr := strings.TrimPrefix(srv.base, "http://")

	// A slow client: headers and half the body now, the rest after SIGTERM.
	body := `{"answers":{"useful":true,"looking_for":"matricula escolar por municipio"},"lang":"es"}`
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	head := fmt.Sprintf("POST /api/v1/forms/utilidad-pagina/responses HTTP/1.1\r\nHost: %s\r\n"+
		"Content-Type: application/json\r\nIdempotency-Key: drain-key-0001\r\nContent-Length: %d\r\n\r\n", addr, len(body))
	half := len(body) / 2
	if _, err := conn.Write([]byte(head + body[:half])); err != nil {
		t.Fatal(err)
	}
	waitAccepted(t, conn) // the request is the server's, not the kernel's backlog

	srv.signal(t, syscall.SIGTERM)
	waitRefused(t, addr, 10*time.Second)
	select {
	case <-srv.exited:
		t.Fatalf("server exited (%v) with a request in flight", srv.err)
	default:
	}

	if _, err := conn.Write([]byte(body[half:])); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the request in flight got no response: %v", err)
	}
	answer := readAll(t, resp)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("the request in flight got %d %s, want 201", resp.StatusCode, answer)
	}
	conn.Close()

	if err := srv.waitExit(t, 30*time.Second); err != nil {
		t.Errorf("exit after SIGTERM: %v, want status 0", err)
	}
	for _, msg := range []string{"shutting down", "scheduler stopped", "stopped: requests drained"} {
		if !srv.logged(msg) {
			t.Errorf("log lacks %q", msg)
		}
	}

	// The drained submission was written before the store closed.
	startServer(t, env, port)
	ids := exportIDs(t, env, "utilidad-pagina")
	if len(ids) != 1 {
		t.Errorf("stored %d responses after the drain, want 1", len(ids))
	}
}

// waitAccepted waits until the server has accepted conn: on Linux, until the
// server's end of it in /proc/net/tcp has an inode, which a connection still
// in the listener's backlog lacks. Elsewhere it gives the server a moment.
func waitAccepted(t *testing.T, conn net.Conn) {
	t.Helper()
	local, remote := conn.LocalAddr().(*net.TCPAddr).Port, conn.RemoteAddr().(*net.TCPAddr).Port
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		table, err := os.ReadFile("/proc/net/tcp")
		if err != nil {
			time.Sleep(200 * time.Millisecond) // no /proc: no way to watch the accept
			return
		}
		for _, line := range strings.Split(string(table), "\n") {
			// sl local_address rem_address st ... inode: the server's end is
			// local = the server's port, remote = ours.
			f := strings.Fields(line)
			if len(f) > 9 && strings.HasSuffix(f[1], fmt.Sprintf(":%04X", remote)) &&
				strings.HasSuffix(f[2], fmt.Sprintf(":%04X", local)) && f[9] != "0" {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the server did not accept the connection within 10 s")
}

// waitRefused waits until nothing accepts connections at addr any more.
func waitRefused(t *testing.T, addr string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			return
		}
		c.Close()
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the server still accepts connections %s after SIGTERM", within)
}
