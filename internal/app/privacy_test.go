package app_test

// Helpers of the privacy attacks of issue 10, items 14 and 16: a facilitator
// who runs focus-group sessions, the PDFs the program makes read back as
// text, and text compared the way a reader sees it.

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// openSession creates, as the signed-in facilitator s, a session of form
// open now, and returns its code.
func openSession(t *testing.T, s *staff, form string) string {
	t.Helper()
	loc, err := time.LoadLocation("America/Guatemala")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(loc)
	const layout = "2006-01-02T15:04"
	a := s.post("/admin/sessions", url.Values{"form": {form}, "lang": {"es"}, "date": {now.Format(time.DateOnly)},
		"municipality": {"0101"}, "expected": {"50"},
		"opens": {now.Add(-time.Hour).Format(layout)}, "closes": {now.Add(2 * time.Hour).Format(layout)}})
	loc2 := a.header.Get("Location")
	if a.status != http.StatusSeeOther || !strings.HasPrefix(loc2, "/admin/sessions/") {
		t.Fatalf("create session: status %d, Location %q, %.300s", a.status, loc2, a.body)
	}
	code, _, _ := strings.Cut(strings.TrimPrefix(loc2, "/admin/sessions/"), "?")
	return code
}

// submit answers form through the public JSON API, in a session when
// session is set.
func submit(t *testing.T, r *running, form, session string, answers map[string]any) {
	t.Helper()
	body := map[string]any{"answers": answers, "lang": "es", "session": session}
	if status, _, out := postJSON(t, r, form, "", body); status != http.StatusCreated {
		t.Fatalf("submit %s: status %d %s", form, status, out)
	}
}

// pdfText reads a PDF back with pdftotext (-layout keeps table rows on one
// line).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (apt-get install poppler-utils)")
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("not a PDF: %.200s", pdf)
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v %s", err, out)
	}
	return string(out)
}

// reportPDF makes the PDF report of form over today with `consulta report`,
// against the running program's store, and returns its text.
func reportPDF(t *testing.T, r *running, form string) string {
	t.Helper()
	loc, err := time.LoadLocation("America/Guatemala")
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().In(loc).Format(time.DateOnly)
	path := filepath.Join(t.TempDir(), form+".pdf")
	var out bytes.Buffer
	if code := runCLI(t, []string{"report", "--form", form, "--from", today, "--to", today, "--out", path},
		testConfigEnv(r), &out); code != 0 {
		t.Fatalf("consulta report: exit %d %s", code, out.String())
	}
	pdf, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return pdfText(t, pdf)
}

// readable is text as a reader compares it: compatibility forms folded
// (NFKC), invisible characters dropped, dashes as hyphens, any run of white
// space one space. A datum that went through a PDF or a page differently
// rendered still reads the same.
func readable(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.Is(unicode.Cf, r):
			return -1
		case unicode.Is(unicode.Pd, r):
			return '-'
		case unicode.IsSpace(r):
			return ' '
		}
		return r
	}, norm.NFKC.String(s))
	return strings.Join(strings.Fields(s), " ")
}

// jsonStrings returns every string of a JSON document, one a line: the text
// a reader of the API gets, whatever escapes the encoder used.
func jsonStrings(t *testing.T, body string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("not JSON: %v %.200s", err, body)
	}
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			b.WriteString(x + "\n")
		case map[string]any:
			for k, c := range x {
				b.WriteString(k + "\n")
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(v)
	return b.String()
}
