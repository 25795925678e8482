package xlsform

import (
	"slices"
	"strconv"
	"strings"

	"github.com/consulta/consulta/internal/forms"
)

// target is a question a relevant expression may test: one carried over
// and earlier than the question the expression belongs to.
type target struct {
	q *forms.Question
	// choices maps the XLSForm names of its choices to option values
	// (single, multiple and scale questions).
	choices map[string]string
	// part is set when the reference is to one of the two questions of a
	// geo (<id>_department or <id>_municipality): only emptiness can be
	// tested.
	part bool
}

// resolveFunc finds the target of ${name}, or says why it cannot be used.
type resolveFunc func(name string) (*target, error)

// converter turns relevant expressions into conditions.
type converter struct {
	lookup resolveFunc
	// choice holds the ids of the single and multiple questions met, whose
	// tests may merge into one "in".
	choice map[string]bool
}

// condition turns a relevant expression into a Consulta condition.
func condition(e expr, lookup resolveFunc) (*forms.Condition, error) {
	cv := &converter{lookup: lookup, choice: map[string]bool{}}
	return cv.convert(e)
}

func (cv *converter) resolve(name string) (*target, error) {
	t, err := cv.lookup(name)
	if err == nil && inChoices(t.q) && !t.part {
		cv.choice[t.q.ID] = true
	}
	return t, err
}

func (cv *converter) convert(e expr) (*forms.Condition, error) {
	switch x := e.(type) {
	case xAnd:
		var all []*forms.Condition
		for _, part := range x.parts {
			c, err := cv.convert(part)
			if err != nil {
				return nil, err
			}
			if c.All != nil {
				all = append(all, c.All...)
			} else {
				all = append(all, c)
			}
		}
		return &forms.Condition{All: all}, nil
	case xOr:
		var anyOf []*forms.Condition
		for _, part := range x.parts {
			c, err := cv.convert(part)
			if err != nil {
				return nil, err
			}
			if c.Any != nil {
				anyOf = append(anyOf, c.Any...)
			} else {
				anyOf = append(anyOf, c)
			}
		}
		return cv.oneOf(anyOf), nil
	case xCmp:
		return cv.comparison(x)
	case xCall:
		return cv.call(x)
	}
	return nil, notSupported("relevant_syntax", describe(e))
}

// oneOf is any: [...], written as in: [...] when every part tests one
// choice of the same single or multiple question (what Export writes for in).
func (cv *converter) oneOf(parts []*forms.Condition) *forms.Condition {
	var question string
	var values []string
	for _, c := range parts {
		v, ok := c.Equals.(string)
		switch {
		case c.Question == "" || !cv.choice[c.Question] || (question != "" && c.Question != question):
			return &forms.Condition{Any: parts}
		case c.In != nil:
			values = append(values, c.In...)
		case ok && c.Answered == nil:
			values = append(values, v)
		default:
			return &forms.Condition{Any: parts}
		}
		question = c.Question
	}
	return &forms.Condition{Question: question, In: slices.Compact(values)}
}

// inChoices reports whether the question is single or multiple, the types
// whose equals and in name an option.
func inChoices(q *forms.Question) bool {
	return q.Type == forms.TypeSingle || q.Type == forms.TypeMultiple
}

// comparison turns a comparison into a condition: an answer and a value
// (${q} = 'x'), an answer and the empty string (answered or not), or
// string-length(${q}) and count-selected(${q}) and 0 or 1 (answered or not).
func (cv *converter) comparison(x xCmp) (*forms.Condition, error) {
	if _, ok := x.left.(xRef); !ok {
		if _, ok := x.right.(xRef); ok {
			x.left, x.right = x.right, x.left
			x.op = mirrored(x.op)
		}
	}
	switch left := x.left.(type) {
	case xRef:
		t, err := cv.resolve(left.name)
		if err != nil {
			return nil, err
		}
		return compareAnswer(t, x)
	case xCall:
		if (left.name == "string-length" || left.name == "count-selected") && len(left.args) == 1 {
			if ref, ok := left.args[0].(xRef); ok {
				t, err := cv.resolve(ref.name)
				if err != nil {
					return nil, err
				}
				return countTest(t, x)
			}
		}
		return nil, notSupported("relevant_function", left.name+"()")
	}
	return nil, notSupported("relevant_syntax", describe(x))
}

// mirrored is the operator with its sides swapped: 3 < ${q} is ${q} > 3.
func mirrored(op string) string {
	switch op {
	case "<":
		return ">"
	case ">":
		return "<"
	case "<=":
		return ">="
	case ">=":
		return "<="
	}
	return op
}

// compareAnswer handles ${q} op value.
func compareAnswer(t *target, x xCmp) (*forms.Condition, error) {
	q := t.q
	if s, ok := x.right.(xStr); ok && s.s == "" && (x.op == "=" || x.op == "!=") {
		answered := x.op == "!="
		return &forms.Condition{Question: q.ID, Answered: &answered}, nil
	}
	if x.op != "=" {
		return nil, notSupported("relevant_operator", x.op)
	}
	var raw string
	switch v := x.right.(type) {
	case xStr:
		raw = v.s
	case xNum:
		raw = number(v.n)
	default:
		return nil, notSupported("relevant_syntax", describe(x))
	}
	if q.Type == forms.TypeMultiple {
		// In XPath this is the whole selection, not one choice of it.
		return nil, notSupported("relevant_whole_selection", describe(x))
	}
	v, err := typedValue(t, raw)
	if err != nil {
		return nil, err
	}
	return &forms.Condition{Question: q.ID, Equals: v}, nil
}

// countTest handles string-length(${q}) and count-selected(${q}) compared
// with 0 or 1: whether q is answered.
func countTest(t *target, x xCmp) (*forms.Condition, error) {
	n, ok := x.right.(xNum)
	if !ok {
		return nil, notSupported("relevant_syntax", describe(x))
	}
	var answered bool
	switch {
	case (x.op == ">" || x.op == "!=") && n.n == 0, x.op == ">=" && n.n == 1:
		answered = true
	case (x.op == "=" || x.op == "<=") && n.n == 0, x.op == "<" && n.n == 1:
		answered = false
	default:
		return nil, notSupported("relevant_operator", x.op+" "+number(n.n))
	}
	return &forms.Condition{Question: t.q.ID, Answered: &answered}, nil
}

// call handles selected(${q}, 'x'); any other function is unsupported.
func (cv *converter) call(x xCall) (*forms.Condition, error) {
	if x.name != "selected" || len(x.args) != 2 {
		return nil, notSupported("relevant_function", x.name+"()")
	}
	ref, ok := x.args[0].(xRef)
	value, vok := x.args[1].(xStr)
	if !ok || !vok {
		return nil, notSupported("relevant_syntax", describe(x))
	}
	t, err := cv.resolve(ref.name)
	if err != nil {
		return nil, err
	}
	v, err := typedValue(t, value.s)
	if err != nil {
		return nil, err
	}
	return &forms.Condition{Question: t.q.ID, Equals: v}, nil
}

// typedValue is the value an equals compares the answer to q with, typed as
// Consulta types the answer.
func typedValue(t *target, raw string) (any, error) {
	q := t.q
	if t.part || q.Type == forms.TypeGeo {
		return nil, notSupported("relevant_geo", raw)
	}
	switch q.Type {
	case forms.TypeSingle, forms.TypeMultiple:
		if v, ok := t.choices[raw]; ok {
			return v, nil
		}
		return nil, notSupported("relevant_value", raw)
	case forms.TypeYesNo:
		if b, ok := yesNoName(raw); ok {
			return b, nil
		}
		return nil, notSupported("relevant_value", raw)
	case forms.TypeConsent:
		if strings.EqualFold(raw, acknowledged) {
			return true, nil
		}
		return nil, notSupported("relevant_value", raw)
	case forms.TypeScale, forms.TypeRating, forms.TypeNumber:
		n, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return nil, notSupported("relevant_value", raw)
		}
		return n, nil
	}
	return raw, nil
}

// yesNoName reads the name of a yes/no choice.
func yesNoName(name string) (value, ok bool) {
	switch forms.OptionValueFrom(name) {
	case "yes", "si", "true", "1":
		return true, true
	case "no", "false", "0":
		return false, true
	}
	return false, false
}
