package forms

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"

	"gopkg.in/yaml.v3"
)

// OtherValue is the choice a multiple question with Other set records when the
// person ticks "other"; the text they write goes under Question.OtherID.
const OtherValue = "other"

var (
	questionIDPattern  = regexp.MustCompile(`^[a-z0-9_]+$`)
	optionValuePattern = regexp.MustCompile(`^[a-z0-9_-]+$`)
	questionKeys       = []string{"id", "type", "required", "label", "help", "options", "display", "other", "min", "max", "max_length", "personal", "show_if", "required_if"}
	optionKeys         = []string{"value", "label"}
	questionTypes      = []QuestionType{TypeSingle, TypeMultiple, TypeText, TypeTextarea, TypeScale, TypeRating, TypeYesNo, TypeNumber, TypeEmail, TypePhone, TypeGeo, TypeConsent}
)

// OtherID is the answer key of the free text of a multiple question's "other"
// choice: "<id>_other".
func (q *Question) OtherID() string { return q.ID + "_other" }

// rawQuestion is a decoded question with what the form-level checks need.
type rawQuestion struct {
	q          *Question
	idLine     int
	showIf     *entry
	requiredIf *entry
}

// questions decodes the question list, then the checks that need every
// question: duplicate ids, "other" ids that collide, and show_if conditions.
func (p *parser) questions(f *Form, e entry) {
	var raws []rawQuestion
	for _, item := range p.list(e, "questions") {
		if raw, ok := p.question(item); ok {
			raws = append(raws, raw)
			f.Questions = append(f.Questions, raw.q)
		}
	}
	if len(f.Questions) == 0 {
		p.add(e.line(), "the form has no questions")
		return
	}
	index := make(map[string]int)
	for i, raw := range raws {
		if raw.q.ID == "" {
			continue
		}
		if first, dup := index[raw.q.ID]; dup {
			p.add(raw.idLine, "duplicate question id %q (first at line %d)", raw.q.ID, raws[first].idLine)
			continue
		}
		index[raw.q.ID] = i
	}
	for _, raw := range raws {
		if raw.q.Other && raw.q.Type == TypeMultiple {
			if _, taken := index[raw.q.OtherID()]; taken {
				p.add(raw.idLine, "question %q: its \"other\" text is answered as %q, which is already a question id", raw.q.ID, raw.q.OtherID())
			}
		}
	}
	for i, raw := range raws {
		sc := condScope{form: f, self: i, index: index, name: questionName(raw.q), key: "show_if"}
		if raw.showIf != nil {
			raw.q.ShowIf = p.condition(*raw.showIf, sc)
		}
		if raw.requiredIf != nil {
			sc.key = "required_if"
			raw.q.RequiredIf = p.condition(*raw.requiredIf, sc)
			if raw.q.Required {
				p.add(raw.requiredIf.line(), "%s: \"required_if\" has no use with required: true (always required)", sc.name)
			}
		}
	}
}

// questionName names a question in messages.
func questionName(q *Question) string {
	if q.ID == "" || !questionIDPattern.MatchString(q.ID) {
		return "question"
	}
	return fmt.Sprintf("question %q", q.ID)
}

// question decodes one question and checks what concerns it alone.
func (p *parser) question(item *yaml.Node) (rawQuestion, bool) {
	if item.Kind != yaml.MappingNode {
		p.add(item.Line, "each question must be a mapping (id, type, label...)")
		return rawQuestion{}, false
	}
	q := &Question{Line: item.Line}
	raw := rawQuestion{q: q, idLine: item.Line}
	e := p.entries(item, "question", questionKeys)
	if id, ok := e["id"]; !ok {
		p.add(item.Line, `question without "id"`)
	} else {
		q.ID, raw.idLine = p.str(id), id.line()
		if !questionIDPattern.MatchString(q.ID) {
			p.add(id.line(), "invalid question id %q: use lowercase letters, digits and underscores", q.ID)
		}
	}
	name := questionName(q)
	if t, ok := e["type"]; !ok {
		p.add(item.Line, `%s: missing "type" (%s)`, name, typeNames)
	} else if q.Type = QuestionType(p.str(t)); !slices.Contains(questionTypes, q.Type) {
		p.add(t.line(), "%s: unknown type %q (use %s)", name, q.Type, typeNames)
	}
	if l, ok := e["label"]; !ok {
		p.add(item.Line, `%s: missing "label"`, name)
	} else if q.Label = p.str(l); q.Label == "" {
		p.add(l.line(), `%s: empty "label"`, name)
	}
	p.questionFlags(q, e)
	if s, ok := e["show_if"]; ok {
		raw.showIf = &s
	}
	if r, ok := e["required_if"]; ok {
		raw.requiredIf = &r
	}
	if slices.Contains(questionTypes, q.Type) {
		p.typeRules(q, name, e)
	}
	return raw, true
}

// questionFlags decodes the plain-valued keys whose meaning does not depend
// on the type.
func (p *parser) questionFlags(q *Question, e map[string]entry) {
	if h, ok := e["help"]; ok {
		q.Help = p.str(h)
	}
	if r, ok := e["required"]; ok {
		q.Required = p.boolean(r)
	}
	if r, ok := e["personal"]; ok {
		q.Personal = p.boolean(r)
	}
	if o, ok := e["other"]; ok {
		q.Other = p.boolean(o)
	}
	if d, ok := e["display"]; ok {
		q.Display = p.str(d)
	}
	if m, ok := e["min"]; ok {
		if v, ok := p.number(m); ok {
			q.Min = &v
		}
	}
	if m, ok := e["max"]; ok {
		if v, ok := p.number(m); ok {
			q.Max = &v
		}
	}
	if m, ok := e["max_length"]; ok {
		q.MaxLength, _ = p.integer(m)
	}
}

// typeRules checks the keys whose use depends on the question type.
func (p *parser) typeRules(q *Question, name string, e map[string]entry) {
	if d, ok := e["display"]; ok {
		if q.Type != TypeSingle {
			p.add(d.line(), `%s: "display" is only for single questions`, name)
		} else if q.Display != "radio" && q.Display != "select" {
			p.add(d.line(), `%s: "display" must be radio or select`, name)
		}
	}
	if o, ok := e["other"]; ok && q.Other && q.Type != TypeMultiple {
		p.add(o.line(), `%s: "other" is only for multiple questions`, name)
	}
	if m, ok := e["max_length"]; ok {
		switch {
		case !isTextType(q.Type):
			p.add(m.line(), `%s: "max_length" is only for text, textarea, email and phone questions`, name)
		case q.MaxLength < 0:
			p.add(m.line(), `%s: "max_length" must be 0 (the default) or more`, name)
		}
	}
	p.limits(q, name, e)
	p.options(q, name, e)
}

func isTextType(t QuestionType) bool {
	return t == TypeText || t == TypeTextarea || t == TypeEmail || t == TypePhone
}

// limits checks min and max against the question type.
func (p *parser) limits(q *Question, name string, e map[string]entry) {
	minE, hasMin := e["min"]
	maxE, hasMax := e["max"]
	if !hasMin && !hasMax {
		return
	}
	line := minE.line
	if !hasMin {
		line = maxE.line
	}
	switch q.Type {
	case TypeScale, TypeMultiple:
		for _, b := range []*float64{q.Min, q.Max} {
			if b != nil && (*b != float64(int(*b)) || *b < 0) {
				p.add(line(), "%s: min and max of a %s question must be whole numbers, 0 or more", name, q.Type)
				return
			}
		}
	case TypeRating:
		if (q.Min != nil && *q.Min != ratingMin) || (q.Max != nil && *q.Max != ratingMax) {
			p.add(line(), "%s: a rating is always %d to %d: remove min and max", name, ratingMin, ratingMax)
		}
		return
	case TypeNumber:
	default:
		p.add(line(), "%s: min and max are only for scale, rating, number and multiple questions", name)
		return
	}
	if q.Min != nil && q.Max != nil && *q.Min > *q.Max {
		p.add(line(), "%s: min (%v) is greater than max (%v)", name, *q.Min, *q.Max)
		return
	}
	if q.Type == TypeScale {
		lo, hi := q.ScaleRange()
		switch {
		case lo >= hi:
			p.add(line(), "%s: a scale needs at least two points (it is %d..%d)", name, lo, hi)
		case hi-lo > 10:
			p.add(line(), "%s: a scale has at most 11 points (it is %d..%d)", name, lo, hi)
		}
	}
}

// The points of scales and ratings (docs/forms.md): a scale's Min and Max
// default to 1 and 5; a rating is always 0 to 10.
const (
	scaleMin, scaleMax   = 1, 5
	ratingMin, ratingMax = 0, 10
)

// ScaleRange is the range of the answers of a scale or a rating question,
// both ends included: a scale's Min..Max, by default 1..5, and a rating's
// 0..10. Other questions have none (0, 0). Every part of Consulta that needs
// these points (validation, form pages, batch entry, reports, seed, XLSForm)
// asks here.
func (q *Question) ScaleRange() (lo, hi int) {
	switch q.Type {
	case TypeRating:
		return ratingMin, ratingMax
	case TypeScale:
		lo, hi = scaleMin, scaleMax
		if q.Min != nil {
			lo = int(*q.Min)
		}
		if q.Max != nil {
			hi = int(*q.Max)
		}
		return lo, hi
	}
	return 0, 0
}

// options decodes and checks the options of a question.
func (p *parser) options(q *Question, name string, e map[string]entry) {
	o, ok := e["options"]
	if !ok {
		if q.Type == TypeSingle || q.Type == TypeMultiple {
			p.add(q.Line, "%s: a %s question needs options", name, q.Type)
		}
		return
	}
	if q.Type != TypeSingle && q.Type != TypeMultiple && q.Type != TypeScale {
		p.add(o.line(), "%s: options are only for single, multiple and scale questions", name)
		return
	}
	items := p.list(o, "options (value and label)")
	if len(items) == 0 && q.Type != TypeScale {
		p.add(o.line(), "%s: a %s question needs options", name, q.Type)
	}
	lines := make(map[string]int)
	for _, item := range items {
		opt, line, ok := p.option(item, name)
		if !ok {
			continue
		}
		if first, dup := lines[opt.Value]; dup {
			p.add(line, "%s: duplicate option value %q (first at line %d)", name, opt.Value, first)
			continue
		}
		lines[opt.Value] = line
		p.optionValue(q, name, opt.Value, line)
		q.Options = append(q.Options, opt)
	}
	if q.Type == TypeMultiple {
		choices := float64(len(q.Options) + boolInt(q.Other))
		if q.Max != nil && (*q.Max < 1 || *q.Max > choices) {
			p.add(e["max"].line(), "%s: max must be from 1 to the number of choices (%v)", name, choices)
		}
		if q.Min != nil && *q.Min > choices {
			p.add(e["min"].line(), "%s: min is more than the number of choices (%v)", name, choices)
		}
	}
}

// option decodes one option: a mapping with value and label.
func (p *parser) option(item *yaml.Node, name string) (Option, int, bool) {
	if item.Kind != yaml.MappingNode {
		p.add(item.Line, "%s: each option must be a mapping with value and label", name)
		return Option{}, 0, false
	}
	e := p.entries(item, "option", optionKeys)
	var opt Option
	line := item.Line
	if v, ok := e["value"]; !ok {
		p.add(item.Line, `%s: option without "value"`, name)
	} else {
		opt.Value, line = p.str(v), v.line()
	}
	if l, ok := e["label"]; !ok {
		p.add(item.Line, `%s: option %q: missing "label"`, name, opt.Value)
	} else if opt.Label = p.str(l); opt.Label == "" {
		p.add(l.line(), `%s: option %q: empty "label"`, name, opt.Value)
	}
	return opt, line, true
}

// optionValue checks an option value against the question type: an answer
// code for single and multiple, a point of the range for scale.
func (p *parser) optionValue(q *Question, name, value string, line int) {
	if q.Type == TypeScale {
		lo, hi := q.ScaleRange()
		if n, err := strconv.Atoi(value); err != nil || strconv.Itoa(n) != value || n < lo || n > hi {
			p.add(line, "%s: a scale option labels a point: its value must be a whole number from %d to %d, not %q", name, lo, hi, value)
		}
		return
	}
	switch {
	case !optionValuePattern.MatchString(value):
		p.add(line, "%s: invalid option value %q: use lowercase letters, digits, _ and -", name, value)
	case q.Other && value == OtherValue:
		p.add(line, `%s: option value %q is reserved for the "other" choice`, name, value)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// typeNames lists the question types for messages.
const typeNames = "single, multiple, text, textarea, scale, rating, yesno, number, email, phone, geo or consent"
