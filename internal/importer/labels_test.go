package importer

import (
	"reflect"
	"testing"

	"github.com/consulta/consulta/internal/locale"
	"github.com/consulta/consulta/locales"
)

// TestOptionsInEveryLanguage: a file typed by someone working in English or
// K'iche' names options by their translated labels, and the other choice
// as "Otro", "Other" or its K'iche' label; a word no language has is still
// refused.
func TestOptionsInEveryLanguage(t *testing.T) {
	fx := newFixture(t)
	f := fx.form(t, "necesidades-informacion")
	tr, err := locale.Load(locales.FS, fx.reg.All())
	if err != nil {
		t.Fatal(err)
	}
	im := *fx.im
	im.Translations = tr.Texts
	tests := []struct {
		name, file string
		role       string
		choices    []string
	}{
		{"English labels and Other", "role,location.department,location.municipality,info_sought,info_sought_other\nTeacher,1,101,\"School meals; other\",Becas\n",
			"docente", []string{"alimentacion_escolar", "other"}},
		{"Spanish Otro, accents and case ignored", "role;location.department;location.municipality;info_sought;info_sought_other\nDOCENTE;1;101;Otro, alimentacion escolar;Becas\n",
			"docente", []string{"alimentacion_escolar", "other"}},
		{"K'iche' other label", "role,location.department,location.municipality,info_sought,info_sought_other\nSchool principal,1,101,Jun chik,Becas\n",
			"director", []string{"other"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows, res := im.parse(Request{Form: f}, []byte(tc.file))
			if len(res.Errors) > 0 || len(rows) != 1 {
				t.Fatalf("problems %v, %d rows", problems(res.Errors), len(rows))
			}
			a := rows[0].response.Answers
			if a["role"] != tc.role || !reflect.DeepEqual(a["info_sought"], tc.choices) {
				t.Errorf("answers %#v", a)
			}
		})
	}
	_, res := im.parse(Request{Form: f}, []byte("role,location.department,location.municipality,info_sought\nAstronaut,1,101,docentes\n"))
	if got := problems(res.Errors); !reflect.DeepEqual(got, []problem{{2, "role", "not_an_option"}}) {
		t.Errorf("an unknown word: %v", got)
	}
	if res.Errors[0].Params["Value"] != "Astronaut" {
		t.Errorf("the refused cell is not named: %v", res.Errors[0].Params)
	}
	// Without translations, English labels are refused but "Other" is known.
	rows, res := fx.im.parse(Request{Form: f}, []byte("role,location.department,location.municipality,info_sought,info_sought_other\ndocente,1,101,Other,Becas\n"))
	if len(res.Errors) > 0 || !reflect.DeepEqual(rows[0].response.Answers["info_sought"], []string{"other"}) {
		t.Errorf("Other without translations: %v", problems(res.Errors))
	}
}
