package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/consulta/consulta/internal/config"
)

// run runs a consulta command in-process with env as its whole environment.
func run(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, IO{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Source: config.Source{Getenv: func(k string) string { return env[k] }, ReadFile: os.ReadFile},
	})
	return code, out.String(), errb.String()
}

func baseEnv(t *testing.T) map[string]string {
	return map[string]string{
		"CONSULTA_DATA_DIR":   t.TempDir(),
		"CONSULTA_STORE_ADDR": "127.0.0.1:0",
		"CONSULTA_FORMS_DIR":  "../../forms",
		"CONSULTA_LOG_LEVEL":  "error",
	}
}

func TestFormsCheck(t *testing.T) {
	env := baseEnv(t)
	if code, out, errs := run(t, env, "forms", "check"); code != 0 || !strings.Contains(out, "3 forms OK") {
		t.Fatalf("shipped forms: exit %d %q %q", code, out, errs)
	}
	dir := t.TempDir()
	broken := "id: roto\nversion: 1\nkind: survey\ntitle: Roto\nquestions:\n  - id: a\n    type: single\n    label: A\n  - id: a\n    type: colour\n    label: B\n"
	if err := os.WriteFile(filepath.Join(dir, "roto.yaml"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, env, "forms", "check", dir)
	if code != 1 {
		t.Fatalf("broken form: exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 3 {
		t.Fatalf("want every problem listed, got %q", out)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, filepath.Join(dir, "roto.yaml")+":") {
			t.Errorf("not file:line: %q", l)
		}
	}
}

func TestI18nCheckAndExtract(t *testing.T) {
	env := baseEnv(t)
	code, out, errs := run(t, env, "i18n", "check")
	if code != 0 {
		t.Fatalf("shipped translations: exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"es", "en", "quc", "draft", "en/forms/sugerencias.yaml"} {
		if !strings.Contains(out, want) {
			t.Errorf("coverage lacks %q", want)
		}
	}
	code, out, _ = run(t, env, "i18n", "extract", "--lang", "quc")
	if code != 0 || !strings.Contains(out, "hash:") || !strings.Contains(out, "form.sugerencias.title") {
		t.Fatalf("extract quc: exit %d %q", code, out[:min(len(out), 300)])
	}
	if code, _, _ := run(t, env, "i18n", "extract"); code != 2 {
		t.Fatalf("extract without --lang: exit %d, want 2", code)
	}
}

func TestI18nCheckFailsWhenEnglishIncomplete(t *testing.T) {
	locales := t.TempDir()
	for _, lang := range []string{"es", "en"} {
		os.MkdirAll(filepath.Join(locales, lang), 0o755)
		b, err := os.ReadFile(filepath.Join("../../locales", lang, "language.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(locales, lang, "language.yaml"), b, 0o644)
	}
	es, _ := os.ReadFile("../../locales/es/ui.yaml")
	os.WriteFile(filepath.Join(locales, "es", "ui.yaml"), es, 0o644)
	env := baseEnv(t)
	env["CONSULTA_LOCALES_DIR"] = locales
	if code, _, errs := run(t, env, "i18n", "check"); code != 1 || !strings.Contains(errs, "en") {
		t.Fatalf("English missing everything: exit %d %q", code, errs)
	}
}

func TestSeedThenExport(t *testing.T) {
	env := baseEnv(t)
	code, out, errs := run(t, env, "seed", "--form", "necesidades-informacion", "--n", "60", "--from", "2026-01-01", "--to", "2026-06-30", "--seed", "7")
	if code != 0 || !strings.Contains(out, "60 synthetic responses") {
		t.Fatalf("seed: exit %d %q %q", code, out, errs)
	}
	file := filepath.Join(t.TempDir(), "out.csv")
	if code, _, errs := run(t, env, "export", "--form", "necesidades-informacion", "--format", "csv", "--out", file); code != 0 {
		t.Fatalf("export: exit %d %s", code, errs)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Error("CSV lacks the UTF-8 byte-order mark Excel needs")
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 61 || rows[0][0] != "id" {
		t.Fatalf("rows %d, header %v", len(rows), rows[0][:3])
	}
	header := strings.Join(rows[0], ",")
	if strings.Contains(header, "email") || strings.Contains(header, "phone") {
		t.Errorf("contact columns exported without --contacts: %s", header)
	}
	departments := map[string]bool{}
	for _, r := range rows[1:] {
		if r[0] == "" {
			t.Fatal("a response without id")
		}
		departments[r[8]] = true
	}
	if len(departments) < 5 {
		t.Errorf("seeded answers not spread over departments: %v", departments)
	}
	if code, _, _ := run(t, env, "seed", "--form", "nope", "--n", "1"); code != 1 {
		t.Errorf("seed of an unknown form: exit %d", code)
	}
}

func TestBadConfigStopsWithOneLine(t *testing.T) {
	env := baseEnv(t)
	env["CONSULTA_RATE_LIMIT"] = "lots"
	code, _, errs := run(t, env, "serve")
	if code != 1 || !strings.Contains(errs, "CONSULTA_RATE_LIMIT") || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
}

func TestUnknownCommand(t *testing.T) {
	if code, _, errs := run(t, nil, "frobnicate"); code != 2 || !strings.Contains(errs, "usage") {
		t.Fatalf("exit %d %q", code, errs)
	}
}
