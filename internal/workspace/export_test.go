package workspace_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/export"
	"github.com/consulta/consulta/internal/workspace"
)

// flakySource is the store, failing after failAfter responses of an export
// (never when negative): a store that stops answering halfway through.
type flakySource struct {
	workspace.ExportSource
	failAfter atomic.Int64
}

var errInjected = consulta.Errorf(consulta.EUNAVAILABLE, "store: connection reset (injected)")

func (f *flakySource) EachResponse(ctx context.Context, sf consulta.ResponseFilter, fields []string, fn func(*consulta.Response) error) error {
	limit := f.failAfter.Load()
	if limit == 0 {
		return errInjected
	}
	n := int64(0)
	return f.ExportSource.EachResponse(ctx, sf, fields, func(r *consulta.Response) error {
		if n == limit {
			return errInjected
		}
		n++
		return fn(r)
	})
}

// TestExportFailureAbortsDownload: when the store fails in the middle of an
// export, the chunked body is cut without its last chunk and the connection
// closed, with or without gzip, so the browser reports a failed download;
// when it fails before the first byte, the answer is an error page; either
// failure is logged and counted. A normal export still completes.
func TestExportFailureAbortsDownload(t *testing.T) {
	src := &flakySource{}
	failures := make(chan string, 10)
	var logs logBuffer
	e := newEnvWith(t, func(d *workspace.Deps) {
		src.ExportSource = d.Store
		d.Exports = src
		d.ExportFailed = func(stage string) { failures <- stage }
		d.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	e.addUser("analyst@mineduc.test", "analyst", "")
	const stored = 8
	for i := range stored {
		if res, body := e.submit("sugerencias", fmt.Sprintf(`{"answers":{"topic":"docentes","message":"Sugerencia %d"},"lang":"es"}`, i)); res.StatusCode != http.StatusCreated {
			t.Fatalf("submit: %d %s", res.StatusCode, body)
		}
	}
	b := e.login("analyst@mineduc.test")
	path := "/admin/export/download?form=sugerencias&format=csv"
	// gzip is what browsers take; br alone would be the server's to compress.
	for _, enc := range []string{"", "gzip", "br"} {
		t.Run("midway "+enc, func(t *testing.T) {
			src.failAfter.Store(3)
			d := rawGet(t, b, path, enc)
			if want := map[string]string{"gzip": "gzip"}[enc]; d.res.StatusCode != http.StatusOK || d.res.Header.Get("Content-Encoding") != want {
				t.Fatalf("status %d, Content-Encoding %q", d.res.StatusCode, d.res.Header.Get("Content-Encoding"))
			}
			if !errors.Is(d.bodyErr, io.ErrUnexpectedEOF) {
				t.Errorf("reading the body: %v, want an unexpected EOF", d.bodyErr)
			}
			if bytes.HasSuffix(d.raw, []byte("\r\n0\r\n\r\n")) {
				t.Error("the chunked body was ended as if complete")
			}
			if !d.closed {
				t.Error("the connection stayed open after the abort")
			}
			waitFailure(t, failures, export.FailedMidway)
		})
	}
	t.Run("before the first byte", func(t *testing.T) {
		src.failAfter.Store(0)
		res, body := b.get(path + "&lang=es")
		if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "No se pudo exportar") {
			t.Errorf("status %d, want 503 with the localized message:\n%s", res.StatusCode, body)
		}
		waitFailure(t, failures, export.FailedBeforeFirstByte)
	})
	t.Run("complete", func(t *testing.T) {
		src.failAfter.Store(-1)
		for _, enc := range []string{"", "gzip", "br"} {
			d := rawGet(t, b, path, enc)
			if d.bodyErr != nil || !bytes.HasSuffix(d.raw, []byte("\r\n0\r\n\r\n")) {
				t.Fatalf("%s: body error %v", enc, d.bodyErr)
			}
			if lines := bytes.Count(d.body, []byte("\n")); lines != stored+1 {
				t.Errorf("%s: %d lines, want the header and %d responses", enc, lines, stored)
			}
		}
		select {
		case stage := <-failures:
			t.Errorf("a complete export counted as failed (%s)", stage)
		default:
		}
	})
	for _, want := range []string{"stage=midway", "stage=before_first_byte", "injected"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the log lacks %q:\n%s", want, logs.String())
		}
	}
}

// download is a response read off the wire.
type download struct {
	res     *http.Response
	body    []byte // decoded: de-chunked and decompressed
	bodyErr error  // the error that ended the body, nil when it was complete
	raw     []byte // every byte received
	closed  bool   // the server closed the connection
}

// rawGet sends a GET with b's cookies and Accept-Encoding enc (none when
// empty) over a fresh TCP connection, keeping it alive, and reads the
// response as a browser would.
func rawGet(t *testing.T, b *browser, path, enc string) download {
	t.Helper()
	u, _ := url.Parse(b.e.base + path)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	var req strings.Builder
	fmt.Fprintf(&req, "GET %s HTTP/1.1\r\nHost: %s\r\n", u.RequestURI(), u.Host)
	for _, c := range b.c.Jar.Cookies(u) {
		fmt.Fprintf(&req, "Cookie: %s=%s\r\n", c.Name, c.Value)
	}
	if enc != "" {
		fmt.Fprintf(&req, "Accept-Encoding: %s\r\n", enc)
	}
	req.WriteString("\r\n")
	if _, err := io.WriteString(conn, req.String()); err != nil {
		t.Fatal(err)
	}
	var raw bytes.Buffer
	br := bufio.NewReader(io.TeeReader(conn, &raw))
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := download{res: res}
	var body io.Reader = res.Body
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		body = zr
	}
	d.body, d.bodyErr = io.ReadAll(body)
	// After a complete response the connection is kept alive: nothing more
	// comes, and the read times out. After an abort the server closed it.
	_ = conn.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	_, err = br.ReadByte()
	d.closed = errors.Is(err, io.EOF)
	d.raw = raw.Bytes()
	return d
}

// waitFailure waits for the export failure hook to report stage.
func waitFailure(t *testing.T, failures <-chan string, stage string) {
	t.Helper()
	select {
	case got := <-failures:
		if got != stage {
			t.Errorf("failure counted as %s, want %s", got, stage)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("no %s failure counted", stage)
	}
}

// logBuffer collects log lines written from several goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
