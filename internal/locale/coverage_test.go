package locale

import (
	"reflect"
	"testing"
	"testing/fstest"
)

// coverageFS has en with every kind of problem, for Check and Extract.
func coverageFS() fstest.MapFS {
	fsys := baseFS()
	fsys["en/ui.yaml"] = &fstest.MapFile{Data: []byte(
		"site.name: " + tr("Consulta", "Consulta") + "\n" +
			"thanks.body: " + tr("Recibimos su opinión.", "We got your opinion.") + "\n" +
			"form.session: " + tr("Grupo focal: {{.Code}}", "Focus group: {{.Code}}") + "\n" +
			"old.id: " + tr("Viejo", "Old") + "\n" +
			"form.encuesta.title: " + tr("Encuesta de prueba", "In the wrong file") + "\n")}
	fsys["en/forms/encuesta.yaml"] = &fstest.MapFile{Data: []byte(
		"form.encuesta.title: " + tr("Encuesta de prueba", "Test survey") + "\n" +
			"form.encuesta.q.edad.label: " + tr("¿Qué edad tiene?", "How old are you?") + "\n" +
			"form.encuesta.q.tema.label: " + tr("Tema", "Topic") + "\n" +
			"form.encuesta.q.tema.help: " + tr("Elija uno", "Choose one") + "\n" +
			"form.encuesta.q.tema.opt.b: " + tr("Becas", "Scholarships") + "\n" +
			"form.encuesta.q.tema.opt.a: " + tr("Alimentación", "School meals") + "\n")}
	fsys["en/forms/borrado.yaml"] = &fstest.MapFile{Data: []byte(
		"form.borrado.title: " + tr("Borrado", "Deleted") + "\n")}
	fsys["en/forms/README.md"] = &fstest.MapFile{Data: []byte("not a message file")}
	return fsys
}

func TestCheck(t *testing.T) {
	got := mustLoad(t, coverageFS(), surveyForm()).Check()
	want := []Coverage{
		{Language: Language{Tag: "es", Name: "Español", EnglishName: "Español", Status: "reviewed"}, Files: []FileCoverage{
			{Form: "", Path: "es/ui.yaml", Total: 5, Translated: 5},
			{Form: "encuesta", Path: "es/forms/encuesta.yaml", Total: 6, Translated: 6},
		}},
		{Language: Language{Tag: "en", Name: "English", EnglishName: "English", Status: "reviewed"}, Files: []FileCoverage{
			{Form: "", Path: "en/ui.yaml", Total: 5, Translated: 2,
				Missing: []string{"form.submit", "form.error_summary"}, Outdated: []string{"thanks.body"},
				Obsolete: []string{"old.id", "form.encuesta.title"}},
			{Form: "encuesta", Path: "en/forms/encuesta.yaml", Total: 6, Translated: 6},
			{Form: "borrado", Path: "en/forms/borrado.yaml", Obsolete: []string{"form.borrado.title"}},
		}},
		{Language: Language{Tag: "quc", Name: "K'iche'", EnglishName: "K'iche'", Status: "draft"}, Files: []FileCoverage{
			{Form: "", Path: "quc/ui.yaml", Total: 5, Translated: 2,
				Missing: []string{"site.name", "form.session", "thanks.body"}},
			{Form: "encuesta", Path: "quc/forms/encuesta.yaml", Total: 6,
				Missing: []string{"form.encuesta.title", "form.encuesta.q.edad.label", "form.encuesta.q.tema.label",
					"form.encuesta.q.tema.help", "form.encuesta.q.tema.opt.b", "form.encuesta.q.tema.opt.a"}},
		}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Check() =\n%+v\nwant\n%+v", got, want)
	}
	tests := []struct {
		lang              string
		complete          bool
		total, translated int
	}{
		{"es", true, 11, 11},
		{"en", false, 11, 8},
		{"quc", false, 11, 2},
	}
	for i, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			c := got[i]
			total, translated := c.Totals()
			if c.Tag != tt.lang || c.Complete() != tt.complete || total != tt.total || translated != tt.translated {
				t.Errorf("%s: Complete %v, Totals %d/%d", c.Tag, c.Complete(), translated, total)
			}
		})
	}
}

func TestCheckCompleteWithObsolete(t *testing.T) {
	fsys := baseFS()
	fsys["en/ui.yaml"] = &fstest.MapFile{Data: []byte(enUI + "gone: " + tr("x", "y") + "\n")}
	cov := mustLoad(t, fsys).Check()
	if en := cov[1]; en.Tag != "en" || !en.Complete() || len(en.Files[0].Obsolete) != 1 {
		t.Errorf("en = %+v: obsolete entries must not make it incomplete", en)
	}
}
