package forms

import (
	"strings"

	"gopkg.in/yaml.v3"
)

var (
	conditionKeys  = []string{"question", "equals", "in", "answered", "all", "any"}
	conditionForms = []string{"equals", "in", "answered", "all", "any"}
)

// condScope is what a show_if or required_if condition may refer to: the
// questions before the one it belongs to.
type condScope struct {
	key   string // show_if or required_if, for messages
	form  *Form
	self  int            // index of the question the condition belongs to
	index map[string]int // question id → index of its first occurrence
	name  string         // the question, for messages
	depth int            // nesting of all / any so far
}

// maxConditionDepth bounds the nesting of all / any: deeper conditions are
// unreadable, and a YAML alias can make a condition contain itself.
const maxConditionDepth = 5

// maxConditions bounds the conditions of one form: through YAML aliases a
// short file could otherwise describe billions of them.
const maxConditions = 500

// condition decodes one condition: a leaf (question + equals, in or
// answered) or a combination (all or any), exactly one of them.
func (p *parser) condition(ce entry, sc condScope) *Condition {
	if p.conditions++; p.conditions > maxConditions {
		if p.conditions == maxConditions+1 {
			p.add(ce.line(), "%s: the form has more than %d conditions", sc.name, maxConditions)
		}
		return nil
	}
	n := ce.value
	if n.Kind != yaml.MappingNode {
		p.add(ce.line(), "%s: %q must be a mapping: question with equals, in or answered; or all / any", sc.name, ce.key.Value)
		return nil
	}
	e := p.entries(n, "condition", conditionKeys)
	var set []string
	for _, form := range conditionForms {
		if _, ok := e[form]; ok {
			set = append(set, form)
		}
	}
	switch len(set) {
	case 0:
		p.add(ce.line(), "%s: a condition needs one of equals, in, answered, all or any", sc.name)
		return nil
	case 1:
	default:
		p.add(ce.line(), "%s: a condition has one of equals, in, answered, all or any, not %s: combine conditions with all / any", sc.name, strings.Join(set, " and "))
		return nil
	}
	form := set[0]
	if form == "all" || form == "any" {
		return p.combination(e, form, sc)
	}
	return p.leaf(ce, e, form, sc)
}

// combination decodes all / any: a non-empty list of conditions.
func (p *parser) combination(e map[string]entry, form string, sc condScope) *Condition {
	list := e[form]
	if qe, ok := e["question"]; ok {
		p.add(qe.line(), "%s: %q goes inside each condition of %q", sc.name, "question", form)
	}
	if sc.depth >= maxConditionDepth {
		p.add(list.line(), "%s: conditions nest at most %d levels deep", sc.name, maxConditionDepth)
		return nil
	}
	sc.depth++
	items := p.list(list, "conditions")
	if len(items) == 0 {
		p.add(list.line(), "%s: %q needs at least one condition", sc.name, form)
		return nil
	}
	var conds []*Condition
	for _, item := range items {
		if c := p.condition(entry{key: list.key, value: item}, sc); c != nil {
			conds = append(conds, c)
		}
	}
	if form == "all" {
		return &Condition{All: conds}
	}
	return &Condition{Any: conds}
}

// leaf decodes question + equals / in / answered.
func (p *parser) leaf(ce entry, e map[string]entry, form string, sc condScope) *Condition {
	c := &Condition{}
	var target *Question
	if qe, ok := e["question"]; !ok {
		p.add(ce.line(), "%s: a condition with %q needs \"question\"", sc.name, form)
	} else {
		c.Question = p.str(qe)
		target = p.target(qe, c.Question, sc)
	}
	v := e[form]
	switch form {
	case "equals":
		c.Equals = p.equalsValue(v, target, sc)
	case "in":
		c.In = p.inValues(v, target, sc)
	case "answered":
		b := p.boolean(v)
		c.Answered = &b
	}
	return c
}

// target finds the question a condition refers to: it must come earlier.
func (p *parser) target(qe entry, id string, sc condScope) *Question {
	i, ok := sc.index[id]
	switch {
	case id == "":
		p.add(qe.line(), "%s: empty \"question\" in condition", sc.name)
	case !ok:
		p.add(qe.line(), "%s: %s refers to unknown question %q", sc.name, sc.key, id)
	case i == sc.self:
		p.add(qe.line(), "%s: %s refers to its own question", sc.name, sc.key)
	case i > sc.self:
		p.add(qe.line(), "%s: %s refers to question %q, which comes later: conditions may only use earlier answers", sc.name, sc.key, id)
	default:
		return sc.form.Questions[i]
	}
	return nil
}

// equalsValue decodes the value of equals with the type of the answer it is
// compared with: a string for text-like and choice questions (an option value
// for choices), a bool for yesno and consent, a number for scale, rating and
// number. Without a known target it keeps the YAML type.
func (p *parser) equalsValue(v entry, target *Question, sc condScope) any {
	n := v.value
	if n.Kind != yaml.ScalarNode || n.ShortTag() == "!!null" {
		p.add(v.line(), "%s: \"equals\" must be one value", sc.name)
		return nil
	}
	if target == nil {
		return genericScalar(n)
	}
	switch target.Type {
	case TypeYesNo, TypeConsent:
		if n.ShortTag() != "!!bool" {
			p.add(v.line(), "%s: \"equals\" must be true or false for %s question %q", sc.name, target.Type, target.ID)
			return nil
		}
		return genericScalar(n)
	case TypeScale, TypeRating, TypeNumber:
		f, ok := scalarNumber(n)
		if !ok {
			p.add(v.line(), "%s: \"equals\" must be a number for %s question %q", sc.name, target.Type, target.ID)
			return nil
		}
		return f
	case TypeGeo:
		p.add(v.line(), "%s: \"equals\" cannot test geo question %q: use answered", sc.name, target.ID)
		return nil
	case TypeSingle, TypeMultiple:
		value := strings.TrimSpace(n.Value)
		if !target.offers(value) {
			p.add(v.line(), "%s: \"equals\" value %q is not an option of question %q", sc.name, value, target.ID)
		}
		return value
	default:
		return strings.TrimSpace(n.Value)
	}
}

// inValues decodes the list of in: option values of a single or multiple question.
func (p *parser) inValues(v entry, target *Question, sc condScope) []string {
	values := p.strList(v)
	if len(values) == 0 {
		p.add(v.line(), "%s: \"in\" needs a list of option values", sc.name)
		return nil
	}
	if target == nil {
		return values
	}
	if target.Type != TypeSingle && target.Type != TypeMultiple {
		p.add(v.line(), "%s: \"in\" is only for single and multiple questions (question %q is %s): use equals", sc.name, target.ID, target.Type)
		return values
	}
	for _, value := range values {
		if !target.offers(value) {
			p.add(v.line(), "%s: \"in\" value %q is not an option of question %q", sc.name, value, target.ID)
		}
	}
	return values
}

// genericScalar decodes a scalar as bool, number or string.
func genericScalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			return b
		}
	case "!!int", "!!float":
		if f, ok := scalarNumber(n); ok {
			return f
		}
	}
	return strings.TrimSpace(n.Value)
}

// offers reports whether value is a choice of the question: one of its
// options, or OtherValue when it has an "other" choice.
func (q *Question) offers(value string) bool {
	for _, o := range q.Options {
		if o.Value == value {
			return true
		}
	}
	return q.Type == TypeMultiple && q.Other && value == OtherValue
}
