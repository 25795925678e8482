package forms

import (
	"crypto/sha1"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gopkg.in/yaml.v3"
)

// shippedDir is the repository's forms directory, seen from this package.
const shippedDir = "../../forms"

// TestShippedForms loads forms/*.yaml as the server does: any problem fails.
func TestShippedForms(t *testing.T) {
	r, err := LoadDir(shippedDir)
	if err != nil {
		t.Fatalf("LoadDir(%s):\n%v", shippedDir, err)
	}
	want := map[string]Kind{
		"necesidades-informacion": KindNeedsAssessment,
		"sugerencias":             KindSuggestion,
		"utilidad-pagina":         KindPageFeedback,
	}
	for id, kind := range want {
		t.Run(id, func(t *testing.T) {
			f, ok := r.Get(id)
			if !ok {
				t.Fatalf("form %q not shipped", id)
			}
			if f.Kind != kind || f.Version < 1 || f.Description == "" || f.ThankYou == "" {
				t.Errorf("kind %q version %d, description %q, thank_you %q", f.Kind, f.Version, f.Description, f.ThankYou)
			}
			for _, origin := range []string{"https://www.mineduc.gob.gt", "https://mineduc.gob.gt"} {
				if !slices.Contains(f.Origins, origin) {
					t.Errorf("origin %s missing", origin)
				}
			}
			if filepath.Base(f.File) != id+".yaml" {
				t.Errorf("form %q lives in %s; name the file after the form id", id, f.File)
			}
		})
	}
}

// TestShippedFormsValidate checks that the shipped forms' contact questions
// behave as docs/forms.md describes: hidden until the person opts in, then consent.
func TestShippedFormsValidate(t *testing.T) {
	r, err := LoadDir(shippedDir)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		form      string
		raw       map[string]any
		wantCodes []string
	}{
		{"sugerencias", map[string]any{"message": "Publiquen el presupuesto por escuela."}, nil},
		{"sugerencias", map[string]any{}, []string{"message:required"}},
		{"sugerencias", map[string]any{"message": "x", "wants_reply": true, "email": "ana@example.org"}, []string{"consent:must_consent"}},
		{"sugerencias", map[string]any{"message": "x", "wants_reply": false, "email": "ana@example.org"}, nil},
		{"utilidad-pagina", map[string]any{"useful": false, "looking_for": "Listado de escuelas"}, nil},
		{"utilidad-pagina", map[string]any{"looking_for": "Listado de escuelas"}, []string{"useful:required"}},
		{"necesidades-informacion", map[string]any{
			"role": "periodista", "location": map[string]any{"department": "01"}, "info_sought": []any{"presupuesto"},
			"ease_find": 2.0, "focus_group": true, "phone": "5555 1234", "consent": true,
		}, nil},
		{"necesidades-informacion", map[string]any{"role": "docente"}, []string{"location:required", "info_sought:required"}},
	}
	for _, tt := range tests {
		t.Run(tt.form, func(t *testing.T) {
			f, _ := r.Get(tt.form)
			_, _, errs := f.Validate(tt.raw, nil)
			var codes []string
			for _, e := range errs {
				codes = append(codes, e.Question+":"+e.Code)
			}
			if !slices.Equal(codes, tt.wantCodes) {
				t.Errorf("errors %v, want %v", codes, tt.wantCodes)
			}
		})
	}
}

// translation is one entry of a go-i18n message file with a source hash.
type translation struct {
	Hash  string `yaml:"hash"`
	Other string `yaml:"other"`
}

// TestEnglishFormTranslations checks locales/en/forms/<form>.yaml against the
// shipped Spanish: the same ids, each hashed from the current Spanish text,
// none empty. It fails when a Spanish text changes without its translation.
func TestEnglishFormTranslations(t *testing.T) {
	r, err := LoadDir(shippedDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.All() {
		t.Run(f.ID, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("../../locales/en/forms", f.ID+".yaml"))
			if err != nil {
				t.Fatal(err)
			}
			var en map[string]translation
			if err := yaml.Unmarshal(data, &en); err != nil {
				t.Fatal(err)
			}
			for id, spanish := range f.Messages() {
				tr, ok := en[id]
				sum := sha1.Sum([]byte(spanish))
				switch {
				case !ok:
					t.Errorf("%s: missing", id)
				case tr.Hash != "sha1-"+hex.EncodeToString(sum[:]):
					t.Errorf("%s: outdated: hash %s does not match %q", id, tr.Hash, spanish)
				case tr.Other == "":
					t.Errorf("%s: empty translation", id)
				}
			}
			for id := range en {
				if _, ok := f.Messages()[id]; !ok {
					t.Errorf("%s: translated but not in the form", id)
				}
			}
		})
	}
}
