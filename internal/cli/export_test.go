package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/export"
	"github.com/consulta/consulta/internal/forms"
)

// TestExportFailureLeavesNoFile runs consulta export where it cannot finish:
// it exits non-zero with one line and leaves no file, partial or temporary.
func TestExportFailureLeavesNoFile(t *testing.T) {
	env := baseEnv(t)
	if code, out, errs := run(t, env, "seed", "--form", "sugerencias", "--n", "5", "--seed", "3"); code != 0 {
		t.Fatalf("seed: exit %d %q %q", code, out, errs)
	}
	dir := t.TempDir()
	taken := filepath.Join(dir, "taken.csv")
	if err := os.Mkdir(taken, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, out string
		args      []string
		code      int
	}{
		{"written, then cannot take its name", taken, nil, 1},
		{"directory missing", filepath.Join(dir, "nope", "x.csv"), nil, 1},
		{"unknown format", filepath.Join(dir, "x.xml"), []string{"--format", "xml"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"export", "--form", "sugerencias", "--out", tc.out}, tc.args...)
			code, _, errs := run(t, env, args...)
			if code != tc.code || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
				t.Errorf("exit %d, stderr %q: want %d and one line", code, errs, tc.code)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 {
				t.Errorf("files left: %v", entries)
			}
		})
	}
}

// TestExportToMidwayFailure: a store failing halfway leaves neither a partial
// file nor a temporary one, and an earlier file of that name as it was.
func TestExportToMidwayFailure(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "respuestas.csv")
	if err := os.WriteFile(out, []byte("old export\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	job := func(failure error) export.Job {
		return export.Job{Form: &forms.Form{ID: "f"}, Format: export.FormatCSV,
			Each: func(_ context.Context, fn func(*consulta.Response) error) error {
				for i := range 3 {
					if err := fn(&consulta.Response{ID: fmt.Sprintf("r%d", i), FormID: "f"}); err != nil {
						return err
					}
				}
				return failure
			}}
	}
	n, err := exportTo(context.Background(), job(consulta.Errorf(consulta.EUNAVAILABLE, "store: down")), out, nil)
	if err == nil || n != 3 || !strings.Contains(err.Error(), "failed after 3 responses") || !strings.Contains(err.Error(), "store: down") {
		t.Fatalf("n %d err %v", n, err)
	}
	if b, _ := os.ReadFile(out); string(b) != "old export\n" {
		t.Errorf("the earlier file became %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files left: %v", entries)
	}
	t.Run("success replaces it", func(t *testing.T) {
		if n, err := exportTo(context.Background(), job(nil), out, nil); n != 3 || err != nil {
			t.Fatalf("n %d err %v", n, err)
		}
		b, _ := os.ReadFile(out)
		if strings.Count(string(b), "\n") != 4 {
			t.Errorf("file %q", b)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("files left: %v", entries)
		}
	})
}
