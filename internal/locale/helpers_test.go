package locale

import (
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/consulta/consulta/internal/forms"
)

// tr is a translation entry of the Spanish text spanish, as YAML flow.
func tr(spanish, text string) string {
	return fmt.Sprintf("{hash: %q, other: %q}", Hash(spanish), text)
}

// language is a language.yaml.
func languageYAML(name, status string) string {
	return fmt.Sprintf("name: %q\nenglish_name: %q\nstatus: %s\n", name, name, status)
}

// baseFS is a small locales tree: es source with a plural, en complete, quc
// partial with a plural that gives only "other".
func baseFS() fstest.MapFS {
	return fstest.MapFS{
		"locales.go":        {Data: []byte("package locales\n")},
		"es/language.yaml":  {Data: []byte(languageYAML("Español", "reviewed"))},
		"es/ui.yaml":        {Data: []byte(esUI)},
		"en/language.yaml":  {Data: []byte(languageYAML("English", "reviewed"))},
		"en/ui.yaml":        {Data: []byte(enUI)},
		"quc/language.yaml": {Data: []byte(languageYAML("K'iche'", "draft"))},
		"quc/ui.yaml":       {Data: []byte(qucUI)},
	}
}

const esUI = `
site.name: "Consulta"
form.submit: "Enviar"
form.session: "Grupo focal: {{.Code}}"
form.error_summary:
  description: "box title"
  one: "Hay un problema"
  other: "Hay {{.Count}} problemas"
thanks.body: "Recibimos su respuesta."
`

var enUI = "site.name: " + tr("Consulta", "Consulta") + "\n" +
	"form.submit: " + tr("Enviar", "Submit") + "\n" +
	"form.session: " + tr("Grupo focal: {{.Code}}", "Focus group: {{.Code}}") + "\n" +
	"form.error_summary: {hash: " + fmt.Sprintf("%q", Hash("Hay {{.Count}} problemas")) +
	", one: \"There is a problem\", other: \"There are {{.Count}} problems\"}\n" +
	"thanks.body: " + tr("Recibimos su respuesta.", "We have received your response.") + "\n"

var qucUI = "form.submit: " + tr("Enviar", "Chataqa'") + "\n" +
	"form.error_summary: {hash: " + fmt.Sprintf("%q", Hash("Hay {{.Count}} problemas")) +
	", other: \"K'o {{.Count}} k'ax\"}\n"

// surveyForm is a form built in Go, as the forms package would load it.
func surveyForm() *forms.Form {
	return &forms.Form{
		ID:    "encuesta",
		Title: "Encuesta de prueba",
		Questions: []*forms.Question{
			{ID: "edad", Type: forms.TypeNumber, Label: "¿Qué edad tiene?"},
			{ID: "tema", Type: forms.TypeSingle, Label: "Tema", Help: "Elija uno",
				Options: []forms.Option{{Value: "b", Label: "Becas"}, {Value: "a", Label: "Alimentación"}}},
		},
		File: "forms/encuesta.yaml",
	}
}

// mustLoad loads fsys or fails the test.
func mustLoad(t *testing.T, fsys fstest.MapFS, formList ...*forms.Form) *Translator {
	t.Helper()
	tr, err := Load(fsys, formList)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return tr
}
