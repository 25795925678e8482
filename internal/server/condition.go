package server

import (
	"fmt"
	"strings"

	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/locale"
)

// describeCondition puts a show_if condition into words, so that a person
// without JavaScript (who sees every question) knows when to answer it.
func describeCondition(c *forms.Condition, v *formView, l *locale.Localizer) string {
	if c.Question == "" {
		return l.T("form.show_if_other")
	}
	ref := v.question(c.Question)
	if ref == nil {
		return l.T("form.show_if_other")
	}
	switch {
	case c.Answered != nil && *c.Answered:
		return l.T("form.show_if_answered", map[string]any{"Question": ref.Label})
	case c.Equals != nil:
		return l.T("form.show_if_equals", map[string]any{"Question": ref.Label, "Value": valueLabel(ref, c.Equals, l)})
	case len(c.In) > 0:
		labels := make([]string, len(c.In))
		for i, val := range c.In {
			labels[i] = valueLabel(ref, val, l)
		}
		return l.T("form.show_if_equals", map[string]any{"Question": ref.Label, "Value": strings.Join(labels, " / ")})
	}
	return l.T("form.show_if_other")
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
