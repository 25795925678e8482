package server

import (
	"compress/gzip"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/consulta/consulta/internal/abuse"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
	"github.com/consulta/consulta/internal/locale"
	"github.com/consulta/consulta/locales"
)

// newFormServer is the HTTP layer with the shipped forms and page-load tokens,
// without a store (form pages need none).
func newFormServer(t *testing.T) *Server {
	t.Helper()
	reg, tr, cat := shippedParts(t)
	guard := abuse.New(abuse.Config{Secret: strings.Repeat("k", 32)})
	s, err := New(Deps{Forms: reg, Geo: cat, Translator: tr, Abuse: guard,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// shippedParts loads the shipped forms, the built-in translations and the
// geography.
func shippedParts(t *testing.T) (*forms.Registry, *locale.Translator, *geo.Catalog) {
	t.Helper()
	reg, err := forms.LoadDir("../../forms")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := locale.Load(locales.FS, reg.All())
	if err != nil {
		t.Fatal(err)
	}
	cat, err := geo.Load()
	if err != nil {
		t.Fatal(err)
	}
	return reg, tr, cat
}

// fetchPage GETs path and returns the page as the client reads it, its
// Content-Encoding, and the page with its per-visitor values blanked.
func fetchPage(t *testing.T, s *Server, path, acceptEncoding string) (page, encoding, blanked string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	resp, err := s.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	var body io.Reader = resp.Body
	encoding = resp.Header.Get("Content-Encoding")
	switch encoding {
	case "gzip":
		// gzip.Reader checks the trailer: the CRC-32 and length of the page.
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		body = zr
	case "", "br":
	default:
		t.Fatalf("GET %s: unexpected Content-Encoding %q", path, encoding)
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("GET %s: reading the %s body: %v", path, encoding, err)
	}
	page = string(raw)
	perVisitor := regexp.MustCompile(`name="(_key|_t)" value="[^"]*"`)
	return page, encoding, perVisitor.ReplaceAllString(page, `name="$1" value="…"`)
}

// TestCachedPagesReadAsFreshOnes: a blank form page served from the cache,
// plain or gzipped from parts compressed once, reads byte for byte as the
// page rendered for its visitor, whatever the form, language, frame and
// embedding page (including addresses that need escaping), and each visitor
// gets their own key and token.
func TestCachedPagesReadAsFreshOnes(t *testing.T) {
	cached, fresh := newFormServer(t), newFormServer(t)
	fresh.pages.off = true
	pages := []string{"", "https://www.mineduc.gob.gt/transparencia/",
		"https://mineduc.gob.gt/a+b/c'd&e/ñandú%20x", `https://otro.example/"><script>alert(1)</script>`}
	for _, f := range cached.deps.Forms.All() {
		for _, lang := range []string{"es", "en", "quc"} {
			for _, embed := range []bool{false, true} {
				for _, page := range pages {
					q := url.Values{"lang": {lang}}
					if embed {
						q.Set("embed", "1")
					}
					if page != "" {
						q.Set("page", page)
					}
					path := "/f/" + f.ID + "?" + q.Encode()
					_, _, want := fetchPage(t, fresh, path, "")
					seen := map[string]bool{}
					for i, enc := range []string{"", "gzip, deflate, br", "gzip", "identity", ""} {
						got, encoding, blanked := fetchPage(t, cached, path, enc)
						if wantGzip := strings.Contains(enc, "gzip"); wantGzip != (encoding == "gzip") {
							t.Errorf("%s with Accept-Encoding %q: Content-Encoding %q", path, enc, encoding)
						}
						if blanked != want {
							t.Fatalf("%s, request %d (Accept-Encoding %q): cached page differs from a fresh one\n%s", path, i, enc, firstDifference(blanked, want))
						}
						fields := hiddenValues(got)
						if fields.Get("_t") == "" || seen[fields.Get("_t")] || seen[fields.Get("_key")] {
							t.Fatalf("%s: page-load token %q or key %q missing or reused", path, fields.Get("_t"), fields.Get("_key"))
						}
						seen[fields.Get("_t")], seen[fields.Get("_key")] = true, true
					}
				}
			}
		}
	}
}

// hiddenValues reads a page's hidden fields.
func hiddenValues(page string) url.Values {
	out := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`).FindAllStringSubmatch(page, -1) {
		out.Add(m[1], m[2])
	}
	return out
}

// firstDifference shows where two pages part.
func firstDifference(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-120)
	return "got:  …" + got[from:min(len(got), i+120)] + "\nwant: …" + want[from:min(len(want), i+120)]
}
