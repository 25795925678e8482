package forms

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func formSource(id string) string {
	return "id: " + id + "\nversion: 1\nkind: survey\ntitle: T\nquestions:\n" + yesnoQ
}

func TestLoadDir(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"b.yaml":       formSource("beta"),
		"a.yml":        formSource("alpha"),
		"notes.txt":    "not a form",
		".hidden.yaml": "not: [a form",
	})
	r, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range r.All() {
		ids = append(ids, f.ID)
	}
	if want := []string{"alpha", "beta"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("All() ids = %v, want %v", ids, want)
	}
	f, ok := r.Get("beta")
	if !ok || f.File != filepath.Join(dir, "b.yaml") {
		t.Errorf("Get(beta) = %v, %v", f, ok)
	}
	if _, ok := r.Get("gamma"); ok {
		t.Errorf("Get(gamma) found a form")
	}
}

func TestLoadDirProblems(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  func(dir string) []string
	}{
		{"every problem of every file", map[string]string{
			"a.yaml": "id: a\nversion: 0\nkind: survey\ntitle: T\nquestions:\n" + yesnoQ,
			"b.yaml": "id: b\nversion: 1\nkind: quiz\ntitle: T\nquestions:\n" + yesnoQ,
			"c.yaml": formSource("c"),
		}, func(dir string) []string {
			return []string{
				filepath.Join(dir, "a.yaml") + `:2: "version" must be 1 or more`,
				filepath.Join(dir, "b.yaml") + `:3: unknown kind "quiz" (use suggestion, needs_assessment, page_feedback or survey)`,
			}
		}},
		{"duplicate form ids", map[string]string{
			"one.yaml": formSource("same"),
			"two.yaml": formSource("same"),
		}, func(dir string) []string {
			return []string{filepath.Join(dir, "two.yaml") + `:1: duplicate form id "same" (also in ` + filepath.Join(dir, "one.yaml") + ")"}
		}},
		{"no form files", map[string]string{"readme.md": "# forms"}, func(dir string) []string {
			return []string{dir + ": no form files (*.yaml, *.yml) in this directory"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, tt.files)
			r, err := LoadDir(dir)
			var problems Problems
			if !errors.As(err, &problems) {
				t.Fatalf("LoadDir = %v, %v; want Problems", r, err)
			}
			var got []string
			for _, p := range problems {
				got = append(got, p.String())
			}
			if want := tt.want(dir); !reflect.DeepEqual(got, want) {
				t.Errorf("problems:\n got %q\nwant %q", got, want)
			}
		})
	}
}

func TestLoadDirMissing(t *testing.T) {
	_, err := LoadDir(filepath.Join(t.TempDir(), "nope"))
	var problems Problems
	if err == nil || errors.As(err, &problems) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadDir(missing) = %v, want a not-exist error", err)
	}
}

func TestNewRegistry(t *testing.T) {
	a, b, b2 := &Form{ID: "a"}, &Form{ID: "b"}, &Form{ID: "b", Version: 2}
	r := NewRegistry(b, a, b2)
	all := r.All()
	if len(all) != 2 || all[0] != a || all[1] != b2 {
		t.Errorf("All() = %v, want [a b2]", all)
	}
	all[0] = nil
	if r.All()[0] != a {
		t.Errorf("All() shares its slice with the registry")
	}
}

func TestProblemsError(t *testing.T) {
	ps := Problems{
		{File: "f.yaml", Line: 3, Message: "one"},
		{File: "f.yaml", Message: "whole file"},
	}
	if got, want := ps.Error(), "f.yaml:3: one\nf.yaml: whole file"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
