package xlsform

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
	"github.com/consulta/consulta/internal/locale"
	"github.com/consulta/consulta/locales"
)

// xlsx writes sheets given as rows of cells (strings, or numbers as a
// spreadsheet program stores them) into an XLSX file, as a person would
// with a spreadsheet.
func xlsx(t *testing.T, sheets map[string][][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	first := true
	for _, name := range []string{"survey", "choices", "settings", "external_choices"} {
		rows, ok := sheets[name]
		if !ok {
			continue
		}
		if first {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
			first = false
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for i, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// consultaLanguages are the shipped languages.
func consultaLanguages(t *testing.T) []Language {
	t.Helper()
	langs, err := locale.ReadLanguages(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	var out []Language
	for _, l := range langs {
		out = append(out, Language{Tag: l.Tag, Name: l.Name, EnglishName: l.EnglishName})
	}
	return out
}

// partnerForm is an XLSForm as a partner might write it for Kobo: every
// construct Import carries over, and several it cannot.
func partnerForm(t *testing.T) []byte {
	survey := [][]any{
		{"type", "name", "label::Español (es)", "label::English (en)", "label::Kaqchikel (cak)", "label::Français",
			"hint::Español (es)", "hint::English (en)", "required", "relevant", "constraint", "appearance",
			"parameters", "choice_filter", "constraint_message::Español (es)", "consulta_personal", "$kuid"},
		/* 2 */ {"start", "start"},
		/* 3 */ {"today", "today"},
		/* 4 */ {"note", "consulta_intro", "Encuesta comunitaria", "Community survey", "", "", "Cuéntenos de su comunidad.", "Tell us about your community."},
		/* 5 */ {"begin_group", "datos", "Sus datos", "", "", "", "", "", "", "", "", "field-list"},
		/* 6 */ {"select_one sexo", "sexo", "Sexo", "Sex", "", "", "", "", "yes", "", "", "", "", "", "", "", "k1"},
		/* 7 */ {"integer", "edad", "Edad", "Age", "", "", "", "", "", "", ". >= 0 and . <= 120", "", "", "", "Edad inválida"},
		/* 8 */ {"end_group"},
		/* 9 */ {"select_multiple temas or_other", "temas", "Temas", "Topics", "", "", "Elija dos como máximo.", "Choose two at most.", "", "", "count-selected(.) <= 2"},
		/* 10 */ {"text", "temas_detalle", "Detalle", "Detail", "", "", "", "", "", "selected(${temas}, 'salud') or selected(${temas}, 'educacion')"},
		/* 11 */ {"select_one sino", "vacunado", "¿Está vacunado?", "Are you vaccinated?", "", "", "", "", "", "${sexo} = 'mujer' and ${edad} != ''"},
		/* 12 */ {"decimal", "ingreso", "Ingreso", "Income", "", "", "", "", "", "${edad} > 17"},
		/* 13 */ {"date", "fecha", "Fecha de la visita"},
		/* 14 */ {"range", "satisfaccion", "Satisfacción", "", "", "", "", "", "", "", "", "", "start=1 end=5 step=1"},
		/* 15 */ {"range", "nps", "¿Nos recomendaría?", "", "", "", "", "", "", "string-length(${comentario_previo}) > 0", "", "", "start=0 end=10"},
		/* 16 */ {"select_one acuerdo", "acuerdo", "¿Está de acuerdo?", "Do you agree?", "", "", "", "", "", "", "", "likert"},
		/* 17 */ {"text", "comentario", "Comentario", "Comment", "", "", "", "", "", "${acuerdo} = '5' or ${nps} = 10", "string-length(.) <= 500", "multiline"},
		/* 18 */ {"calculate", "total", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""},
		/* 19 */ {"text", "por_calculo", "Por cálculo", "", "", "", "", "", "", "${total} > 5"},
		/* 20 */ {"geopoint", "gps", "Ubicación GPS"},
		/* 21 */ {"begin_repeat", "hijos", "Hijos"},
		/* 22 */ {"text", "hijo_nombre", "Nombre"},
		/* 23 */ {"integer", "hijo_edad", "Edad"},
		/* 24 */ {"end_repeat"},
		/* 25 */ {"text", "Correo-Electronico", "Correo", "E-mail", "", "", "", "", "", "", `regex(., '^[^@\s]+@[^@\s]+\.[^@\s]+$')`, "", "", "", "", "yes"},
		/* 26 */ {"select_one consulta_department", "lugar_department", "¿Dónde vive?", "Where do you live?", "", "", "", "", "yes"},
		/* 27 */ {"select_one consulta_municipality", "lugar_municipality", "Municipio", "", "", "", "", "", "", "${lugar_department} != ''", "", "", "", "department=${lugar_department}"},
		/* 28 */ {"acknowledge", "acepto", "Acepto", "I agree", "", "", "", "", "yes", "${vacunado} = 'yes' and ${lugar_department} != ''"},
		/* 29 */ {"text", "complejo", "Complejo", "", "", "", "", "", "", "not(selected(${temas}, 'salud'))"},
		/* 30 */ {"select_one sexo", "sexo_otra", "Otra", "", "", "", "", "", "", "${temas} = 'salud'"},
		/* 31 */ {"note", "aviso", "Gracias por llegar hasta aquí"},
		/* 32 */ {"image", "foto", "Foto"},
		/* 33 */ {"select_one inexistente", "x", "X"},
		/* 34 */ {"text", "sin_label"},
		/* 35 */ {"text", "Edad", "Edad otra vez", "", "", "", "", "", "", "", "", "", "", "", "", "", ""},
		/* 36 */ {"text", "tarde", "Tarde", "", "", "", "", "", "", "${final} != ''"},
		/* 37 */ {"text", "final", "Final"},
		/* 38 */ {"note", "consulta_thank_you", "Gracias.", "Thank you."},
	}
	choices := [][]any{
		{"list_name", "name", "label::Español (es)", "label::English (en)", "department", "media::image"},
		{"sexo", "mujer", "Mujer", "Woman"},
		{"sexo", "hombre", "Hombre", "Man"},
		{"temas", "salud", "Salud", "Health"},
		{"temas", "educacion", "Educación", "Education"},
		{"temas", "Agua.Potable", "Agua potable", "Drinking water", "", "agua.png"},
		{"sino", "yes", "Sí", "Yes"},
		{"sino", "no", "No", "No"},
		{"acuerdo", 1, "Nada", "Not at all"},
		{"acuerdo", 2, "2"},
		{"acuerdo", 3, "3"},
		{"acuerdo", 4, "4"},
		{"acuerdo", 5, "Mucho", "Very much"},
		{"consulta_department", "01", "Guatemala"},
		{"consulta_department", "03", "Sacatepéquez"},
		{"consulta_municipality", "0101", "Guatemala", "", "01"},
		{"consulta_municipality", "0301", "Antigua Guatemala", "", "03"},
		{"sin_usar", "a b", "Nadie usa esta lista"},
	}
	settings := [][]any{
		{"form_title", "form_id", "version", "default_language", "style", "consulta_kind"},
		{"Encuesta comunitaria", "Encuesta_Comunitaria 2024", 2024031501, "Español (es)", "pages", "needs_assessment"},
	}
	return xlsx(t, map[string][][]any{"survey": survey, "choices": choices, "settings": settings,
		"external_choices": {{"list_name", "name"}, {"x", "y"}}})
}

// update rewrites the testdata files: go test ./internal/xlsform/ -run Testdata -update
var update = flag.Bool("update", false, "rewrite the testdata files")

// testdataFiles are XLSForms committed for the tests of the command line,
// and what makes them.
var testdataFiles = map[string]func(*testing.T) []byte{
	"testdata/partner.xlsx": partnerForm,
	"testdata/nothing.xlsx": nothingUsable,
}

// TestTestdata checks that the committed testdata files hold what their
// makers make (the bytes differ: a spreadsheet records its time).
func TestTestdata(t *testing.T) {
	for path, make := range testdataFiles {
		data := make(t)
		if *update {
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		committed, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (make it with -update)", err)
		}
		want, err := readWorkbook(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		got, err := readWorkbook(bytes.NewReader(committed))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s is out of date: run the test with -update", path)
		}
	}
}

// nothingUsable is an XLSForm with no question Consulta can ask.
func nothingUsable(t *testing.T) []byte {
	return xlsx(t, map[string][][]any{"survey": {
		{"type", "name", "label"},
		{"calculate", "x", ""},
		{"geopoint", "gps", "GPS"},
		{"begin_repeat", "r", "R"}, {"text", "t", "T"}, {"end_repeat"},
	}})
}

// item is the part of a Skipped a test checks.
type item struct {
	Sheet  string
	Row    int
	Column string
	Code   string
}

// TestImportPartnerForm imports an XLSForm with every supported construct
// and several unsupported ones: the form made loads and validates, each
// construct is carried over as docs/integrations.md says, and the list of
// what was not names the row, the column and why.
func TestImportPartnerForm(t *testing.T) {
	res, err := Import(bytes.NewReader(partnerForm(t)), Options{FileName: "comunidad.xlsx", Languages: consultaLanguages(t)})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	f := res.Form

	// The form loads from a forms directory as the server loads it.
	dir := t.TempDir()
	data, err := forms.Encode(f, "Importado para la prueba.")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, f.ID+".yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	reg, err := forms.LoadDir(dir)
	if err != nil {
		t.Fatalf("the form made does not load:\n%v\n%s", err, data)
	}
	f, _ = reg.Get("encuesta-comunitaria-2024")
	if f == nil {
		t.Fatalf("form id: got %v", reg.All()[0].ID)
	}
	if f.Title != "Encuesta comunitaria" || f.Description != "Cuéntenos de su comunidad." || f.ThankYou != "Gracias." ||
		f.Version != 2024031501 || f.Kind != forms.KindNeedsAssessment {
		t.Errorf("header: %q %q %q version %d kind %s", f.Title, f.Description, f.ThankYou, f.Version, f.Kind)
	}

	type shape struct {
		ID       string
		Type     forms.QuestionType
		Required bool
	}
	var got []shape
	for _, q := range f.Questions {
		got = append(got, shape{q.ID, q.Type, q.Required})
	}
	want := []shape{
		{"sexo", forms.TypeSingle, true}, {"edad", forms.TypeNumber, false}, {"temas", forms.TypeMultiple, false},
		{"temas_detalle", forms.TypeText, false}, {"vacunado", forms.TypeYesNo, false}, {"ingreso", forms.TypeNumber, false},
		{"fecha", forms.TypeText, false}, {"satisfaccion", forms.TypeScale, false}, {"nps", forms.TypeRating, false},
		{"acuerdo", forms.TypeScale, false}, {"comentario", forms.TypeTextarea, false}, {"por_calculo", forms.TypeText, false},
		{"correo_electronico", forms.TypeEmail, false}, {"lugar", forms.TypeGeo, true}, {"acepto", forms.TypeConsent, true},
		{"complejo", forms.TypeText, false}, {"sexo_otra", forms.TypeSingle, false}, {"sin_label", forms.TypeText, false},
		{"edad_2", forms.TypeText, false}, {"tarde", forms.TypeText, false}, {"final", forms.TypeText, false},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("questions:\ngot  %v\nwant %v", got, want)
	}

	q := func(id string) *forms.Question { return f.Question(id) }
	if e := q("edad"); e.Min == nil || *e.Min != 0 || e.Max == nil || *e.Max != 120 {
		t.Errorf("edad bounds: %v %v", e.Min, e.Max)
	}
	if m := q("temas"); !m.Other || m.Max == nil || *m.Max != 2 || len(m.Options) != 3 || m.Options[2].Value != "agua_potable" || m.Help != "Elija dos como máximo." {
		t.Errorf("temas: %+v", m)
	}
	if s := q("satisfaccion"); s.Min == nil || *s.Min != 1 || *s.Max != 5 || len(s.Options) != 0 {
		t.Errorf("satisfaccion: %+v", s)
	}
	if s := q("acuerdo"); !reflect.DeepEqual(s.Options, []forms.Option{{Value: "1", Label: "Nada"}, {Value: "5", Label: "Mucho"}}) {
		t.Errorf("acuerdo labels only its labelled points: %+v", s.Options)
	}
	if c := q("comentario"); c.MaxLength != 500 {
		t.Errorf("comentario max_length %d", c.MaxLength)
	}
	if c := q("correo_electronico"); !c.Personal || c.Label != "Correo" {
		t.Errorf("correo: %+v", c)
	}
	if c := q("sin_label"); c.Label != "sin_label" {
		t.Errorf("a question without label is labelled with its name: %q", c.Label)
	}

	yes := true
	conditions := map[string]*forms.Condition{
		"temas_detalle": {Question: "temas", In: []string{"salud", "educacion"}},
		"vacunado":      {All: []*forms.Condition{{Question: "sexo", Equals: "mujer"}, {Question: "edad", Answered: &yes}}},
		"comentario":    {Any: []*forms.Condition{{Question: "acuerdo", Equals: 5.0}, {Question: "nps", Equals: 10.0}}},
		"acepto":        {All: []*forms.Condition{{Question: "vacunado", Equals: true}, {Question: "lugar", Answered: &yes}}},
	}
	for _, qq := range f.Questions {
		if want := conditions[qq.ID]; !reflect.DeepEqual(qq.ShowIf, want) {
			t.Errorf("%s show_if = %s, want %s", qq.ID, condString(qq.ShowIf), condString(want))
		}
	}

	// Conditions work: a man is not asked whether he is vaccinated.
	answers, _, errs := f.Validate(map[string]any{"sexo": "hombre", "edad": 40.0, "vacunado": true,
		"lugar": map[string]any{"department": "03", "municipality": "0301"}}, nil)
	if len(errs) != 0 || answers["vacunado"] != nil {
		t.Errorf("validate: %v %v", answers, errs)
	}

	var items []item
	for _, s := range res.Skipped {
		items = append(items, item{s.Sheet, s.Row, s.Column, s.Code})
		if !slices.Contains(SkipCodes(), s.Code) {
			t.Errorf("code %q is not in SkipCodes", s.Code)
		}
	}
	wantItems := []item{
		{"survey", 1, "label::Kaqchikel (cak)", "language_unknown"},
		{"survey", 1, "label::Français", "language_unrecognised"},
		{"survey", 2, "type", "type_metadata"},
		{"survey", 3, "type", "type_metadata"},
		{"survey", 5, "", "group"},
		{"survey", 6, "$kuid", ""}, // never: Kobo's own columns are ignored
		{"survey", 7, "type", "integer"},
		{"survey", 7, "constraint_message::Español (es)", "column_unsupported"},
		{"survey", 12, "relevant", "relevant_operator"},
		{"survey", 13, "type", "date"},
		{"survey", 15, "relevant", "relevant_unknown"},
		{"survey", 18, "type", "type_calculate"},
		{"survey", 19, "relevant", "relevant_dropped"},
		{"survey", 20, "type", "type_geopoint"},
		{"survey", 21, "", "repeat"},
		{"survey", 25, "name", "renamed_question"},
		{"survey", 29, "relevant", "relevant_function"},
		{"survey", 30, "relevant", "relevant_whole_selection"},
		{"survey", 31, "type", "note"},
		{"survey", 32, "type", "type_unsupported"},
		{"survey", 33, "type", "list_missing"},
		{"survey", 34, "label", "no_label"},
		{"survey", 35, "name", "duplicate_name"},
		{"survey", 36, "relevant", "relevant_later"},
		{"choices", 6, "name", "renamed_choice"},
		{"choices", 6, "media::image", "choice_column"},
		{"external_choices", 0, "", "sheet_unsupported"},
		{"settings", 2, "form_id", "form_id"},
		{"settings", 2, "style", "setting_unsupported"},
	}
	for _, w := range wantItems {
		found := slices.Contains(items, w)
		if w.Code == "" {
			for _, it := range items {
				if it.Column == w.Column {
					t.Errorf("Kobo's own column %s reported: %+v", w.Column, it)
				}
			}
			continue
		}
		if !found {
			t.Errorf("missing skipped item %+v", w)
		}
	}
	for _, it := range items {
		if it.Sheet == "choices" && it.Row == 18 {
			t.Errorf("a list no question uses is reported: %+v", it)
		}
	}
	if t.Failed() {
		t.Logf("skipped: %+v", items)
	}

	en := res.Translations["en"]
	for id, text := range map[string]string{
		f.TitleID(): "Community survey", f.DescriptionID(): "Tell us about your community.", f.ThankYouID(): "Thank you.",
		f.LabelID(q("sexo")): "Sex", f.OptionID(q("sexo"), "mujer"): "Woman", f.HelpID(q("temas")): "Choose two at most.",
		f.OptionID(q("acuerdo"), "5"): "Very much", f.LabelID(q("lugar")): "Where do you live?",
	} {
		if en[id] != text {
			t.Errorf("English %s = %q, want %q", id, en[id], text)
		}
	}
	if len(res.Translations) != 1 {
		t.Errorf("translations into %d languages, want English alone", len(res.Translations))
	}
	// The translation file made from them loads beside the shipped ones.
	file, err := locale.EncodeFormFile(f, "", en)
	if err != nil {
		t.Fatal(err)
	}
	checkLoads(t, f, file)
}

// checkLoads loads the shipped translations plus form f and its English
// file, as a server with this form would.
func checkLoads(t *testing.T, f *forms.Form, enFile []byte) {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, locales.FS); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "en", "forms", f.ID+".yaml"), enFile, 0o644); err != nil {
		t.Fatal(err)
	}
	tr, err := locale.Load(os.DirFS(dir), []*forms.Form{f})
	if err != nil {
		t.Fatalf("translations do not load: %v", err)
	}
	if text, lang := tr.Localizer("en").TL(f.TitleID()); lang != "en" || text == "" {
		t.Errorf("English title = %q (%s)", text, lang)
	}
}

func condString(c *forms.Condition) string {
	if c == nil {
		return "none"
	}
	data, _ := json.Marshal(c)
	return string(data)
}

// TestImportNothingUsable: a file with no question Consulta can ask, or
// no survey sheet, or no spreadsheet at all, is refused.
func TestImportNothingUsable(t *testing.T) {
	onlyUnsupported := nothingUsable(t)
	res, err := Import(bytes.NewReader(onlyUnsupported), Options{})
	if !errors.Is(err, ErrNothingUsable) || res == nil || len(res.Skipped) != 3 {
		t.Errorf("only unsupported rows: err %v, result %+v", err, res)
	}
	noSurvey := xlsx(t, map[string][][]any{"choices": {{"list_name", "name", "label"}, {"a", "b", "c"}}})
	res, err = Import(bytes.NewReader(noSurvey), Options{})
	if !errors.Is(err, ErrNothingUsable) || len(res.Skipped) != 1 || res.Skipped[0].Code != "no_survey" {
		t.Errorf("no survey sheet: err %v, result %+v", err, res)
	}
	if _, err := Import(bytes.NewReader([]byte("type,name\ntext,a\n")), Options{}); err == nil || errors.Is(err, ErrNothingUsable) {
		t.Errorf("a CSV file: err %v", err)
	}
	big := bytes.Repeat([]byte("x"), MaxBytes+1)
	if _, err := Import(bytes.NewReader(big), Options{}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a file over the limit: err %v", err)
	}
	if _, err := Import(bytes.NewReader(onlyUnsupported), Options{ID: "No Vale"}); err == nil {
		t.Error("an invalid id was accepted")
	}
}

// TestImportPlainLabels reads an XLSForm with plain label columns and no
// settings: the texts are Spanish, the id comes from the file name, the
// kind is survey.
func TestImportPlainLabels(t *testing.T) {
	file := xlsx(t, map[string][][]any{
		"survey": {
			{"type", "name", "label", "hint", "required"},
			{"select one si_no", "asiste", "¿Asiste a la escuela?", "", "TRUE"},
			{"select all that apply razones", "razones", "Razones", "Marque las que quiera", ""},
			{"text", "otra", "Otra razón", "", "${asiste} = 'no'"},
		},
		"choices": {
			{"list name", "name", "label"},
			{"si_no", "si", "Sí"}, {"si_no", "no", "No"},
			{"razones", "distancia", "Distancia"}, {"razones", "costo", "Costo"},
		},
	})
	res, err := Import(bytes.NewReader(file), Options{FileName: "Asistencia Escolar.xlsx"})
	if err != nil {
		t.Fatalf("import: %v %+v", err, res)
	}
	f := res.Form
	if f.ID != "asistencia-escolar" || f.Kind != forms.KindSurvey || f.Title != "asistencia-escolar" || f.Version != 1 {
		t.Errorf("form %s kind %s title %q version %d", f.ID, f.Kind, f.Title, f.Version)
	}
	if q := f.Question("asiste"); q.Type != forms.TypeYesNo || !q.Required {
		t.Errorf("asiste: %+v", q)
	}
	if q := f.Question("razones"); q.Type != forms.TypeMultiple || q.Help != "Marque las que quiera" || len(q.Options) != 2 {
		t.Errorf("razones: %+v", q)
	}
	// "${asiste} = 'no'" sat in the required column: a required_if.
	if q := f.Question("otra"); q.Required || !reflect.DeepEqual(q.RequiredIf, &forms.Condition{Question: "asiste", Equals: false}) {
		t.Errorf("otra: required %v, required_if %s", q.Required, condString(q.RequiredIf))
	}
	for _, s := range res.Skipped {
		if s.Code == "required_expression" {
			t.Errorf("skipped: %+v", s)
		}
	}
	if len(res.Translations) != 0 {
		t.Errorf("translations: %v", res.Translations)
	}
}

// TestImportNotSpanish: an XLSForm in English alone keeps its texts as the
// source, and says so.
func TestImportNotSpanish(t *testing.T) {
	file := xlsx(t, map[string][][]any{
		"survey":   {{"type", "name", "label::English (en)"}, {"text", "name", "Your name"}},
		"settings": {{"form_title", "form_id", "version"}, {"Intake", "intake", "v3"}},
	})
	res, err := Import(bytes.NewReader(file), Options{ID: "mi-form", Languages: consultaLanguages(t)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Form.ID != "mi-form" || res.Form.Question("name").Label != "Your name" || res.Form.Version != 1 {
		t.Errorf("form: %+v", res.Form)
	}
	var codes []string
	for _, s := range res.Skipped {
		codes = append(codes, s.Code)
	}
	if !slices.Contains(codes, "source_not_spanish") || !slices.Contains(codes, "version") {
		t.Errorf("codes: %v", codes)
	}
}

// TestExportNeedsCatalog: a geo question cannot be written without the
// catalog of departments.
func TestExportNeedsCatalog(t *testing.T) {
	f, problems := forms.Parse("g.yaml", []byte("id: g\nversion: 1\nkind: survey\ntitle: G\nquestions:\n  - {id: l, type: geo, label: L}\n"))
	if problems != nil {
		t.Fatal(problems)
	}
	if err := Export(&bytes.Buffer{}, f, ExportOptions{}); err == nil {
		t.Error("exported a geo question without the catalog")
	}
	cat, err := geo.Load()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Export(&buf, f, ExportOptions{Geo: cat}); err != nil {
		t.Fatal(err)
	}
	wb, err := readWorkbook(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(wb["choices"].rows); n != 22+340 {
		t.Errorf("%d choices, want 22 departments and 340 municipalities", n)
	}
}
