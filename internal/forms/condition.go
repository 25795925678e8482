package forms

import (
	"strings"

	"github.com/consulta/consulta/internal/consulta"
)

// Visible reports whether question q is shown, given answers keyed by question
// id. The browser evaluates the JSON of Condition with exactly these rules:
//
//   - Questions are taken in form order. A question is shown when it has no
//     show_if, or when its show_if holds on the answers of the earlier
//     questions that are shown. The answer to a hidden question is ignored: it
//     counts as unanswered for every later condition (so hiding chains).
//   - {question, equals: v}: the answer is v, compared exactly and with the
//     same type (string, bool or number); when the answer is a list (multiple),
//     the list contains v.
//   - {question, in: [v1, v2...]}: the answer (a string) is one of the values;
//     when the answer is a list, at least one of its items is.
//   - {question, answered: true}: the question has an answer: a string that is
//     not blank, a list that is not empty, any bool (false too), any number, a
//     geo with a department. answered: false is the opposite.
//   - A missing answer makes equals and in false.
//   - {all: [...]}: every condition holds. {any: [...]}: at least one does.
//
// Answers may be typed (the output of Validate) or raw (decoded JSON, the
// output of DecodeValues): lists may be []string or []any.
func (f *Form) Visible(q *Question, answers map[string]any) bool {
	if q.ShowIf == nil {
		return true
	}
	return holds(q.ShowIf, f.keptBefore(q, answers))
}

// MustAnswer reports whether shown question q must be answered given the
// answers: it is Required, or its RequiredIf holds on the answers of the
// earlier questions that are shown (the rules of Visible). Validate applies
// the same rule to the answers it keeps.
func (f *Form) MustAnswer(q *Question, answers map[string]any) bool {
	if q.Required || q.RequiredIf == nil {
		return q.Required
	}
	return holds(q.RequiredIf, f.keptBefore(q, answers))
}

// keptBefore returns the answers of the questions before q that are shown.
func (f *Form) keptBefore(q *Question, answers map[string]any) map[string]any {
	kept := make(map[string]any)
	for _, earlier := range f.Questions {
		if earlier == q || earlier.ID == q.ID {
			break
		}
		if v, ok := answers[earlier.ID]; ok && holds(earlier.ShowIf, kept) {
			kept[earlier.ID] = v
		}
	}
	return kept
}

// holds evaluates a condition on the answers of shown questions.
func holds(c *Condition, answers map[string]any) bool {
	switch {
	case c == nil:
		return true
	case c.All != nil:
		for _, sub := range c.All {
			if !holds(sub, answers) {
				return false
			}
		}
		return true
	case c.Any != nil:
		for _, sub := range c.Any {
			if holds(sub, answers) {
				return true
			}
		}
		return false
	case c.Answered != nil:
		return hasAnswer(answers[c.Question]) == *c.Answered
	case c.In != nil:
		return answerIn(answers[c.Question], c.In)
	default:
		return answerEquals(answers[c.Question], c.Equals)
	}
}

// hasAnswer is the "answered" of a condition.
func hasAnswer(v any) bool {
	switch a := v.(type) {
	case nil:
		return false
	case string:
		return strings.TrimSpace(a) != ""
	case []string:
		return len(a) > 0
	case []any:
		return len(a) > 0
	case consulta.Geo:
		return a.Department != ""
	case map[string]any:
		dep, _ := a["department"].(string)
		return dep != ""
	default: // bools and numbers
		return true
	}
}

// answerEquals is the "equals" of a condition.
func answerEquals(answer, want any) bool {
	if want == nil {
		return false
	}
	for _, item := range listItems(answer) {
		if item == want {
			return true
		}
	}
	switch a := answer.(type) {
	case string, bool:
		return a == want
	default:
		n, ok := asNumber(answer)
		w, wok := asNumber(want)
		return ok && wok && n == w
	}
}

// answerIn is the "in" of a condition.
func answerIn(answer any, values []string) bool {
	items := listItems(answer)
	if s, ok := answer.(string); ok {
		items = []any{s}
	}
	for _, item := range items {
		for _, v := range values {
			if item == v {
				return true
			}
		}
	}
	return false
}

// listItems returns the items of a list answer, nil for any other value.
func listItems(v any) []any {
	switch a := v.(type) {
	case []any:
		return a
	case []string:
		items := make([]any, len(a))
		for i, s := range a {
			items[i] = s
		}
		return items
	}
	return nil
}

// asNumber reads the numeric types answers may hold.
func asNumber(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	}
	return 0, false
}
