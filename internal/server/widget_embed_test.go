package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// Budgets of issue 3, in gzipped bytes.
const (
	loaderBudget    = 2 * 1024
	firstLoadBudget = 20 * 1024
)

func TestEmbedLoader(t *testing.T) {
	a := startApp(t, nil)
	r := a.get(t, "/embed.js", map[string]string{"Accept-Encoding": "gzip"})
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/javascript") {
		t.Fatalf("GET /embed.js: %d %s", r.status, r.header.Get("Content-Type"))
	}
	for _, want := range []string{`"?es"?:\["Dé su opinión","Cerrar"`, `"?en"?:\["Give feedback","Close"`} {
		if !regexp.MustCompile(want).MatchString(r.body) {
			t.Errorf("loader lacks the labels %s", want)
		}
	}
	if strings.Contains(r.body, "LABELS") || strings.Contains(r.body, "//") || strings.Contains(r.body, "/*") {
		t.Error("loader still has its placeholder or comments")
	}
	if strings.Contains(r.body, "focusWanted") || strings.Contains(r.body, "\n") {
		t.Error("loader is not minified: its local names or line breaks are left")
	}
	if r.header.Get("Set-Cookie") != "" {
		t.Error("the loader sets a cookie")
	}
	if r.header.Get("Content-Encoding") != "gzip" || r.wire > loaderBudget {
		t.Fatalf("loader: %d bytes on the wire (%s), budget %d gzipped", r.wire, r.header.Get("Content-Encoding"), loaderBudget)
	}
	again := a.get(t, "/embed.js", map[string]string{"If-None-Match": r.header.Get("ETag")})
	if again.status != http.StatusNotModified {
		t.Fatalf("revalidation: %d, want 304", again.status)
	}
}

// TestWidgetBudgets prints and checks the weights of issue 3: the loader, and
// the whole first load of each form page (HTML, CSS, JavaScript), gzipped as
// served. `go test -run TestWidgetBudgets -v ./internal/server` shows them.
func TestWidgetBudgets(t *testing.T) {
	a := startApp(t, nil)
	gz := map[string]string{"Accept-Encoding": "gzip"}
	loader := a.get(t, "/embed.js", gz)
	fmt.Printf("budget: /embed.js %d B gzipped (budget %d)\n", loader.wire, loaderBudget)
	if loader.wire > loaderBudget {
		t.Errorf("loader %d B gzipped, over %d", loader.wire, loaderBudget)
	}
	for _, form := range []string{"necesidades-informacion", "sugerencias", "utilidad-pagina"} {
		for _, lang := range []string{"es", "en", "quc"} {
			page := a.get(t, "/f/"+form+"?embed=1&lang="+lang, gz)
			if page.status != http.StatusOK {
				t.Fatalf("%s: %d", form, page.status)
			}
			total, parts := page.wire, []string{fmt.Sprintf("HTML %d", page.wire)}
			for _, sub := range subresources(page.body) {
				r := a.get(t, sub, gz)
				if r.status != http.StatusOK {
					t.Fatalf("%s: %d", sub, r.status)
				}
				if r.header.Get("Set-Cookie") != "" {
					t.Errorf("%s sets a cookie", sub)
				}
				total += r.wire
				parts = append(parts, fmt.Sprintf("%s %d", sub, r.wire))
			}
			fmt.Printf("budget: /f/%s?lang=%s first load %d B gzipped (%s; budget %d)\n", form, lang, total, strings.Join(parts, ", "), firstLoadBudget)
			if form == "necesidades-informacion" && total > firstLoadBudget {
				t.Errorf("%s first load %d B gzipped, over %d", form, total, firstLoadBudget)
			}
		}
	}
}

var (
	srcAttr    = regexp.MustCompile(`(?:src|href)="([^"#]+)"`)
	styleAttr  = regexp.MustCompile(`\sstyle=`)
	inlineCode = regexp.MustCompile(`<script(?:\s+type="([^"]*)")?[^>]*>([^<]*)</script>`)
)

// subresources lists what a page loads: stylesheets and scripts.
func subresources(html string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<(?:link rel="stylesheet" href|script src)="([^"]+)"`).FindAllStringSubmatch(html, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestPagesNeedNothingFromElsewhere(t *testing.T) {
	a := startApp(t, nil)
	for _, path := range []string{"/", "/f/sugerencias", "/f/necesidades-informacion?lang=en&embed=1", "/f/utilidad-pagina?lang=quc", "/f/sugerencias/thanks?lang=en", "/demo"} {
		t.Run(path, func(t *testing.T) {
			r := a.get(t, path, nil)
			if r.status != http.StatusOK {
				t.Fatalf("%d", r.status)
			}
			if r.header.Get("Set-Cookie") != "" {
				t.Error("sets a cookie")
			}
			for _, m := range srcAttr.FindAllStringSubmatch(r.body, -1) {
				if u, _ := url.Parse(m[1]); u == nil || (u.Host != "" && "http://"+u.Host != a.base) {
					t.Errorf("loads %s from elsewhere", m[1])
				}
			}
			if styleAttr.MatchString(r.body) {
				t.Error("has an inline style attribute (the CSP forbids them)")
			}
			for _, m := range inlineCode.FindAllStringSubmatch(r.body, -1) {
				if m[1] != "application/json" && strings.TrimSpace(m[2]) != "" {
					t.Errorf("has an inline script: %.80s", m[2])
				}
			}
			if strings.Contains(r.body, "@font-face") || strings.Contains(r.body, "fonts.") {
				t.Error("uses a web font")
			}
		})
	}
}

var dataParent = regexp.MustCompile(`data-parent="([^"]*)"`)

func TestFramingAndMessagesOnlyForAllowedOrigins(t *testing.T) {
	a := startApp(t, nil)
	tests := []struct {
		name, page, wantParent string
	}{
		{"a page of the portal", "https://www.mineduc.gob.gt/transparencia/estadisticas?x=1", "https://www.mineduc.gob.gt"},
		{"a page of this server (the demo)", a.base + "/demo", a.base},
		{"a page of another site", "https://evil.example/page", ""},
		{"a look-alike host", "https://www.mineduc.gob.gt.evil.example/", ""},
		{"no page", "", ""},
	}
	for _, tt := range tests {
		for _, path := range []string{"/f/sugerencias", "/f/sugerencias/thanks"} {
			t.Run(tt.name+" "+path, func(t *testing.T) {
				r := a.get(t, path+"?embed=1&page="+url.QueryEscape(tt.page), nil)
				got := ""
				if m := dataParent.FindStringSubmatch(r.body); m != nil {
					got = m[1]
				}
				if got != tt.wantParent {
					t.Fatalf("data-parent %q, want %q", got, tt.wantParent)
				}
				csp := r.header.Get("Content-Security-Policy")
				if !strings.Contains(csp, "frame-ancestors 'self' https://www.mineduc.gob.gt https://mineduc.gob.gt") {
					t.Fatalf("CSP %q: frame-ancestors is not the form's origins", csp)
				}
			})
		}
	}
}

func TestAPICORS(t *testing.T) {
	a := startApp(t, map[string]string{"CONSULTA_MIN_FILL_TIME": "0s"})
	const portal, other = "https://www.mineduc.gob.gt", "https://evil.example"
	submit := "/api/v1/forms/sugerencias/responses"
	body := `{"answers":{"message":"Publiquen el presupuesto por escuela"},"lang":"es"}`
	tests := []struct {
		name       string
		method     string
		path       string
		origin     string
		body       string
		wantStatus int
		wantACAO   string
	}{
		{"preflight from a form's origin", http.MethodOptions, submit, portal, "", http.StatusNoContent, portal},
		{"preflight from another origin", http.MethodOptions, submit, other, "", http.StatusForbidden, ""},
		{"post from a form's origin", http.MethodPost, submit, portal, body, http.StatusCreated, portal},
		{"post from another origin", http.MethodPost, submit, other, body, http.StatusForbidden, ""},
		{"post from a page of this server", http.MethodPost, submit, "SELF", body, http.StatusCreated, ""},
		{"post without an Origin (a server)", http.MethodPost, submit, "", body, http.StatusCreated, ""},
		{"read from a form's origin", http.MethodGet, "/api/v1/forms/sugerencias", portal, "", http.StatusOK, portal},
		{"read from another origin: no CORS headers", http.MethodGet, "/api/v1/forms/sugerencias", other, "", http.StatusOK, ""},
		{"read another form's definition", http.MethodGet, "/api/v1/forms/utilidad-pagina", portal, "", http.StatusOK, portal},
		{"geo from a form's origin", http.MethodGet, "/api/v1/geo", portal, "", http.StatusOK, portal},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{"Content-Type": "application/json", "Idempotency-Key": fmt.Sprintf("cors-test-key-%02d", i)}
			switch tt.origin {
			case "SELF":
				h["Origin"] = a.base
			case "":
			default:
				h["Origin"] = tt.origin
			}
			if tt.method == http.MethodOptions {
				h["Access-Control-Request-Method"] = "POST"
				h["Access-Control-Request-Headers"] = "content-type, idempotency-key, consulta-token"
			}
			r := do(t, tt.method, a.base+tt.path, h, tt.body)
			if r.status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", r.status, tt.wantStatus, r.body)
			}
			if got := r.header.Get("Access-Control-Allow-Origin"); got != tt.wantACAO {
				t.Fatalf("Access-Control-Allow-Origin %q, want %q", got, tt.wantACAO)
			}
			if tt.method == http.MethodOptions && tt.wantACAO != "" {
				allowed := strings.ToLower(r.header.Get("Access-Control-Allow-Headers"))
				for _, h := range []string{"content-type", "idempotency-key", "consulta-token"} {
					if !strings.Contains(allowed, h) {
						t.Fatalf("Access-Control-Allow-Headers %q lacks %s", allowed, h)
					}
				}
			}
		})
	}
}

var clientTexts = regexp.MustCompile(`<script type="application/json" id="cf-i18n">([^<]*)</script>`)

func TestFormPageCarriesItsMessages(t *testing.T) {
	a := startApp(t, nil)
	for _, lang := range []string{"es", "en", "quc"} {
		t.Run(lang, func(t *testing.T) {
			r := a.get(t, "/f/sugerencias?lang="+lang, nil)
			m := clientTexts.FindStringSubmatch(r.body)
			if m == nil {
				t.Fatal("no #cf-i18n block")
			}
			var texts map[string]string
			if err := json.Unmarshal([]byte(m[1]), &texts); err != nil {
				t.Fatal(err)
			}
			for _, key := range []string{"required", "too_long", "invalid_email", "invalid_phone", "must_consent", "summary.one", "summary.other", "offline.queued", "offline.sent", "form.sending"} {
				if texts[key] == "" {
					t.Errorf("no text for %s", key)
				}
			}
			if !strings.Contains(texts["summary.other"], "{Count}") || !strings.Contains(texts["too_long"], "{Max}") {
				t.Errorf("placeholders missing: %q, %q", texts["summary.other"], texts["too_long"])
			}
			if lang == "en" && texts["required"] == "Responda esta pregunta." {
				t.Error("English page has Spanish messages")
			}
		})
	}
}

func TestDemoPage(t *testing.T) {
	a := startApp(t, map[string]string{"CONSULTA_BASE_URL": "https://consulta.example.org"})
	r := a.get(t, "/demo?lang=en", nil)
	if r.status != http.StatusOK {
		t.Fatalf("GET /demo: %d", r.status)
	}
	csp := r.header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self' https://consulta.example.org;", "frame-src 'self' https://consulta.example.org;", "default-src 'none'", "style-src 'self';"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe") {
		t.Errorf("CSP %q allows unsafe code", csp)
	}
	for _, form := range []string{"necesidades-informacion", "sugerencias", "utilidad-pagina"} {
		tag := `<script src="https://consulta.example.org/embed.js" data-form="` + form + `" data-lang="en"`
		if !strings.Contains(r.body, tag) {
			t.Errorf("no widget for %s", form)
		}
	}
	if !strings.Contains(r.body, `data-form="sugerencias" data-lang="en" data-mode="button" async></script>`) {
		t.Error("the suggestion box is not a button widget")
	}
	if !strings.Contains(r.body, `<html lang="en">`) {
		t.Error("the demo is not in the requested language")
	}
}
