package xlsform

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
)

// ExportOptions are what Export needs besides the form.
type ExportOptions struct {
	// Languages are Consulta's languages, Spanish among them (else it is
	// named "Español"). A language other than Spanish gets columns only
	// when some text of the form is translated into it.
	Languages []Language
	// Text returns the current translation of a message into a language:
	// the form's texts (forms.Form.Messages) and the interface's "form.yes",
	// "form.no" and "form.municipality". ok is false when there is none;
	// for Spanish it returns the source.
	Text func(lang, id string) (text string, ok bool)
	// Geo is the catalog of departments and municipalities; forms with a
	// geo question need it.
	Geo *geo.Catalog
}

// Export writes form f as an XLSForm (survey, choices and settings sheets)
// that ODK Collect and KoboCollect can fill in offline, with the form's texts
// in every language it is translated into. The conventions are Import's, so
// that importing the file gives the same form back; docs/integrations.md
// lists them.
func Export(w io.Writer, f *forms.Form, opt ExportOptions) error {
	x, err := newExporter(f, opt)
	if err != nil {
		return err
	}
	for _, q := range f.Questions {
		if err := x.question(q); err != nil {
			return err
		}
	}
	if f.ThankYou != "" {
		x.survey.rows = append(x.survey.rows, x.surveyRow(map[string]string{colType: "note", colName: noteThankYou},
			x.texts(f.ThankYouID(), f.ThankYou), nil))
	}
	return writeWorkbook(w, []*sheet{x.survey, x.choices, x.settings()})
}

// exporter builds the sheets of one form.
type exporter struct {
	f       *forms.Form
	opt     ExportOptions
	langs   []Language // Spanish first, then the translations written
	survey  *sheet
	choices *sheet
	lists   map[string]bool // choice lists written
}

// surveyColumns are the survey sheet's columns after type and name and the
// texts.
var surveyColumns = []string{colRequired, colRelevant, colConstraint, colAppearance, colParameters, colChoiceFilt, colPersonal}

func newExporter(f *forms.Form, opt ExportOptions) (*exporter, error) {
	if opt.Text == nil {
		opt.Text = func(lang, id string) (string, bool) { return "", false }
	}
	x := &exporter{f: f, opt: opt, lists: map[string]bool{}}
	x.langs = []Language{{Tag: "es", Name: "Español"}}
	messages := f.Messages()
	for _, l := range opt.Languages {
		if l.Tag == "es" {
			x.langs[0] = l
			continue
		}
		for id := range messages {
			if _, ok := opt.Text(l.Tag, id); ok {
				x.langs = append(x.langs, l)
				break
			}
		}
	}
	x.survey = &sheet{name: sheetSurvey, header: []string{colType, colName}}
	x.choices = &sheet{name: sheetChoices, header: []string{colListName, colName}}
	for _, base := range []string{colLabel, colHint} {
		for _, l := range x.langs {
			x.survey.header = append(x.survey.header, base+"::"+l.header())
		}
	}
	x.survey.header = append(x.survey.header, surveyColumns...)
	for _, l := range x.langs {
		x.choices.header = append(x.choices.header, colLabel+"::"+l.header())
	}
	x.choices.header = append(x.choices.header, colDepartment)
	x.survey.rows = append(x.survey.rows, x.surveyRow(map[string]string{colType: "note", colName: noteIntro},
		x.texts(f.TitleID(), f.Title), x.texts(f.DescriptionID(), f.Description)))
	if hasGeo(f) && opt.Geo == nil {
		return nil, fmt.Errorf("xlsform: form %s has a geo question: the export needs the catalog", f.ID)
	}
	return x, nil
}

func hasGeo(f *forms.Form) bool {
	for _, q := range f.Questions {
		if q.Type == forms.TypeGeo {
			return true
		}
	}
	return false
}

// texts is a text in every language written: the translation where there is
// one, else an empty cell. (A copy of the Spanish would read back as a
// translation; ODK shows the default language's text for a missing one.)
func (x *exporter) texts(id, spanish string) []string {
	if spanish == "" {
		return nil
	}
	out := []string{spanish}
	for _, l := range x.langs[1:] {
		t, ok := x.opt.Text(l.Tag, id)
		if !ok {
			t = ""
		}
		out = append(out, t)
	}
	return out
}

// uiTexts is an interface message in every language written.
func (x *exporter) uiTexts(id, fallback string) []string {
	out := make([]string, len(x.langs))
	for i, l := range x.langs {
		t, ok := x.opt.Text(l.Tag, id)
		if !ok || t == "" {
			t = fallback
		}
		out[i] = t
	}
	return out
}

// surveyRow makes a row of the survey sheet from its cells by column, its
// labels and its hints (one per language written, or nil).
func (x *exporter) surveyRow(cells map[string]string, labels, hints []string) []string {
	row := []string{cells[colType], cells[colName]}
	for _, texts := range [][]string{labels, hints} {
		for i := range x.langs {
			v := ""
			if i < len(texts) {
				v = texts[i]
			}
			row = append(row, v)
		}
	}
	for _, c := range surveyColumns {
		row = append(row, cells[c])
	}
	return row
}

// choice adds a choice to a list.
func (x *exporter) choice(list, name string, labels []string, department string) {
	row := []string{list, name}
	for i := range x.langs {
		v := name
		if i < len(labels) {
			v = labels[i]
		}
		row = append(row, v)
	}
	x.choices.rows = append(x.choices.rows, append(row, department))
}

// question writes one question: a row of the survey sheet (two for a geo)
// and its choices.
func (x *exporter) question(q *forms.Question) error {
	f := x.f
	cells := map[string]string{colName: q.ID}
	if q.Required {
		cells[colRequired] = "yes"
	}
	if q.RequiredIf != nil {
		// XLSForm's required takes an expression as relevant does.
		req, err := x.relevant(q.RequiredIf)
		if err != nil {
			return fmt.Errorf("xlsform: question %s: required_if: %w", q.ID, err)
		}
		cells[colRequired] = req
	}
	if q.Personal {
		cells[colPersonal] = "yes"
	}
	if q.ShowIf != nil {
		rel, err := x.relevant(q.ShowIf)
		if err != nil {
			return fmt.Errorf("xlsform: question %s: %w", q.ID, err)
		}
		cells[colRelevant] = rel
	}
	labels, hints := x.texts(f.LabelID(q), q.Label), x.texts(f.HelpID(q), q.Help)
	var lim limits
	switch q.Type {
	case forms.TypeSingle, forms.TypeMultiple:
		x.choiceQuestion(q, cells)
		if q.Type == forms.TypeMultiple {
			lim.minChoice, lim.maxChoice = q.Min, q.Max
		}
	case forms.TypeText, forms.TypeTextarea, forms.TypeEmail, forms.TypePhone:
		cells[colType] = "text"
		lim.maxLength = q.MaxLength
		switch q.Type {
		case forms.TypeTextarea:
			cells[colAppearance] = "multiline"
		case forms.TypeEmail:
			lim.regex = regexEmail
		case forms.TypePhone:
			lim.regex = regexPhone
		}
	case forms.TypeScale:
		x.scale(q, cells)
	case forms.TypeRating:
		cells[colType], cells[colParameters] = "range", "start=0 end=10 step=1"
	case forms.TypeYesNo:
		cells[colType] = "select_one " + listYesNo
		x.yesNoList()
	case forms.TypeNumber:
		cells[colType] = "decimal"
		lim.min, lim.max = q.Min, q.Max
	case forms.TypeConsent:
		cells[colType] = "acknowledge"
	case forms.TypeGeo:
		x.geo(q, cells, labels, hints)
		return nil
	default:
		return fmt.Errorf("xlsform: question %s: type %s has no XLSForm", q.ID, q.Type)
	}
	cells[colConstraint] = lim.String()
	x.survey.rows = append(x.survey.rows, x.surveyRow(cells, labels, hints))
	return nil
}

// choiceQuestion writes a single or multiple question's type and list.
func (x *exporter) choiceQuestion(q *forms.Question, cells map[string]string) {
	if q.Type == forms.TypeSingle {
		cells[colType] = "select_one " + q.ID
		if q.Display == "select" {
			cells[colAppearance] = "minimal"
		}
	} else {
		cells[colType] = "select_multiple " + q.ID
		if q.Other {
			cells[colType] += " or_other"
		}
	}
	for _, o := range q.Options {
		x.choice(q.ID, o.Value, x.texts(x.f.OptionID(q, o.Value), o.Label), "")
	}
}

// scale writes a scale as a select_one of its points with the likert
// appearance; unlabelled points are labelled with their number.
func (x *exporter) scale(q *forms.Question, cells map[string]string) {
	cells[colType], cells[colAppearance] = "select_one "+q.ID, "likert"
	lo, hi := q.ScaleRange()
	labels := map[string][]string{}
	for _, o := range q.Options {
		labels[o.Value] = x.texts(x.f.OptionID(q, o.Value), o.Label)
	}
	for n := lo; n <= hi; n++ {
		v := strconv.Itoa(n)
		x.choice(q.ID, v, labels[v], "")
	}
}

// yesNoList writes the yes/no list once.
func (x *exporter) yesNoList() {
	if x.lists[listYesNo] {
		return
	}
	x.lists[listYesNo] = true
	x.choice(listYesNo, yesName, x.uiTexts("form.yes", "Sí"), "")
	x.choice(listYesNo, noName, x.uiTexts("form.no", "No"), "")
}

// geo writes a geo question as two select_one questions: the department
// (with the question's texts) and its municipality, filtered by it.
func (x *exporter) geo(q *forms.Question, cells map[string]string, labels, hints []string) {
	dep := q.ID + suffixDepartment
	cells[colName], cells[colType] = dep, "select_one "+listDepartment
	x.survey.rows = append(x.survey.rows, x.surveyRow(cells, labels, hints))
	mun := map[string]string{colType: "select_one " + listMunicipality, colName: q.ID + suffixMunicip,
		colRelevant: "${" + dep + "} != ''", colChoiceFilt: colDepartment + "=${" + dep + "}", colPersonal: cells[colPersonal]}
	x.survey.rows = append(x.survey.rows, x.surveyRow(mun, x.uiTexts("form.municipality", "Municipio"), nil))
	if x.lists[listDepartment] {
		return
	}
	x.lists[listDepartment] = true
	for _, d := range x.opt.Geo.Departments() {
		x.choice(listDepartment, d.Code, repeat(d.Name, len(x.langs)), "")
	}
	for _, d := range x.opt.Geo.Departments() {
		for _, m := range d.Municipalities {
			x.choice(listMunicipality, m.Code, repeat(m.Name, len(x.langs)), d.Code)
		}
	}
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// settings is the settings sheet.
func (x *exporter) settings() *sheet {
	f := x.f
	minFill := ""
	if f.MinFillTime != nil {
		minFill = f.MinFillTime.String()
	}
	return &sheet{name: sheetSettings,
		header: []string{colFormTitle, colFormID, colVersion, colDefaultLang, colKind, colOrigins, colMinFillTime},
		rows: [][]string{{f.Title, f.ID, strconv.Itoa(f.Version), x.langs[0].header(), string(f.Kind),
			strings.Join(f.Origins, " "), minFill}}}
}
