package server

import (
	"fmt"
	"strings"

	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/locale"
)

// describeCondition puts a show_if condition into words, so that a person
// without JavaScript (who sees every question) knows when to answer it. lang
// is "es" when the sentence is the Spanish fallback on a page in another
// language (the page marks it so), "" otherwise.
func describeCondition(c *forms.Condition, v *formView, l *locale.Localizer) (text, lang string) {
	say := func(id string, data map[string]any) (string, string) {
		text, lang := l.TL(id, data)
		if lang == l.Lang() {
			lang = ""
		}
		return text, lang
	}
	if c.Question == "" {
		return say("form.show_if_other", nil)
	}
	ref := v.question(c.Question)
	if ref == nil {
		return say("form.show_if_other", nil)
	}
	switch {
	case c.Answered != nil && *c.Answered:
		return say("form.show_if_answered", map[string]any{"Question": ref.Label})
	case c.Equals != nil:
		return say("form.show_if_equals", map[string]any{"Question": ref.Label, "Value": valueLabel(ref, c.Equals, l)})
	case len(c.In) > 0:
		labels := make([]string, len(c.In))
		for i, val := range c.In {
			labels[i] = valueLabel(ref, val, l)
		}
		return say("form.show_if_equals", map[string]any{"Question": ref.Label, "Value": strings.Join(labels, " / ")})
	}
	return say("form.show_if_other", nil)
}

// valueLabel is how an answer value reads on the page: the option's label, or
// Yes / No for booleans.
func valueLabel(q *questionView, value any, l *locale.Localizer) string {
	if b, ok := value.(bool); ok {
		if b {
			return l.T("form.yes")
		}
		return l.T("form.no")
	}
	s := fmt.Sprint(value)
	for _, o := range q.Options {
		if o.Value == s {
			return o.Label
		}
	}
	return s
}

// question finds a question of the view by id.
func (v *formView) question(id string) *questionView {
	for _, q := range v.Questions {
		if q.ID == id {
			return q
		}
	}
	return nil
}
