package locale

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/consulta/consulta/internal/forms"
)

func TestLanguagesOrder(t *testing.T) {
	fsys := baseFS()
	fsys["cak/language.yaml"] = &fstest.MapFile{Data: []byte(languageYAML("Kaqchikel", "draft"))}
	fsys["aa/language.yaml"] = &fstest.MapFile{Data: []byte(languageYAML("Afar", "draft"))}
	tr := mustLoad(t, fsys)
	var got []string
	for _, l := range tr.Languages() {
		got = append(got, l.Tag)
	}
	if want := []string{"es", "en", "aa", "cak", "quc"}; !reflect.DeepEqual(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	quc, ok := tr.Language("quc")
	if !ok || quc.Name != "K'iche'" || !quc.Draft() {
		t.Errorf("Language(quc) = %+v, %v", quc, ok)
	}
	if _, ok := tr.Language("fr"); ok {
		t.Error("Language(fr) found")
	}
}

func TestMatch(t *testing.T) {
	tr := mustLoad(t, baseFS())
	tests := []struct{ query, accept, want string }{
		{"", "", "es"},
		{"en", "", "en"},
		{"EN", "", "en"},
		{"en-US", "", "en"},
		{"quc", "en", "quc"},
		{"fr", "en-US,en;q=0.9", "en"},  // unsupported ?lang: the header decides
		{"gl", "en", "en"},              // ?lang is not guessed
		{"not a tag!", "quc-GT", "quc"}, // a bad ?lang is ignored
		{"", "es-GT,es;q=0.9", "es"},
		{"", "en-US", "en"},
		{"", "quc-GT, es;q=0.8", "quc"},
		{"", "fr-FR, de;q=0.9", "es"},
		{"", "de, en;q=0.5", "en"},
		{"", "kek", "es"},
		{"", "*", "es"},
		{"", ";;;garbage", "es"},
	}
	for _, tt := range tests {
		t.Run(tt.query+"|"+tt.accept, func(t *testing.T) {
			if got := tr.Match(tt.query, tt.accept); got != tt.want {
				t.Errorf("Match(%q, %q) = %q, want %q", tt.query, tt.accept, got, tt.want)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string // "" removes the file
		want  string
	}{
		{"no es", map[string]string{"es/language.yaml": "", "es/ui.yaml": ""}, "no es directory"},
		{"no language.yaml", map[string]string{"en/language.yaml": ""}, "locales/en/language.yaml"},
		{"bad status", map[string]string{"en/language.yaml": "name: E\nenglish_name: E\nstatus: done\n"}, `status must be "reviewed" or "draft"`},
		{"no name", map[string]string{"en/language.yaml": "english_name: E\nstatus: draft\n"}, "name is required"},
		{"unknown key", map[string]string{"en/language.yaml": "name: E\nenglish_name: E\nstatus: draft\nstate: x\n"}, "field state not found"},
		{"bad dir", map[string]string{"EN/language.yaml": languageYAML("E", "draft")}, `canonical tag "en"`},
		{"not a tag", map[string]string{"english/language.yaml": languageYAML("E", "draft")}, "not a language tag"},
		{"yaml syntax", map[string]string{"en/ui.yaml": "a: [\n"}, "locales/en/ui.yaml"},
		{"not a mapping", map[string]string{"en/ui.yaml": "- a\n"}, "locales/en/ui.yaml:1: expected a mapping"},
		{"no hash", map[string]string{"en/ui.yaml": "\nform.submit: Submit\n"}, "locales/en/ui.yaml:2: form.submit: a translation must be"},
		{"bad hash", map[string]string{"en/ui.yaml": "form.submit: {hash: sha1-12, other: x}\n"}, "locales/en/ui.yaml:1: form.submit: hash must be"},
		{"duplicate", map[string]string{"en/ui.yaml": "a: " + tr("a", "b") + "\na: " + tr("a", "c") + "\n"}, "locales/en/ui.yaml:2: a is already defined on line 1"},
		{"nested", map[string]string{"en/ui.yaml": "form:\n  submit: x\n"}, `locales/en/ui.yaml:2: form: unknown key "submit"`},
		{"unknown field", map[string]string{"en/ui.yaml": "a: {hash: \"" + Hash("a") + "\", other: x, otro: y}\n"}, `unknown key "otro"`},
		{"one without other", map[string]string{"en/ui.yaml": "a: {hash: \"" + Hash("a") + "\", one: x}\n"}, `"other" form is required`},
		{"bad template", map[string]string{"en/ui.yaml": "a: " + tr("a", "{{.Code") + "\n"}, "locales/en/ui.yaml:1: a: bad template"},
		{"es hash", map[string]string{"es/ui.yaml": "a: {hash: \"" + Hash("a") + "\", other: x}\n"}, "locales/es/ui.yaml:1: a: the Spanish source has no hash"},
		{"es empty", map[string]string{"es/ui.yaml": "a: \"\"\n"}, "is empty"},
		{"es bad template", map[string]string{"es/ui.yaml": "a: \"{{if}}\"\n"}, "bad template"},
		{"es forms dir", map[string]string{"es/forms/x.yaml": "a: b\n"}, "live in the form files"},
		{"bad id", map[string]string{"es/ui.yaml": "\"a b\": x\n"}, `"a b" is not a message id`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := baseFS()
			for name, data := range tt.files {
				if data == "" {
					delete(fsys, name)
				} else {
					fsys[name] = &fstest.MapFile{Data: []byte(data)}
				}
			}
			_, err := Load(fsys, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestLoadFormErrors(t *testing.T) {
	broken := surveyForm()
	broken.Title = "Encuesta {{"
	clash := surveyForm()
	clash.ID = "site"
	clash.Questions = nil
	fsys := baseFS()
	fsys["es/ui.yaml"] = &fstest.MapFile{Data: []byte("form.site.title: \"x\"\n")}
	tests := []struct {
		name  string
		forms []*forms.Form
		want  string
	}{
		{"bad template", []*forms.Form{broken}, "forms/encuesta.yaml: form.encuesta.title: bad template"},
		{"twice", []*forms.Form{surveyForm(), surveyForm()}, `form "encuesta" is given twice`},
		{"id clash with ui", []*forms.Form{clash}, "form.site.title is also in ui.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(fsys, tt.forms)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load error %v, want one containing %q", err, tt.want)
			}
		})
	}
}
