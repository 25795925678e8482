package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/app"
	"github.com/consulta/consulta/internal/config"
)

// running is one booted consulta: the whole program on a loopback port 0, with
// the embedded store in a temp directory.
type running struct {
	app  *app.App
	base string
	dir  string
	stop func()
}

func (r *running) dataDir() string { return r.dir }

func testConfig(t *testing.T, dataDir string, extra map[string]string) *config.Config {
	t.Helper()
	env := map[string]string{
		"CONSULTA_ADDR":          "127.0.0.1:0",
		"CONSULTA_DATA_DIR":      dataDir,
		"CONSULTA_FORMS_DIR":     "../../forms",
		"CONSULTA_RATE_LIMIT":    "0",
		"CONSULTA_MIN_FILL_TIME": "0s",
		"CONSULTA_SCHEDULER":     "false",
	}
	for k, v := range extra {
		env[k] = v
	}
	fs := config.FlagSet("test", io.Discard)
	cfg, err := config.Load(fs, config.Source{Getenv: func(k string) string { return env[k] }, ReadFile: os.ReadFile})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func boot(t *testing.T, dataDir string) *running {
	t.Helper()
	return bootLogged(t, dataDir, nil, io.Discard)
}

// bootLogged boots with extra settings, logging to logs.
func bootLogged(t *testing.T, dataDir string, extra map[string]string, logs io.Writer) *running {
	t.Helper()
	cfg := testConfig(t, dataDir, extra)
	logger := slog.New(slog.NewTextHandler(logs, nil))
	a, err := app.New(context.Background(), cfg, logger)
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	r := &running{app: a, base: "http://" + a.Addr().String(), dir: dataDir}
	var once sync.Once
	r.stop = func() {
		once.Do(func() {
			// Connections the client dialled but never used would otherwise hold
			// the server's graceful shutdown until its grace runs out.
			client.CloseIdleConnections()
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
			if err := a.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
	}
	t.Cleanup(r.stop)
	return r
}

// client does not follow redirects, so tests can see the 303.
var client = &http.Client{
	Timeout:       20 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func do(t *testing.T, method, u, contentType string, body []byte, headers map[string]string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func postJSON(t *testing.T, r *running, form, key string, body any) (int, http.Header, string) {
	t.Helper()
	b, _ := json.Marshal(body)
	h := map[string]string{}
	if key != "" {
		h["Idempotency-Key"] = key
	}
	return do(t, "POST", r.base+"/api/v1/forms/"+form+"/responses", "application/json", b, h)
}

func exportIDs(t *testing.T, r *running, form string) []string {
	t.Helper()
	var out bytes.Buffer
	cfg := testConfigEnv(r)
	code := runCLI(t, []string{"export", "--form", form, "--format", "jsonl"}, cfg, &out)
	if code != 0 {
		t.Fatalf("export exit %d: %s", code, out.String())
	}
	var ids []string
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if line == "" {
			continue
		}
		var rec struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("export line %q: %v", line, err)
		}
		ids = append(ids, rec.ID)
	}
	return ids
}

// hiddenField matches the hidden inputs of a rendered form.
var hiddenField = regexp.MustCompile(`<input type="hidden" name="(_[a-z]+)" value="([^"]*)">`)

// pageFields loads a form page as a browser would and returns its hidden fields
// (idempotency key, page-load token...) merged with answers.
func pageFields(t *testing.T, r *running, form string, answers url.Values) url.Values {
	t.Helper()
	status, _, body := do(t, "GET", r.base+"/f/"+form, "", nil, nil)
	if status != 200 {
		t.Fatalf("GET /f/%s: %d", form, status)
	}
	v := url.Values{}
	for _, m := range hiddenField.FindAllStringSubmatch(body, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	if v.Get("_key") == "" {
		t.Fatalf("form %s has no idempotency key", form)
	}
	for k, vals := range answers {
		v[k] = vals
	}
	return v
}

func TestFormPagesInEveryLanguage(t *testing.T) {
	r := boot(t, t.TempDir())
	for _, form := range []string{"sugerencias", "necesidades-informacion", "utilidad-pagina"} {
		for _, lang := range []string{"es", "en", "quc"} {
			t.Run(form+"/"+lang, func(t *testing.T) {
				status, h, body := do(t, "GET", r.base+"/f/"+form+"?lang="+lang, "", nil, nil)
				if status != 200 {
					t.Fatalf("status %d", status)
				}
				if !strings.Contains(body, `<html lang="`+lang+`">`) {
					t.Errorf("html lang %s missing", lang)
				}
				if !strings.Contains(body, `name="_key"`) || !strings.Contains(body, `method="post"`) {
					t.Error("not a complete no-JavaScript form")
				}
				if strings.Contains(body, "form."+form+".") {
					t.Error("a message id leaked into the page")
				}
				if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'self' https://www.mineduc.gob.gt") {
					t.Errorf("frame-ancestors: %q", csp)
				}
			})
		}
	}
	t.Run("english texts", func(t *testing.T) {
		_, _, body := do(t, "GET", r.base+"/f/utilidad-pagina?lang=en", "", nil, nil)
		if !strings.Contains(body, "Submit") || strings.Contains(body, ">Enviar<") {
			t.Error("English page still in Spanish")
		}
	})
	t.Run("accept-language", func(t *testing.T) {
		_, _, body := do(t, "GET", r.base+"/f/utilidad-pagina", "", nil, map[string]string{"Accept-Language": "en-US,en;q=0.8"})
		if !strings.Contains(body, `<html lang="en">`) {
			t.Error("Accept-Language not honoured")
		}
	})
	t.Run("unknown form", func(t *testing.T) {
		status, _, _ := do(t, "GET", r.base+"/f/nope", "", nil, nil)
		if status != 404 {
			t.Errorf("status %d", status)
		}
	})
}

func TestNoJavaScriptSubmission(t *testing.T) {
	r := boot(t, t.TempDir())
	form := pageFields(t, r, "utilidad-pagina", url.Values{"_lang": {"en"}, "useful": {"false"}, "looking_for": {"school budgets"}})
	status, h, _ := do(t, "POST", r.base+"/f/utilidad-pagina", "application/x-www-form-urlencoded", []byte(form.Encode()), nil)
	if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/f/utilidad-pagina/thanks?") || !strings.Contains(h.Get("Location"), "lang=en") {
		t.Fatalf("status %d location %q", status, h.Get("Location"))
	}
	status, _, body := do(t, "GET", r.base+h.Get("Location"), "", nil, nil)
	if status != 200 || !strings.Contains(body, `lang="en"`) {
		t.Fatalf("thanks page %d", status)
	}
	// The same rendered form sent twice (a double click) is stored once.
	do(t, "POST", r.base+"/f/utilidad-pagina", "application/x-www-form-urlencoded", []byte(form.Encode()), nil)
	if ids := exportIDs(t, r, "utilidad-pagina"); len(ids) != 1 {
		t.Fatalf("want 1 stored response, got %d", len(ids))
	}

	t.Run("invalid keeps answers", func(t *testing.T) {
		bad := pageFields(t, r, "sugerencias", url.Values{"_lang": {"es"}, "topic": {"not-a-topic"}, "message": {"Mi mensaje importante"}})
		status, _, body := do(t, "POST", r.base+"/f/sugerencias", "application/x-www-form-urlencoded", []byte(bad.Encode()), nil)
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", status)
		}
		for _, want := range []string{`class="error-summary"`, `href="#q-topic"`, "Mi mensaje importante", `aria-invalid="true"`, `value="` + bad.Get("_key") + `"`} {
			if !strings.Contains(body, want) {
				t.Errorf("re-rendered form lacks %s", want)
			}
		}
	})
}

func TestJSONSubmission(t *testing.T) {
	r := boot(t, t.TempDir())
	good := map[string]any{"answers": map[string]any{"useful": true}, "lang": "es", "page": "https://www.mineduc.gob.gt/transparencia/"}
	status, _, body := postJSON(t, r, "utilidad-pagina", "json-key-0001", good)
	if status != 201 {
		t.Fatalf("status %d %s", status, body)
	}
	var first struct{ ID string }
	json.Unmarshal([]byte(body), &first)
	if first.ID == "" {
		t.Fatalf("no id in %s", body)
	}
	status, h, body := postJSON(t, r, "utilidad-pagina", "json-key-0001", good)
	var again struct{ ID string }
	json.Unmarshal([]byte(body), &again)
	if status != 201 || again.ID != first.ID || h.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %d %s", status, body)
	}
	other := map[string]any{"answers": map[string]any{"useful": false}}
	if status, _, _ := postJSON(t, r, "utilidad-pagina", "json-key-0001", other); status != 409 {
		t.Fatalf("same key, other body: %d", status)
	}
	if ids := exportIDs(t, r, "utilidad-pagina"); len(ids) != 1 || ids[0] != first.ID {
		t.Fatalf("stored %v, want [%s]", ids, first.ID)
	}
}

func TestBadInputs(t *testing.T) {
	r := boot(t, t.TempDir())
	u := r.base + "/api/v1/forms/utilidad-pagina/responses"
	tests := []struct {
		name        string
		contentType string
		body        string
		headers     map[string]string
		status      int
		question    string // the question the error must name
		code        string
	}{
		{"unknown question", "application/json", `{"answers":{"useful":true,"color":"red"}}`, nil, 422, "color", "unknown_question"},
		{"wrong type", "application/json", `{"answers":{"useful":"maybe"}}`, nil, 422, "useful", "wrong_type"},
		{"required missing", "application/json", `{"answers":{}}`, nil, 422, "useful", "required"},
		{"too long", "application/json", `{"answers":{"useful":false,"looking_for":"` + strings.Repeat("a", 501) + `"}}`, nil, 422, "looking_for", "too_long"},
		{"invalid utf-8", "application/json", "{\"answers\":{\"useful\":false,\"looking_for\":\"\xff\xfe\"}}", nil, 422, "looking_for", "invalid_utf8"},
		{"not json", "application/json", `{"answers":`, nil, 400, "", "bad_json"},
		{"unknown field", "application/json", `{"answers":{"useful":true},"evil":1}`, nil, 400, "", "bad_json"},
		{"wrong media type", "text/plain", `{"answers":{"useful":true}}`, nil, 415, "", "unsupported_media_type"},
		{"bad key", "application/json", `{"answers":{"useful":true}}`, map[string]string{"Idempotency-Key": "x"}, 400, "", "bad_key"},
		{"too large", "application/json", `{"answers":{"looking_for":"` + strings.Repeat("a", 70000) + `"}}`, nil, 413, "", "too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{"Accept-Language": "en"}
			for k, v := range tt.headers {
				h[k] = v
			}
			status, _, body := do(t, "POST", u, tt.contentType, []byte(tt.body), h)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, body)
			}
			var resp struct {
				Errors []struct{ Question, Code, Message string }
			}
			if err := json.Unmarshal([]byte(body), &resp); err != nil || len(resp.Errors) == 0 {
				t.Fatalf("error body %q", body)
			}
			e := resp.Errors[0]
			if e.Question != tt.question || e.Code != tt.code || e.Message == "" || strings.HasPrefix(e.Message, "error.") {
				t.Fatalf("error %+v, want question %q code %q with a message", e, tt.question, tt.code)
			}
		})
	}
	t.Run("unknown form", func(t *testing.T) {
		if status, _, _ := postJSON(t, r, "nope", "", map[string]any{"answers": map[string]any{}}); status != 404 {
			t.Fatalf("status %d", status)
		}
	})
	t.Run("localized", func(t *testing.T) {
		_, _, en := do(t, "POST", u, "application/json", []byte(`{"answers":{},"lang":"en"}`), nil)
		_, _, es := do(t, "POST", u, "application/json", []byte(`{"answers":{},"lang":"es"}`), nil)
		if en == es {
			t.Fatalf("same message in English and Spanish: %s", en)
		}
	})
	if ids := exportIDs(t, r, "utilidad-pagina"); len(ids) != 0 {
		t.Fatalf("bad inputs stored %d responses", len(ids))
	}
}

func TestConcurrentSameKeyStoresOnce(t *testing.T) {
	r := boot(t, t.TempDir())
	body := map[string]any{"answers": map[string]any{"useful": true}}
	var wg sync.WaitGroup
	ids := make([]string, 50)
	statuses := make([]int, 50)
	for i := range 50 {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			b, _ := json.Marshal(body)
			req, _ := http.NewRequest("POST", r.base+"/api/v1/forms/utilidad-pagina/responses", bytes.NewReader(b))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Idempotency-Key", "same-key-for-all-50")
			resp, err := client.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			var out struct{ ID string }
			json.NewDecoder(resp.Body).Decode(&out)
			ids[i], statuses[i] = out.ID, resp.StatusCode
		}(i)
	}
	wg.Wait()
	for i := range 50 {
		if statuses[i] != 201 || ids[i] != ids[0] || ids[i] == "" {
			t.Fatalf("request %d: status %d id %q (first %q)", i, statuses[i], ids[i], ids[0])
		}
	}
	if got := exportIDs(t, r, "utilidad-pagina"); len(got) != 1 {
		t.Fatalf("stored %d responses, want 1", len(got))
	}
}

func TestRestartKeepsData(t *testing.T) {
	dir := t.TempDir()
	r := boot(t, dir)
	form := pageFields(t, r, "utilidad-pagina", url.Values{"useful": {"true"}})
	if status, _, _ := do(t, "POST", r.base+"/f/utilidad-pagina", "application/x-www-form-urlencoded", []byte(form.Encode()), nil); status != 303 {
		t.Fatalf("no-JS post: %d", status)
	}
	if status, _, _ := postJSON(t, r, "utilidad-pagina", "restart-key-02", map[string]any{"answers": map[string]any{"useful": false}}); status != 201 {
		t.Fatalf("json post: %d", status)
	}
	r.stop()
	r2 := boot(t, dir)
	if ids := exportIDs(t, r2, "utilidad-pagina"); len(ids) != 2 {
		t.Fatalf("after restart: %d responses, want 2", len(ids))
	}
}

func TestHealth(t *testing.T) {
	r := boot(t, t.TempDir())
	for _, p := range []string{"/healthz", "/readyz", "/api/v1/forms", "/api/v1/forms/necesidades-informacion?lang=en", "/api/v1/geo"} {
		if status, _, body := do(t, "GET", r.base+p, "", nil, nil); status != 200 {
			t.Errorf("%s: %d %s", p, status, body)
		}
	}
	_, _, body := do(t, "GET", r.base+"/api/v1/geo", "", nil, nil)
	var geo struct {
		Departments []struct {
			Code           string
			Municipalities []struct{ Code, Name string }
		}
	}
	json.Unmarshal([]byte(body), &geo)
	n := 0
	for _, d := range geo.Departments {
		n += len(d.Municipalities)
	}
	if len(geo.Departments) != 22 || n != 340 {
		t.Errorf("geo: %d departments, %d municipalities", len(geo.Departments), n)
	}
}

// A blank form page is served from a cache: every load must still get its own
// idempotency key and page-load token, and nothing else may differ.
func TestCachedFormPageKeysDiffer(t *testing.T) {
	r := boot(t, t.TempDir())
	for _, path := range []string{"/f/sugerencias?lang=en", "/f/necesidades-informacion?embed=1"} {
		t.Run(path, func(t *testing.T) {
			var bodies []string
			keys := map[string]bool{}
			for range 3 {
				status, _, body := do(t, "GET", r.base+path, "", nil, nil)
				if status != 200 {
					t.Fatalf("status %d", status)
				}
				m := hiddenField.FindAllStringSubmatch(body, -1)
				for _, f := range m {
					if f[1] == "_key" || f[1] == "_t" {
						keys[f[2]] = true
						body = strings.Replace(body, f[2], "VALUE", 1)
					}
				}
				bodies = append(bodies, body)
			}
			if len(keys) != 6 {
				t.Fatalf("want 3 distinct keys and 3 distinct tokens, got %d values", len(keys))
			}
			if bodies[0] != bodies[1] || bodies[1] != bodies[2] {
				t.Fatal("cached pages differ beyond key and token")
			}
		})
	}
	t.Run("embedding page is not cached", func(t *testing.T) {
		_, _, body := do(t, "GET", r.base+"/f/utilidad-pagina?embed=1&page="+url.QueryEscape("https://www.mineduc.gob.gt/x"), "", nil, nil)
		if !strings.Contains(body, `name="_page" value="https://www.mineduc.gob.gt/x"`) {
			t.Fatal("the embedding page was lost")
		}
	})
}

// The JSON definition names options' fields "value" and "label" (docs/forms.md).
func TestAPIFormDefinitionShape(t *testing.T) {
	r := boot(t, t.TempDir())
	_, _, body := do(t, "GET", r.base+"/api/v1/forms/sugerencias?lang=en", "", nil, nil)
	var def struct {
		Lang      string
		Questions []struct {
			ID      string
			Options []map[string]string
			ShowIf  map[string]any `json:"show_if"`
		}
	}
	if err := json.Unmarshal([]byte(body), &def); err != nil {
		t.Fatal(err)
	}
	if def.Lang != "en" || len(def.Questions) == 0 || len(def.Questions[0].Options) == 0 {
		t.Fatalf("definition %s", body[:min(len(body), 300)])
	}
	if o := def.Questions[0].Options[0]; o["value"] == "" || o["label"] == "" {
		t.Fatalf("option fields %v", o)
	}
	conditional := 0
	for _, q := range def.Questions {
		if q.ShowIf != nil {
			conditional++
		}
	}
	if conditional == 0 {
		t.Fatal("the conditions are missing from the definition")
	}
}

// On a K'iche' page, text that is still the Spanish fallback says it is Spanish,
// so that a screen reader reads it as such (WCAG 3.1.2); translated text does not.
func TestFallbackTextMarkedSpanish(t *testing.T) {
	r := boot(t, t.TempDir())
	_, _, body := do(t, "GET", r.base+"/f/sugerencias?lang=quc", "", nil, nil)
	for _, want := range []string{
		`<h1 id="form-title" tabindex="-1"><span lang="es">Buzón de sugerencias</span></h1>`, // form text, untranslated
		`<footer class="site"><p><span lang="es">`,                                           // privacy note, untranslated
		`<button type="submit">Chataqa&#39;</button>`,                                        // translated in the draft
	} {
		if !strings.Contains(body, want) {
			t.Errorf("quc page lacks %s", want)
		}
	}
	_, _, en := do(t, "GET", r.base+"/f/sugerencias?lang=en", "", nil, nil)
	if strings.Contains(en, `<span lang="es">`) {
		t.Error("the complete English page marks text as Spanish")
	}
}
