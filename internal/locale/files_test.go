package locale

import (
	"maps"
	"regexp"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"strings"
	"testing"

	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/locales"
)

// TestShippedInterfaceStrings checks locales/ itself: every language.yaml and
// message file is valid, English has every interface string of the Spanish
// source translated from its current text, and the draft K'iche' has only
// current entries.
func TestShippedInterfaceStrings(t *testing.T) {
	tr, err := Load(locales.FS, nil)
	if err != nil {
		t.Fatalf("Load(locales.FS): %v", err)
	}
	langs := map[string]Language{}
	for _, l := range tr.Languages() {
		langs[l.Tag] = l
	}
	for tag, status := range map[string]string{"es": StatusReviewed, "en": StatusReviewed, "quc": StatusDraft} {
		if langs[tag].Status != status {
			t.Errorf("%s: status %q, want %q", tag, langs[tag].Status, status)
		}
	}
	for _, c := range tr.Check() {
		ui := c.Files[0]
		t.Run(c.Tag, func(t *testing.T) {
			if ui.Path != c.Tag+"/ui.yaml" {
				t.Fatalf("first file %s", ui.Path)
			}
			if len(ui.Outdated) > 0 || len(ui.Obsolete) > 0 {
				t.Errorf("outdated %v, obsolete %v", ui.Outdated, ui.Obsolete)
			}
			if c.Status == StatusReviewed && len(ui.Missing) > 0 {
				t.Errorf("a reviewed language lacks %v", ui.Missing)
			}
			if c.Tag == "quc" && ui.Translated == 0 {
				t.Error("K'iche' has no interface string")
			}
		})
	}
}

// TestShippedStringsUsable renders every shipped message in every language
// with typical data: none may fail, and none may show its id.
func TestShippedStringsUsable(t *testing.T) {
	tr, err := Load(locales.FS, nil)
	if err != nil {
		t.Fatalf("Load(locales.FS): %v", err)
	}
	data := map[string]any{"Code": "AB12", "Min": 1, "Max": 5, "Question": "¿Pregunta?", "Value": "Sí"}
	for _, lang := range tr.Languages() {
		l := tr.Localizer(lang.Tag)
		for _, id := range tr.source.uiIDs() {
			data := withFields(data, tr.source.byID[id].msg)
			texts := []string{l.N(id, 1, data), l.N(id, 2, data)}
			if pluralText(tr.source.byID[id].msg) == "" { // T is for plain messages
				texts = append(texts, l.T(id, data))
			}
			for _, text := range texts {
				if text == id || text == "" || strings.Contains(text, "<no value>") || strings.Contains(text, "{{") {
					t.Errorf("%s %s: %q", lang.Tag, id, text)
				}
			}
		}
	}
}

// TestShippedForms checks the translations of the shipped forms (forms/):
// English complete and current, no language with obsolete form texts.
func TestShippedForms(t *testing.T) {
	registry, err := forms.LoadDir("../../forms")
	if err != nil {
		t.Fatalf("forms.LoadDir: %v", err)
	}
	tr, err := Load(locales.FS, registry.All())
	if err != nil {
		t.Fatalf("Load(locales.FS): %v", err)
	}
	for _, c := range tr.Check() {
		for _, f := range c.Files {
			if len(f.Obsolete) > 0 || len(f.Outdated) > 0 {
				t.Errorf("%s: outdated %v, obsolete %v", f.Path, f.Outdated, f.Obsolete)
			}
			if c.Tag == "en" && len(f.Missing) > 0 {
				t.Errorf("%s: missing %v", f.Path, f.Missing)
			}
		}
	}
}

// templateField finds the {{.Field}} references of a message.
var templateField = regexp.MustCompile(`{{\s*\.(\w+)`)

// withFields returns data plus a sample value for every field msg refers to, so
// that messages of any file can be rendered without knowing their data.
func withFields(data map[string]any, msg *i18n.Message) map[string]any {
	out := maps.Clone(data)
	for _, text := range []string{msg.Zero, msg.One, msg.Two, msg.Few, msg.Many, msg.Other} {
		for _, m := range templateField.FindAllStringSubmatch(text, -1) {
			if _, ok := out[m[1]]; !ok {
				out[m[1]] = "x"
			}
		}
	}
	return out
}

func TestTLReportsFallbackLanguage(t *testing.T) {
	tr, err := Load(locales.FS, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang, id, wantLang string
	}{
		{"es", "form.submit", "es"},
		{"en", "form.submit", "en"},
		{"quc", "form.submit", "quc"}, // translated in the K'iche' draft
		{"quc", "form.privacy", "es"}, // not yet: Spanish shows
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.id, func(t *testing.T) {
			text, lang := tr.Localizer(tt.lang).TL(tt.id)
			if lang != tt.wantLang || text == "" || text == tt.id {
				t.Fatalf("TL = %q, %q; want language %q", text, lang, tt.wantLang)
			}
		})
	}
}
