package xlsform

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/forms"
)

// replyForm is a hand-written XLSForm of a suggestion box that asks for a
// way to reply: required expressions (two Consulta can carry, two it
// cannot) and the form's minimum fill time in the settings sheet, as a
// spreadsheet stores a number.
func replyForm(t *testing.T, minFill any) []byte {
	return xlsx(t, map[string][][]any{
		"survey": {
			{"type", "name", "label::Español (es)", "required", "relevant"},
			/* 2 */ {"text", "sugerencia", "Su sugerencia", "yes"},
			/* 3 */ {"select_one sino", "respuesta", "¿Desea que le respondamos?", "yes"},
			/* 4 */ {"text", "correo", "Correo electrónico", "", "${respuesta} = 'yes'"},
			/* 5 */ {"text", "telefono", "Teléfono", "${respuesta} = 'yes' and ${correo} = ''", "${respuesta} = 'yes'"},
			/* 6 */ {"decimal", "edad", "Edad", "${sugerencia} != '' or ${respuesta} = 'no'"},
			/* 7 */ {"text", "escuela", "Escuela", "${edad} > 17"},
			/* 8 */ {"text", "antes", "Antes", "${despues} != ''"},
			/* 9 */ {"text", "despues", "Después"},
		},
		"choices": {
			{"list_name", "name", "label::Español (es)"},
			{"sino", "yes", "Sí"}, {"sino", "no", "No"},
		},
		"settings": {
			{"form_title", "form_id", "consulta_min_fill_time"},
			{"Buzón", "buzon", minFill},
		},
	})
}

// TestImportRequiredIfAndMinFillTime imports a hand-written XLSForm: the
// required expressions that read as relevant ones become required_if, the
// others are listed and leave the question optional, and the settings'
// consulta_min_fill_time becomes the form's min_fill_time.
func TestImportRequiredIfAndMinFillTime(t *testing.T) {
	res, err := Import(bytes.NewReader(replyForm(t, 0)), Options{FileName: "buzon.xlsx", Languages: consultaLanguages(t)})
	if err != nil {
		t.Fatalf("import: %v %+v", err, res)
	}
	f := res.Form
	if f.MinFillTime == nil || *f.MinFillTime != 0 {
		t.Errorf("min_fill_time = %v, want 0s", f.MinFillTime)
	}
	no, yes := false, true
	want := map[string]*forms.Condition{
		"telefono": {All: []*forms.Condition{{Question: "respuesta", Equals: true}, {Question: "correo", Answered: &no}}},
		"edad":     {Any: []*forms.Condition{{Question: "sugerencia", Answered: &yes}, {Question: "respuesta", Equals: false}}},
	}
	for _, q := range f.Questions {
		if !reflect.DeepEqual(q.RequiredIf, want[q.ID]) {
			t.Errorf("%s required_if = %s, want %s", q.ID, condString(q.RequiredIf), condString(want[q.ID]))
		}
		if q.Required != (q.ID == "sugerencia" || q.ID == "respuesta") {
			t.Errorf("%s required = %v", q.ID, q.Required)
		}
	}
	var items []item
	for _, s := range res.Skipped {
		items = append(items, item{s.Sheet, s.Row, s.Column, s.Code})
	}
	wantItems := []item{
		{"survey", 7, "required", "required_expression"}, // ">": no condition of Consulta's
		{"survey", 8, "required", "required_expression"}, // a later question
	}
	if !reflect.DeepEqual(items, wantItems) {
		t.Errorf("skipped:\ngot  %+v\nwant %+v", items, wantItems)
	}

	// The form asks what the XLSForm asks: "yes" to a reply with neither
	// an e-mail nor a phone is refused on the phone; with an e-mail it is
	// accepted.
	answers := map[string]any{"sugerencia": "Más libros", "respuesta": true, "edad": 30.0}
	if _, _, errs := f.Validate(answers, nil); len(errs) != 1 || errs[0].Question != "telefono" {
		t.Errorf("a reply with no way to send it: %+v", errs)
	}
	answers["correo"] = "ana@example.org"
	if _, _, errs := f.Validate(answers, nil); len(errs) != 0 {
		t.Errorf("a reply by e-mail: %+v", errs)
	}
}

// TestImportMinFillTime reads consulta_min_fill_time as a duration or a
// number of seconds; a value out of range is listed and the form keeps the
// installation's minimum.
func TestImportMinFillTime(t *testing.T) {
	for _, c := range []struct {
		cell any
		want time.Duration // -1: none, listed
	}{{"3s", 3 * time.Second}, {"1m0s", time.Minute}, {5, 5 * time.Second}, {"2m", -1}, {"-1s", -1}, {"pronto", -1}} {
		res, err := Import(bytes.NewReader(replyForm(t, c.cell)), Options{FileName: "buzon.xlsx"})
		if err != nil {
			t.Fatalf("%v: import: %v", c.cell, err)
		}
		listed := false
		for _, s := range res.Skipped {
			listed = listed || (s.Sheet == "settings" && s.Column == "consulta_min_fill_time" && s.Code == "min_fill_time")
		}
		got := res.Form.MinFillTime
		switch {
		case c.want < 0 && (got != nil || !listed):
			t.Errorf("%v: min_fill_time %v, listed %v", c.cell, got, listed)
		case c.want >= 0 && (got == nil || *got != c.want || listed):
			t.Errorf("%v: min_fill_time %v, listed %v, want %v", c.cell, got, listed, c.want)
		}
	}
}
