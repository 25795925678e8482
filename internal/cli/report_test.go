package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestReport seeds two months of responses, writes the report of one month
// and reads the PDF back: it counts that month's responses only, in the
// language asked for, and says nothing on a pipe.
func TestReport(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	env := baseEnv(t)
	for _, s := range []struct{ n, from, to, seed string }{
		{"60", "2026-09-01", "2026-09-30", "11"},
		{"25", "2026-10-01", "2026-10-31", "12"},
	} {
		if code, out, errs := run(t, env, "seed", "--form", "necesidades-informacion", "--n", s.n,
			"--from", s.from, "--to", s.to, "--seed", s.seed); code != 0 {
			t.Fatalf("seed: exit %d %q %q", code, out, errs)
		}
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		lang, want string
	}{
		{"es", "Respuestas: 60"},
		{"en", "Responses: 60"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			file := filepath.Join(dir, "informe-"+tc.lang+".pdf")
			code, out, errs := run(t, env, "report", "--form", "necesidades-informacion",
				"--from", "2026-09-01", "--to", "2026-09-30", "--lang", tc.lang, "--out", file)
			if code != 0 {
				t.Fatalf("report: exit %d %q", code, errs)
			}
			if out != "" || errs != "" {
				t.Errorf("a pipe must stay quiet, got stdout %q stderr %q", out, errs)
			}
			text, err := exec.Command("pdftotext", file, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(text), tc.want) {
				t.Errorf("PDF lacks %q:\n%.600s", tc.want, text)
			}
		})
	}
}

// TestReportArguments refuses what it cannot honour, before touching the store
// where it can, and leaves no file behind.
func TestReportArguments(t *testing.T) {
	env := baseEnv(t)
	out := filepath.Join(t.TempDir(), "r.pdf")
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no out", []string{"--form", "sugerencias", "--from", "2026-01-01", "--to", "2026-01-31"}, 2, "usage"},
		{"no dates", []string{"--form", "sugerencias", "--out", out}, 2, "usage"},
		{"bad date", []string{"--form", "sugerencias", "--from", "01/01/2026", "--to", "2026-01-31", "--out", out}, 1, "YYYY-MM-DD"},
		{"reversed", []string{"--form", "sugerencias", "--from", "2026-02-01", "--to", "2026-01-31", "--out", out}, 1, "before"},
		{"unknown form", []string{"--form", "nope", "--from", "2026-01-01", "--to", "2026-01-31", "--out", out}, 1, "nope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := run(t, env, append([]string{"report"}, tc.args...)...)
			if code != tc.code || !strings.Contains(errs, tc.want) {
				t.Errorf("exit %d %q, want %d with %q", code, errs, tc.code, tc.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("a failed report left a file")
			}
		})
	}
}

// TestProgress draws a bar on a terminal and nothing elsewhere.
func TestProgress(t *testing.T) {
	for _, tc := range []struct {
		name string
		tty  bool
	}{{"terminal", true}, {"pipe", false}} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			progress, finish := newProgress(&buf, tc.tty)
			if progress != nil {
				progress(10, -1)
				progress(50, 200)
				progress(200, 200)
			}
			finish()
			if got := buf.Len() > 0; got != tc.tty {
				t.Errorf("output %q, want some: %t", buf.String(), tc.tty)
			}
			if tc.tty && !strings.Contains(buf.String(), "responses") {
				t.Errorf("bar lacks its description: %q", buf.String())
			}
		})
	}
}
