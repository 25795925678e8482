package locale

import (
	"testing"
	"testing/fstest"
)

func TestLocalizerFallback(t *testing.T) {
	fsys := baseFS()
	// en: thanks.body translated from an older Spanish text, form.submit missing.
	fsys["en/ui.yaml"] = &fstest.MapFile{Data: []byte(
		"site.name: " + tr("Consulta", "Consulta") + "\n" +
			"thanks.body: " + tr("Recibimos su opinión.", "We got your opinion.") + "\n" +
			"form.blank: {hash: \"" + Hash("x") + "\", other: \"\"}\n")}
	// kek: a language added as files only, without CLDR plural rules.
	fsys["kek/language.yaml"] = &fstest.MapFile{Data: []byte(languageYAML("Q'eqchi'", "draft"))}
	fsys["kek/ui.yaml"] = &fstest.MapFile{Data: []byte(
		"form.submit: " + tr("Enviar", "Taqla") + "\n" +
			"form.error_summary: {hash: \"" + Hash("Hay {{.Count}} problemas") + "\", one: \"Wan jun\", other: \"Wankeb' {{.Count}}\"}\n")}
	tr := mustLoad(t, fsys)

	tests := []struct {
		lang, id string
		count    int // < 0: T, else N
		data     map[string]any
		want     string
	}{
		{"es", "form.submit", -1, nil, "Enviar"},
		{"en", "site.name", -1, nil, "Consulta"},
		{"en", "form.submit", -1, nil, "Enviar"},                  // missing: Spanish
		{"en", "thanks.body", -1, nil, "Recibimos su respuesta."}, // outdated: Spanish
		{"en", "form.blank", -1, nil, "form.blank"},               // no Spanish: the id
		{"en", "nope", -1, nil, "nope"},                           // unknown: the id
		{"es", "form.session", -1, map[string]any{"Code": "X7"}, "Grupo focal: X7"},
		{"en", "form.session", -1, map[string]any{"Code": "X7"}, "Grupo focal: X7"},
		{"es", "form.error_summary", 1, nil, "Hay un problema"},
		{"es", "form.error_summary", 3, nil, "Hay 3 problemas"},
		{"es", "form.error_summary", 0, nil, "Hay 0 problemas"},
		{"quc", "form.submit", -1, nil, "Chataqa'"},
		{"quc", "thanks.body", -1, nil, "Recibimos su respuesta."}, // missing in a draft
		{"quc", "form.error_summary", 1, nil, "K'o 1 k'ax"},        // only "other": every count
		{"quc", "form.error_summary", 4, nil, "K'o 4 k'ax"},
		{"kek", "form.submit", -1, nil, "Taqla"},
		{"kek", "form.error_summary", 1, nil, "Wan jun"},
		{"kek", "form.error_summary", 2, nil, "Wankeb' 2"},
		{"kek", "site.name", -1, nil, "Consulta"},
		{"xx", "form.submit", -1, nil, "Enviar"}, // unknown language: Spanish
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.id, func(t *testing.T) {
			l := tr.Localizer(tt.lang)
			var got string
			if tt.count < 0 {
				got = l.T(tt.id, tt.data)
			} else {
				got = l.N(tt.id, tt.count, tt.data)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLocalizerEnglishPlural(t *testing.T) {
	l := mustLoad(t, baseFS()).Localizer("en")
	if l.Lang() != "en" {
		t.Fatalf("Lang() = %q", l.Lang())
	}
	for count, want := range map[int]string{1: "There is a problem", 2: "There are 2 problems"} {
		if got := l.N("form.error_summary", count); got != want {
			t.Errorf("N(%d) = %q, want %q", count, got, want)
		}
	}
}

func TestLocalizerDataMerged(t *testing.T) {
	fsys := baseFS()
	fsys["es/ui.yaml"] = &fstest.MapFile{Data: []byte(`r: "entre {{.Min}} y {{.Max}} ({{.Count}})"`)}
	fsys["en/ui.yaml"] = &fstest.MapFile{}
	fsys["quc/ui.yaml"] = &fstest.MapFile{}
	l := mustLoad(t, fsys).Localizer("es")
	got := l.N("r", 7, map[string]any{"Min": 1}, map[string]any{"Max": 5})
	if want := "entre 1 y 5 (7)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if l.Lang() != "es" || mustLoad(t, fsys).Localizer("zz").Lang() != "es" {
		t.Error("an unknown language must give Spanish")
	}
}

func TestLocalizerForms(t *testing.T) {
	fsys := baseFS()
	fsys["en/forms/encuesta.yaml"] = &fstest.MapFile{Data: []byte(
		"form.encuesta.title: " + tr("Encuesta de prueba", "Test survey") + "\n" +
			"form.encuesta.q.tema.opt.b: " + tr("Becas", "Scholarships") + "\n" +
			"form.encuesta.q.tema.label: " + tr("Tema antiguo", "Old topic") + "\n")}
	l := mustLoad(t, fsys, surveyForm()).Localizer("en")
	tests := map[string]string{
		"form.encuesta.title":        "Test survey",
		"form.encuesta.q.tema.opt.b": "Scholarships",
		"form.encuesta.q.tema.opt.a": "Alimentación", // missing
		"form.encuesta.q.tema.label": "Tema",         // outdated
	}
	for id, want := range tests {
		t.Run(id, func(t *testing.T) {
			if got := l.T(id); got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}

func TestLocalizerConcurrentAndCheap(t *testing.T) {
	tr := mustLoad(t, baseFS())
	if allocs := testing.AllocsPerRun(100, func() { tr.Localizer("quc") }); allocs != 0 {
		t.Errorf("Localizer allocates %v times", allocs)
	}
	done := make(chan string)
	for i := range 8 {
		go func() {
			l := tr.Localizer([]string{"es", "en", "quc"}[i%3])
			got := ""
			for n := range 50 {
				got = l.N("form.error_summary", n) + l.T("form.session", map[string]any{"Code": n})
			}
			done <- got
		}()
	}
	for range 8 {
		if got := <-done; got == "" {
			t.Error("empty text")
		}
	}
}

// A translation whose template fails at run time (it parses, so Load accepts
// it) shows the Spanish text.
func TestLocalizerBrokenTranslation(t *testing.T) {
	fsys := baseFS()
	fsys["en/ui.yaml"] = &fstest.MapFile{Data: []byte(
		"form.session: " + tr("Grupo focal: {{.Code}}", "Focus group: {{.Code.Name}}") + "\n")}
	l := mustLoad(t, fsys).Localizer("en")
	if got, want := l.T("form.session", map[string]any{"Code": "AB12"}), "Grupo focal: AB12"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
