package xlsform

import (
	"slices"
	"strconv"
	"strings"

	"github.com/consulta/consulta/internal/forms"
)

// surveyKnown are the columns of the survey sheet Import reads.
var surveyKnown = []string{colType, colName, colLabel, colHint, colRequired, colRelevant,
	colConstraint, colAppearance, colParameters, colChoiceFilt, colPersonal}

// Question types of XLSForm that are no question Consulta can ask.
var (
	metadataTypes = []string{"start", "end", "today", "deviceid", "subscriberid", "simserial",
		"phonenumber", "username", "email", "audit", "start-geopoint", "background-audio", "background-geopoint"}
	calculateTypes = []string{"calculate", "hidden"}
	geopointTypes  = []string{"geopoint", "geotrace", "geoshape", "gps"}
)

// group is a group the survey walk is in.
type group struct {
	row      int
	relevant string
}

// readSurvey walks the survey sheet: groups are flattened (their relevant
// applies to each question inside), repeats are skipped whole.
func (im *importer) readSurvey(t *table) {
	var groups []group
	for i := 0; i < len(t.rows); i++ {
		row, n := t.rows[i], rowNumber(i)
		if blankRow(row) {
			continue
		}
		words := typeWords(t.get(row, colType))
		switch {
		case len(words) == 0:
			im.skip(sheetSurvey, n, colType, "no_type")
		case words[0] == "begin_group":
			groups = append(groups, group{row: n, relevant: t.get(row, colRelevant)})
			im.skip(sheetSurvey, n, "", "group")
		case words[0] == "end_group":
			if len(groups) > 0 {
				groups = groups[:len(groups)-1]
			}
		case words[0] == "begin_repeat":
			end := repeatEnd(t, i)
			im.skip(sheetSurvey, n, "", "repeat", "End", rowNumber(end), "Count", end-i-1)
			im.dropNames(t, i, end)
			i = end
		case words[0] == "end_repeat":
		default:
			im.surveyRow(t, n, row, words, groups)
		}
	}
}

// typeWords reads a type cell: lowercased words, with the spelled-out
// forms ("select one", "select all that apply", "begin group") made the
// usual ones.
func typeWords(typ string) []string {
	s := strings.Join(strings.Fields(strings.ToLower(typ)), " ")
	for _, r := range [][2]string{{"select all that apply", "select_multiple"},
		{"select one", "select_one"}, {"select multiple", "select_multiple"},
		{"begin group", "begin_group"}, {"end group", "end_group"},
		{"begin repeat", "begin_repeat"}, {"end repeat", "end_repeat"}} {
		if s == r[0] || strings.HasPrefix(s, r[0]+" ") {
			s = r[1] + s[len(r[0]):]
		}
	}
	return strings.Fields(s)
}

// repeatEnd is the index of the row that ends the repeat begun at row i (or
// the last row).
func repeatEnd(t *table, i int) int {
	depth := 0
	for j := i; j < len(t.rows); j++ {
		switch w := typeWords(t.get(t.rows[j], colType)); {
		case len(w) == 0:
		case w[0] == "begin_repeat":
			depth++
		case w[0] == "end_repeat":
			if depth--; depth == 0 {
				return j
			}
		}
	}
	return len(t.rows) - 1
}

// dropNames records the names of rows from..to as not carried over.
func (im *importer) dropNames(t *table, from, to int) {
	for j := from; j <= to && j < len(t.rows); j++ {
		if name := t.get(t.rows[j], colName); name != "" {
			im.dropped[name] = true
		}
	}
}

// surveyRow carries over one row that is not a group.
func (im *importer) surveyRow(t *table, n int, row []string, words []string, groups []group) {
	name := t.get(row, colName)
	base := words[0]
	drop := func(code string, params ...any) {
		im.dropped[name] = true
		im.skip(sheetSurvey, n, colType, code, append([]any{"Type", base}, params...)...)
	}
	switch {
	case base == "note":
		im.note(t, n, row, name)
		return
	case slices.Contains(metadataTypes, base):
		drop("type_metadata")
		return
	case slices.Contains(calculateTypes, base):
		drop("type_calculate")
		return
	case slices.Contains(geopointTypes, base):
		drop("type_geopoint")
		return
	case name == "":
		im.skip(sheetSurvey, n, colName, "no_name")
		return
	}
	var p *pending
	switch base {
	case "select_one", "select_multiple":
		p = im.selectQuestion(t, n, row, words)
	case "text", "string":
		p = im.newQuestion(t, n, row, forms.TypeText)
		if im.appearance(t, row, p, "multiline") {
			p.q.Type = forms.TypeTextarea
		}
	case "integer", "int":
		p = im.newQuestion(t, n, row, forms.TypeNumber)
		im.skip(sheetSurvey, n, colType, "integer")
	case "decimal":
		p = im.newQuestion(t, n, row, forms.TypeNumber)
	case "range":
		p = im.rangeQuestion(t, n, row)
	case "date":
		p = im.newQuestion(t, n, row, forms.TypeText)
		im.skip(sheetSurvey, n, colType, "date")
	case "acknowledge", "trigger":
		p = im.newQuestion(t, n, row, forms.TypeConsent)
	default:
		drop("type_unsupported")
		return
	}
	if p == nil {
		im.dropped[name] = true
		return
	}
	im.finish(t, n, row, p, groups)
}

// note takes the notes that carry the title, description and thank-you
// text; any other note is skipped.
func (im *importer) note(t *table, n int, row []string, name string) {
	switch name {
	case noteIntro:
		im.intro = im.text(t, sheetSurvey, n, row, colLabel)
		im.description = im.text(t, sheetSurvey, n, row, colHint)
	case noteThankYou:
		im.thankYou = im.text(t, sheetSurvey, n, row, colLabel)
	default:
		im.dropped[name] = true
		im.skip(sheetSurvey, n, colType, "note")
	}
}

// newQuestion starts a question of the given type from a row: its id,
// texts, required and personal.
func (im *importer) newQuestion(t *table, n int, row []string, typ forms.QuestionType) *pending {
	name := t.get(row, colName)
	p := &pending{row: n, name: name, q: &forms.Question{ID: im.newID(name, n), Type: typ}}
	p.label = im.text(t, sheetSurvey, n, row, colLabel)
	if p.label.spanish == "" {
		p.label.spanish = name
		im.skip(sheetSurvey, n, colLabel, "no_label")
	}
	p.help = im.text(t, sheetSurvey, n, row, colHint)
	if hasReference(p.label.spanish) || hasReference(p.help.spanish) {
		im.skip(sheetSurvey, n, colLabel, "label_reference")
	}
	p.q.Label, p.q.Help = p.label.spanish, p.help.spanish
	switch r := t.get(row, colRequired); strings.ToLower(r) {
	case "yes", "true", "true()", "1", "sí", "si":
		p.q.Required = true
	case "", "no", "false", "false()", "0":
	default: // an expression: required_if, once the questions are known
		p.required = relevantSrc{row: n, expr: r}
	}
	if v, ok := yesNoName(t.get(row, colPersonal)); ok {
		p.q.Personal = v
	}
	return p
}

// newID makes a question id of an XLSForm name, reporting a rename.
func (im *importer) newID(name string, n int) string {
	id := forms.QuestionIDFrom(name)
	if id == "" || !forms.ValidQuestionID(id) {
		id = "q" + strconv.Itoa(n)
	}
	if id != strings.ToLower(name) {
		im.skip(sheetSurvey, n, colName, "renamed_question", "ID", id)
	}
	if im.ids[id] {
		base := id
		for k := 2; im.ids[id]; k++ {
			id = base + "_" + strconv.Itoa(k)
		}
		im.skip(sheetSurvey, n, colName, "duplicate_name", "ID", id)
	}
	im.ids[id] = true
	return id
}

// appearance reports whether the row's appearance holds word, and if so
// records it as carried over.
func (im *importer) appearance(t *table, row []string, p *pending, word string) bool {
	if slices.Contains(strings.Fields(strings.ToLower(t.get(row, colAppearance))), word) {
		p.used = append(p.used, word)
		return true
	}
	return false
}

// selectQuestion carries over select_one and select_multiple: a single,
// multiple, yes/no, scale or geo question.
func (im *importer) selectQuestion(t *table, n int, row []string, words []string) *pending {
	if len(words) < 2 {
		im.skip(sheetSurvey, n, colType, "no_list")
		return nil
	}
	listName, orOther := words[1], len(words) > 2 && words[2] == "or_other"
	l := im.lists[listName]
	if l == nil || len(l.choices) == 0 {
		im.skip(sheetSurvey, n, colType, "list_missing", "List", listName)
		return nil
	}
	im.use(l)
	one := words[0] == "select_one"
	if orOther && one {
		im.skip(sheetSurvey, n, colType, "select_one_other")
	}
	switch {
	case one && listName == listDepartment:
		return im.geoQuestion(t, n, row)
	case one && listName == listMunicipality && im.joinMunicipality(t, n, row):
		return nil
	case one && l.yesNo():
		return im.newQuestion(t, n, row, forms.TypeYesNo)
	}
	if lo, hi, ok := l.points(); ok && one {
		p := im.newQuestion(t, n, row, forms.TypeScale)
		if im.appearance(t, row, p, "likert") {
			return im.scale(p, l, lo, hi)
		}
		p.q.Type = forms.TypeSingle
		return im.choices(p, l, false)
	}
	typ := forms.TypeMultiple
	if one {
		typ = forms.TypeSingle
	}
	p := im.newQuestion(t, n, row, typ)
	if one && im.appearance(t, row, p, "minimal") {
		p.q.Display = "select"
	}
	return im.choices(p, l, orOther && !one)
}

// choices gives a single or multiple question the options of a list.
func (im *importer) choices(p *pending, l *choiceList, other bool) *pending {
	p.choices, p.options = map[string]string{}, map[string]text{}
	for _, c := range l.choices {
		label := c.label
		if label.spanish == "" {
			label.spanish = c.name
		}
		p.q.Options = append(p.q.Options, forms.Option{Value: c.value, Label: label.spanish})
		p.choices[c.name], p.options[c.value] = c.value, label
	}
	if other {
		if l.find(forms.OtherValue) != nil {
			im.skip(sheetSurvey, p.row, colType, "other_taken")
		} else {
			p.q.Other = true
			p.choices[forms.OtherValue] = forms.OtherValue
		}
	}
	return p
}

// scale makes p a scale over lo..hi: the points whose label is not just
// their number become its options.
func (im *importer) scale(p *pending, l *choiceList, lo, hi int) *pending {
	minV, maxV := float64(lo), float64(hi)
	p.q.Min, p.q.Max = &minV, &maxV
	p.choices, p.options = map[string]string{}, map[string]text{}
	for _, c := range l.choices {
		p.choices[c.name] = c.name
		if c.label.spanish == "" || c.label.spanish == c.name {
			continue
		}
		p.q.Options = append(p.q.Options, forms.Option{Value: c.name, Label: c.label.spanish})
		p.options[c.name] = c.label
	}
	return p
}

// rangeQuestion carries over a range: a rating when it is 0..10, a scale
// when it is whole numbers 2 to 11 points apart, else a number.
func (im *importer) rangeQuestion(t *table, n int, row []string) *pending {
	start, end, step := 1.0, 10.0, 1.0
	for _, kv := range strings.FieldsFunc(t.get(row, colParameters), func(r rune) bool { return r == ' ' || r == ',' || r == ';' }) {
		k, v, _ := strings.Cut(kv, "=")
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "start":
			start = f
		case "end":
			end = f
		case "step":
			step = f
		}
	}
	whole := start == float64(int(start)) && end == float64(int(end))
	switch {
	case step == 1 && start == 0 && end == 10:
		return im.newQuestion(t, n, row, forms.TypeRating)
	case step == 1 && whole && start >= 0 && end > start && end-start <= 10:
		p := im.newQuestion(t, n, row, forms.TypeScale)
		p.q.Min, p.q.Max = &start, &end
		return p
	}
	p := im.newQuestion(t, n, row, forms.TypeNumber)
	lo, hi := min(start, end), max(start, end)
	p.q.Min, p.q.Max = &lo, &hi
	im.skip(sheetSurvey, n, colParameters, "range_step", "Start", number(lo), "End", number(hi), "Step", number(step))
	return p
}

// geoQuestion carries over the department question of a geo pair.
func (im *importer) geoQuestion(t *table, n int, row []string) *pending {
	p := im.newQuestion(t, n, row, forms.TypeGeo)
	if id := strings.TrimSuffix(p.q.ID, suffixDepartment); id != p.q.ID && id != "" && !im.ids[id] && forms.ValidQuestionID(id) {
		delete(im.ids, p.q.ID)
		p.q.ID, im.ids[id] = id, true
	}
	return p
}

// joinMunicipality joins a municipality question to the geo question just
// before it; false when there is none to join.
func (im *importer) joinMunicipality(t *table, n int, row []string) bool {
	if len(im.qs) == 0 {
		return false
	}
	prev := im.qs[len(im.qs)-1]
	if prev.q.Type != forms.TypeGeo || prev.joined {
		return false
	}
	prev.joined = true
	name := t.get(row, colName)
	im.byName[name] = ref{p: prev, part: true}
	if r := strings.ToLower(t.get(row, colRequired)); r == "yes" || r == "true" || r == "true()" {
		im.skip(sheetSurvey, n, colRequired, "municipality_optional")
	}
	return true
}

// finish checks a question's constraint, appearance, relevant and other
// columns, and adds it to the form.
func (im *importer) finish(t *table, n int, row []string, p *pending, groups []group) {
	im.constraint(t, n, row, p)
	for _, word := range strings.Fields(strings.ToLower(t.get(row, colAppearance))) {
		if !slices.Contains(p.used, word) {
			im.skip(sheetSurvey, n, colAppearance, "appearance", "Appearance", word)
		}
	}
	if f := t.get(row, colChoiceFilt); f != "" {
		im.skip(sheetSurvey, n, colChoiceFilt, "choice_filter")
	}
	for _, g := range groups {
		if g.relevant != "" {
			p.relevant = append(p.relevant, relevantSrc{row: g.row, expr: g.relevant})
		}
	}
	if r := t.get(row, colRelevant); r != "" {
		p.relevant = append(p.relevant, relevantSrc{row: n, expr: r})
	}
	for i, h := range t.header {
		base, _ := splitHeader(h)
		if base == "" || strings.HasPrefix(base, "$") || slices.Contains(surveyKnown, base) || cell(row, i) == "" {
			continue
		}
		key := strings.TrimSpace(h)
		if im.columns[key] == nil {
			im.columns[key] = &columnUse{sheet: sheetSurvey, header: key, first: n}
		}
		im.columns[key].count++
	}
	p.index = len(im.qs)
	im.qs = append(im.qs, p)
	if _, taken := im.byName[p.name]; !taken {
		im.byName[p.name] = ref{p: p, part: p.q.Type == forms.TypeGeo}
	}
}
