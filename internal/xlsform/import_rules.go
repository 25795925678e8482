package xlsform

import (
	"errors"
	"strings"

	"github.com/consulta/consulta/internal/forms"
)

// constraint carries over what a question's constraint says that Consulta
// checks: a text's length, the regular expressions of e-mail and phone
// questions, a number's bounds, the count of choices.
func (im *importer) constraint(t *table, n int, row []string, p *pending) {
	c := t.get(row, colConstraint)
	if c == "" {
		return
	}
	lim, rest := parseConstraint(c)
	q := p.q
	drop := func(part string) { rest = append(rest, part) }
	if lim.regex != "" {
		switch {
		case q.Type == forms.TypeText && lim.regex == regexEmail:
			q.Type = forms.TypeEmail
		case q.Type == forms.TypeText && lim.regex == regexPhone:
			q.Type = forms.TypePhone
		default:
			drop("regex(., " + quote(lim.regex) + ")")
		}
	}
	if lim.maxLength != 0 {
		if q.Type == forms.TypeText || q.Type == forms.TypeTextarea || q.Type == forms.TypeEmail || q.Type == forms.TypePhone {
			q.MaxLength = max(lim.maxLength, 1)
		} else {
			drop("string-length(.)")
		}
	}
	if lim.min != nil || lim.max != nil {
		if q.Type == forms.TypeNumber && (lim.min == nil || lim.max == nil || *lim.min <= *lim.max) {
			q.Min, q.Max = lim.min, lim.max
		} else {
			drop(". >= / . <=")
		}
	}
	if lim.minChoice != nil || lim.maxChoice != nil {
		if q.Type == forms.TypeMultiple && choiceBounds(q, lim.minChoice, lim.maxChoice) {
			q.Min, q.Max = lim.minChoice, lim.maxChoice
		} else {
			drop("count-selected(.)")
		}
	}
	if len(rest) > 0 {
		im.skip(sheetSurvey, n, colConstraint, "constraint", "Detail", strings.Join(rest, " and "))
	}
}

// choiceBounds reports whether min and max fit a multiple question: whole
// numbers, max from 1 to the number of choices, min no more than max.
func choiceBounds(q *forms.Question, lo, hi *float64) bool {
	choices := float64(len(q.Options))
	if q.Other {
		choices++
	}
	for _, b := range []*float64{lo, hi} {
		if b != nil && (*b != float64(int(*b)) || *b < 0 || *b > choices) {
			return false
		}
	}
	return (hi == nil || *hi >= 1) && (lo == nil || hi == nil || *lo <= *hi)
}

// resolveConditions turns each question's relevant expressions (its groups'
// and its own) into its show_if. An expression that cannot be carried over
// is reported and left out: the question is then shown more often than in
// the XLSForm, never less.
func (im *importer) resolveConditions() {
	for _, p := range im.qs {
		var conds []*forms.Condition
		for _, src := range p.relevant {
			c, err := im.relevant(p, src.expr)
			if err != nil {
				code, detail := "relevant_syntax", src.expr
				var u *unsupported
				if errors.As(err, &u) {
					code, detail = u.code, u.detail
				}
				im.skip(sheetSurvey, src.row, colRelevant, code, "Detail", detail)
				continue
			}
			if c.All != nil {
				conds = append(conds, c.All...)
			} else {
				conds = append(conds, c)
			}
		}
		switch len(conds) {
		case 0:
		case 1:
			p.q.ShowIf = conds[0]
		default:
			p.q.ShowIf = &forms.Condition{All: conds}
		}
		im.requiredIf(p)
	}
}

// requiredIf turns a question's required expression into its required_if:
// the same expressions as relevant. One that cannot be carried over is
// reported, and the question is not required.
func (im *importer) requiredIf(p *pending) {
	if p.required.expr == "" {
		return
	}
	c, err := im.relevant(p, p.required.expr)
	if err != nil {
		im.skip(sheetSurvey, p.required.row, colRequired, "required_expression", "Expr", p.required.expr)
		return
	}
	p.q.RequiredIf = c
}

// relevant converts one expression for question p: it may refer to the
// questions before p.
func (im *importer) relevant(p *pending, s string) (*forms.Condition, error) {
	e, err := parseExpr(s)
	if err != nil {
		return nil, err
	}
	return condition(e, func(name string) (*target, error) {
		r, ok := im.byName[name]
		switch {
		case !ok && im.dropped[name]:
			return nil, notSupported("relevant_dropped", name)
		case !ok:
			return nil, notSupported("relevant_unknown", name)
		case r.p.index >= p.index:
			return nil, notSupported("relevant_later", name)
		}
		return &target{q: r.p.q, choices: r.p.choices, part: r.part}, nil
	})
}
