package xlsform

import (
	"fmt"
	"strings"

	"github.com/consulta/consulta/internal/forms"
)

// relevant writes a show_if condition as an XLSForm relevant expression,
// in the forms that Import reads back into the same condition.
func (x *exporter) relevant(c *forms.Condition) (string, error) {
	switch {
	case c.All != nil:
		return x.join(c.All, " and ")
	case c.Any != nil:
		return x.join(c.Any, " or ")
	}
	q := x.f.Question(c.Question)
	if q == nil {
		return "", fmt.Errorf("condition on unknown question %q", c.Question)
	}
	ref := "${" + q.ID + "}"
	if q.Type == forms.TypeGeo {
		ref = "${" + q.ID + suffixDepartment + "}"
	}
	switch {
	case c.Answered != nil && *c.Answered:
		return ref + " != ''", nil
	case c.Answered != nil:
		return ref + " = ''", nil
	case c.In != nil:
		parts := make([]string, len(c.In))
		for i, v := range c.In {
			parts[i] = x.equals(q, ref, v)
		}
		return "(" + strings.Join(parts, " or ") + ")", nil
	}
	switch v := c.Equals.(type) {
	case string:
		return x.equals(q, ref, v), nil
	case bool:
		switch {
		case q.Type == forms.TypeConsent && v:
			return ref + " = " + quote(acknowledged), nil
		case q.Type == forms.TypeConsent:
			return ref + " != " + quote(acknowledged), nil
		case v:
			return ref + " = " + quote(yesName), nil
		}
		return ref + " = " + quote(noName), nil
	case float64:
		if q.Type == forms.TypeScale { // a select_one: its answer is the point's name
			return ref + " = " + quote(number(v)), nil
		}
		return ref + " = " + number(v), nil
	}
	return "", fmt.Errorf("condition on %q has no test", c.Question)
}

// equals tests one choice (or text) of question q.
func (x *exporter) equals(q *forms.Question, ref, v string) string {
	if q.Type == forms.TypeMultiple {
		return "selected(" + ref + ", " + quote(v) + ")"
	}
	return ref + " = " + quote(v)
}

// join writes the conditions of an all or any, each in parentheses when
// it is itself a combination.
func (x *exporter) join(conds []*forms.Condition, sep string) (string, error) {
	parts := make([]string, len(conds))
	for i, c := range conds {
		s, err := x.relevant(c)
		if err != nil {
			return "", err
		}
		if c.All != nil || c.Any != nil {
			s = "(" + s + ")"
		}
		parts[i] = s
	}
	return strings.Join(parts, sep), nil
}
