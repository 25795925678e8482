package server_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/app"
	"github.com/consulta/consulta/internal/config"
)

// testApp is the whole program (embedded store, shipped forms, built-in
// translations) serving HTTP on a loopback port, for the widget tests.
type testApp struct {
	*app.App
	base    string // http://127.0.0.1:PORT
	dataDir string
}

// startApp boots consulta as `consulta serve` would, with a temporary data
// directory and settings from env (CONSULTA_* names), and stops it when the
// test ends.
func startApp(t *testing.T, env map[string]string) *testApp {
	t.Helper()
	vars := map[string]string{
		"CONSULTA_ADDR":       "127.0.0.1:0",
		"CONSULTA_DATA_DIR":   t.TempDir(),
		"CONSULTA_STORE_ADDR": "127.0.0.1:0",
		"CONSULTA_FORMS_DIR":  filepath.Join("..", "..", "forms"),
		"CONSULTA_SCHEDULER":  "false",
		"CONSULTA_LOG_LEVEL":  "error",
	}
	for k, v := range env {
		vars[k] = v
	}
	fs := config.FlagSet("test", io.Discard)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(fs, config.Source{Getenv: func(k string) string { return vars[k] }, ReadFile: os.ReadFile})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.New(ctx, cfg, logger)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Error("server did not stop")
		}
		a.Close()
	})
	return &testApp{App: a, base: "http://" + a.Addr().String(), dataDir: vars["CONSULTA_DATA_DIR"]}
}

// response is what a test keeps of an HTTP exchange.
type response struct {
	status int
	header http.Header
	body   string
	wire   int // bytes on the wire (compressed when the server compressed)
}

// do sends one request; the body is decompressed when it came gzipped.
func do(t *testing.T, method, rawURL string, header map[string]string, body string) response {
	t.Helper()
	req, err := http.NewRequest(method, rawURL, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	client := &http.Client{
		Timeout:       20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		// No automatic gzip: the test sees the bytes the server sends.
		Transport: &http.Transport{DisableCompression: true},
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	out := response{status: res.StatusCode, header: res.Header, body: string(raw), wire: len(raw)}
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(strings.NewReader(string(raw)))
		if err != nil {
			t.Fatal(err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		out.body = string(plain)
	}
	return out
}

func (a *testApp) get(t *testing.T, path string, header map[string]string) response {
	t.Helper()
	return do(t, http.MethodGet, a.base+path, header, "")
}

// postForm sends the no-JavaScript submission of a form page.
func (a *testApp) postForm(t *testing.T, formID string, values url.Values) response {
	t.Helper()
	return do(t, http.MethodPost, a.base+"/f/"+formID, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, values.Encode())
}

// postJSON sends a JSON submission; header adds or overrides headers.
func (a *testApp) postJSON(t *testing.T, formID, key string, answers map[string]any, header map[string]string) response {
	t.Helper()
	b, err := json.Marshal(map[string]any{"answers": answers, "lang": "es"})
	if err != nil {
		t.Fatal(err)
	}
	h := map[string]string{"Content-Type": "application/json", "Idempotency-Key": key}
	for k, v := range header {
		h[k] = v
	}
	return do(t, http.MethodPost, a.base+"/api/v1/forms/"+formID+"/responses", h, string(b))
}

var hiddenField = regexp.MustCompile(`<input type="hidden" name="(_[a-z]+)" value="([^"]*)">`)

// pageFields loads a form page and returns its hidden fields (_key, _t...).
func (a *testApp) pageFields(t *testing.T, path string) url.Values {
	t.Helper()
	r := a.get(t, path, nil)
	if r.status != http.StatusOK {
		t.Fatalf("GET %s: %d", path, r.status)
	}
	return hiddenFields(r.body)
}

func hiddenFields(html string) url.Values {
	v := url.Values{}
	for _, m := range hiddenField.FindAllStringSubmatch(html, -1) {
		v.Set(m[1], m[2])
	}
	return v
}

// errorBody decodes an API error body.
func errorBody(t *testing.T, r response) []map[string]string {
	t.Helper()
	var body struct {
		Errors []map[string]string `json:"errors"`
	}
	if err := json.Unmarshal([]byte(r.body), &body); err != nil {
		t.Fatalf("status %d, body %q: %v", r.status, r.body, err)
	}
	return body.Errors
}
