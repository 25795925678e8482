package xlsform

import (
	"cmp"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/consulta/consulta/internal/forms"
)

// Options are what Import needs besides the file.
type Options struct {
	// ID, when set, is the form's id; otherwise the settings' form_id, or
	// the file's name, made an id.
	ID string
	// FileName is the name of the file, for the default id.
	FileName string
	// Languages are Consulta's languages. Texts in others are skipped (and
	// reported): Consulta would not show them.
	Languages []Language
}

// Result is what Import made of an XLSForm.
type Result struct {
	// Form is the form, valid: it parses back from forms.Encode.
	Form *forms.Form
	// Translations holds the translated texts by language tag, then by
	// message id (see forms.Form.Messages).
	Translations map[string]map[string]string
	// Skipped lists what was not carried over, or was carried over changed,
	// by sheet and row.
	Skipped []Skipped
}

// Skipped is one thing of an XLSForm that the form does not carry over, or
// carries over changed, and why.
type Skipped struct {
	Sheet  string // "survey", "choices" or "settings"
	Row    int    // the spreadsheet's row: 1 is the header, 0 the whole sheet
	Column string // the column's header; "" for the whole row
	// Code says why; the message that tells it is "xlsform.skip.<Code>",
	// with Params.
	Code   string
	Params map[string]any
}

// Import reads an XLSForm and makes a Consulta form of it, with the
// translations of its texts into Consulta's languages. Whatever it cannot
// carry over is left out and listed in Result.Skipped. It fails with
// ErrNothingUsable (and a Result holding Skipped alone) when not one
// question can be carried over, and with ErrTooLarge or another error when
// the file cannot be read.
func Import(r io.Reader, opt Options) (*Result, error) {
	if opt.ID != "" && !forms.ValidFormID(opt.ID) {
		return nil, fmt.Errorf("xlsform: %q is not a form id: use lowercase letters, digits and hyphens", opt.ID)
	}
	wb, err := readWorkbook(r)
	if err != nil {
		return nil, err
	}
	im := &importer{opt: opt, seen: map[string]bool{}, lists: map[string]*choiceList{},
		byName: map[string]ref{}, dropped: map[string]bool{}, ids: map[string]bool{},
		columns: map[string]*columnUse{}}
	return im.run(wb)
}

// importer is the state of one import.
type importer struct {
	opt     Options
	langs   langs
	plan    *langPlan
	skipped []Skipped
	seen    map[string]bool // skipped items already reported
	lists   map[string]*choiceList
	qs      []*pending
	byName  map[string]ref  // XLSForm name → the question carried over
	dropped map[string]bool // XLSForm names of questions not carried over
	ids     map[string]bool // question ids given
	columns map[string]*columnUse

	title, intro, description, thankYou text
}

// pending is a question being carried over.
type pending struct {
	q        *forms.Question
	index    int
	row      int
	name     string
	label    text
	help     text
	relevant []relevantSrc
	required relevantSrc       // a required expression, for required_if
	choices  map[string]string // XLSForm choice name → option value
	options  map[string]text   // option value → its label in every language
	used     []string          // appearances that were carried over
	joined   bool              // a geo's municipality question was met
}

// ref is what an XLSForm name stands for: a question, or one of the two
// questions of a geo (part).
type ref struct {
	p    *pending
	part bool
}

// relevantSrc is one relevant expression that applies to a question: its
// own, or that of a group around it.
type relevantSrc struct {
	row  int
	expr string
}

// columnUse counts the rows of carried questions that fill a column
// Consulta does not use.
type columnUse struct {
	sheet, header string
	first, count  int
}

// skip records a skipped item once; params are name/value pairs.
func (im *importer) skip(sheetName string, row int, column, code string, params ...any) {
	key := fmt.Sprint(sheetName, row, column, code, params)
	if im.seen[key] {
		return
	}
	im.seen[key] = true
	var p map[string]any
	for i := 0; i+1 < len(params); i += 2 {
		if p == nil {
			p = map[string]any{}
		}
		p[fmt.Sprint(params[i])] = params[i+1]
	}
	im.skipped = append(im.skipped, Skipped{Sheet: sheetName, Row: row, Column: column, Code: code, Params: p})
}

func (im *importer) run(wb workbook) (*Result, error) {
	res := &Result{}
	survey := wb[sheetSurvey]
	if survey == nil || len(survey.rows) == 0 {
		im.skip(sheetSurvey, 0, "", "no_survey")
		res.Skipped = im.skipped
		return res, ErrNothingUsable
	}
	for name := range wb {
		if name != sheetSurvey && name != sheetChoices && name != sheetSettings {
			im.skip(wb[name].name, 0, "", "sheet_unsupported")
		}
	}
	tables := map[string]*table{sheetSurvey: newTable(survey),
		sheetChoices: newTable(wb[sheetChoices]), sheetSettings: newTable(wb[sheetSettings])}
	settings := tables[sheetSettings]
	var settingsRow []string
	if len(settings.rows) > 0 {
		settingsRow = settings.rows[0]
	}
	im.planLanguages(tables, settings.get(settingsRow, colDefaultLang))
	im.readChoices(tables[sheetChoices])
	im.readSurvey(tables[sheetSurvey])
	if len(im.qs) == 0 {
		im.sortSkipped()
		res.Skipped = im.skipped
		return res, ErrNothingUsable
	}
	im.resolveConditions()
	f := im.form(settings, settingsRow)
	res.Translations = im.translations(f)
	im.reportColumns()
	im.sortSkipped()
	res.Skipped = im.skipped
	// What Import returns must load: read it back as the server will.
	data, err := forms.Encode(f, "")
	if err != nil {
		return nil, err
	}
	back, problems := forms.Parse(f.ID+".yaml", data)
	if problems != nil {
		return res, fmt.Errorf("xlsform: the form made from the XLSForm does not validate:\n%w", problems)
	}
	res.Form = back
	return res, nil
}

// sortSkipped orders the skipped items by sheet (survey, choices,
// settings, others) and row.
func (im *importer) sortSkipped() {
	rank := func(s string) int {
		switch s {
		case sheetSurvey:
			return 0
		case sheetChoices:
			return 1
		case sheetSettings:
			return 2
		}
		return 3
	}
	slices.SortStableFunc(im.skipped, func(a, b Skipped) int {
		return cmp.Or(cmp.Compare(rank(a.Sheet), rank(b.Sheet)), cmp.Compare(a.Row, b.Row))
	})
}

// form makes the form from the questions and the settings.
func (im *importer) form(settings *table, row []string) *forms.Form {
	f := &forms.Form{ID: im.formID(settings, row), Version: 1, Kind: forms.KindSurvey}
	if v := settings.get(row, colVersion); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			im.skip(sheetSettings, 2, colVersion, "version", "Version", v)
		} else {
			f.Version = n
		}
	}
	if k := settings.get(row, colKind); k != "" {
		if kind := forms.Kind(k); slices.Contains([]forms.Kind{forms.KindSuggestion, forms.KindNeedsAssessment, forms.KindPageFeedback, forms.KindSurvey}, kind) {
			f.Kind = kind
		} else {
			im.skip(sheetSettings, 2, colKind, "kind", "Kind", k)
		}
	}
	for _, o := range strings.Fields(settings.get(row, colOrigins)) {
		if err := forms.CheckOrigin(o); err != nil || slices.Contains(f.Origins, o) {
			im.skip(sheetSettings, 2, colOrigins, "origin", "Origin", o)
			continue
		}
		f.Origins = append(f.Origins, o)
	}
	// The title is the settings' form_title; its translations, which the
	// settings sheet cannot hold, are the intro note's.
	im.minFillTime(f, settings.get(row, colMinFillTime))
	im.title = im.text(settings, sheetSettings, 2, row, colFormTitle)
	if im.title.spanish == "" || im.title.spanish == im.intro.spanish {
		im.title.spanish, im.title.tr = cmp.Or(im.title.spanish, im.intro.spanish), im.intro.tr
	}
	if im.title.spanish == "" {
		im.title.spanish = f.ID
		im.skip(sheetSettings, 2, colFormTitle, "no_title", "Title", f.ID)
	}
	f.Title, f.Description, f.ThankYou = im.title.spanish, im.description.spanish, im.thankYou.spanish
	for _, p := range im.qs {
		f.Questions = append(f.Questions, p.q)
	}
	im.settingsColumns(settings, row)
	return f
}

// settingsKnown are the settings Import reads.
var settingsKnown = []string{colFormTitle, colFormID, "id_string", colVersion, colDefaultLang, colKind, colOrigins, colMinFillTime}

// minFillTime carries over the settings' consulta_min_fill_time: a duration
// as a form's min_fill_time is written ("0s", "3s", "1m0s"), or a whole
// number of seconds as a spreadsheet may store it.
func (im *importer) minFillTime(f *forms.Form, v string) {
	if v == "" {
		return
	}
	d, err := time.ParseDuration(v)
	if n, nerr := strconv.Atoi(v); nerr == nil {
		d, err = time.Duration(n)*time.Second, nil
	}
	if err != nil || d < 0 || d > forms.MaxMinFillTime {
		im.skip(sheetSettings, 2, colMinFillTime, "min_fill_time", "Value", v)
		return
	}
	f.MinFillTime = &d
}

// settingsColumns reports the settings that are set and not carried over.
func (im *importer) settingsColumns(settings *table, row []string) {
	for i, h := range settings.header {
		base, _ := splitHeader(h)
		if base == "" || strings.HasPrefix(base, "$") || slices.Contains(settingsKnown, base) || cell(row, i) == "" {
			continue
		}
		im.skip(sheetSettings, 2, strings.TrimSpace(h), "setting_unsupported")
	}
}

// formID is the id of the form: the option, else form_id made an id, else
// the file's name made one.
func (im *importer) formID(settings *table, row []string) string {
	if im.opt.ID != "" {
		return im.opt.ID
	}
	given := cmp.Or(settings.get(row, colFormID), settings.get(row, "id_string"))
	column := colFormID
	if given == "" {
		given, column = strings.TrimSuffix(filepath.Base(im.opt.FileName), filepath.Ext(im.opt.FileName)), ""
	}
	id := strings.Trim(strings.ReplaceAll(forms.OptionValueFrom(given), "_", "-"), "-")
	for strings.Contains(id, "--") {
		id = strings.ReplaceAll(id, "--", "-")
	}
	if id == "" || !forms.ValidFormID(id) {
		id = "formulario"
	}
	if column != "" && id != given {
		im.skip(sheetSettings, 2, column, "form_id", "Given", given, "ID", id)
	}
	return id
}

// translations gathers the translated texts by language and message id.
func (im *importer) translations(f *forms.Form) map[string]map[string]string {
	out := map[string]map[string]string{}
	put := func(id string, t text) {
		for tag, v := range t.tr {
			if out[tag] == nil {
				out[tag] = map[string]string{}
			}
			out[tag][id] = v
		}
	}
	put(f.TitleID(), im.title)
	put(f.DescriptionID(), im.description)
	put(f.ThankYouID(), im.thankYou)
	for _, p := range im.qs {
		put(f.LabelID(p.q), p.label)
		put(f.HelpID(p.q), p.help)
		for _, o := range p.q.Options {
			put(f.OptionID(p.q, o.Value), p.options[o.Value])
		}
	}
	return out
}

// reportColumns reports the columns Consulta does not use, once each, at
// the first row of a carried question that fills them.
func (im *importer) reportColumns() {
	uses := make([]*columnUse, 0, len(im.columns))
	for _, u := range im.columns {
		uses = append(uses, u)
	}
	slices.SortFunc(uses, func(a, b *columnUse) int { return cmp.Compare(a.first, b.first) })
	for _, u := range uses {
		im.skip(u.sheet, u.first, u.header, "column_unsupported", "Count", u.count)
	}
}
