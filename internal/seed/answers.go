package seed

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"unicode/utf8"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
)

// answers draws raw answers in form order, skipping the questions that
// show_if hides given the answers drawn so far. pg is the embedding page, whose
// visitors find what they look for more or less often.
func (g *Generator) answers(pg *page) map[string]any {
	raw := map[string]any{}
	for _, q := range g.form.Questions {
		if !g.form.Visible(q, raw) {
			continue
		}
		p := g.prefs[q.ID]
		if !g.form.MustAnswer(q, raw) && q.Type != forms.TypeConsent && g.rng.Float64() > p.answer {
			continue
		}
		if v := g.value(q, p, pg, raw); v != nil {
			raw[q.ID] = v
		}
	}
	return raw
}

func (g *Generator) value(q *forms.Question, p *preference, pg *page, raw map[string]any) any {
	switch q.Type {
	case forms.TypeSingle:
		return p.options.pick(g.rng)
	case forms.TypeMultiple:
		return g.choices(q, p, raw)
	case forms.TypeText, forms.TypeTextarea:
		if q.Personal {
			return g.name()
		}
		return fit(g.comment(q), q.TextLimit())
	case forms.TypeScale, forms.TypeRating:
		lo, hi := q.ScaleRange()
		return g.around(p.centre, lo, hi)
	case forms.TypeNumber:
		lo, hi := 0.0, 100.0
		if q.Min != nil {
			lo = *q.Min
		}
		if q.Max != nil {
			hi = *q.Max
		}
		return math.Round(lo + (hi-lo)*g.rng.Float64())
	case forms.TypeYesNo:
		yes := p.yes
		if pg != nil {
			yes = 1 - pg.noRate
		}
		return g.rng.Float64() < yes
	case forms.TypeConsent:
		return true
	case forms.TypeEmail:
		return g.email()
	case forms.TypePhone:
		return g.phone()
	case forms.TypeGeo:
		return g.place()
	}
	return nil
}

// choices draws one to four options (within the question's bounds), the more
// popular ones more often, and now and then "other" with its text.
func (g *Generator) choices(q *forms.Question, p *preference, raw map[string]any) []any {
	n := 1 + int(g.rng.ExpFloat64()*1.3)
	lo, hi := 1, len(q.Options)
	if q.Min != nil {
		lo = max(lo, int(*q.Min))
	}
	if q.Max != nil {
		hi = min(hi, int(*q.Max))
	}
	n = max(lo, min(n, hi))
	picked := p.options.sample(g.rng, n)
	out := make([]any, 0, n+1)
	for _, v := range picked {
		out = append(out, v)
	}
	if q.Other && g.rng.Float64() < 0.08 && (q.Max == nil || len(out) < int(*q.Max)) {
		out = append(out, forms.OtherValue)
		raw[q.OtherID()] = g.text.other[g.rng.IntN(len(g.text.other))]
	}
	return out
}

// around draws an integer in [lo, hi] from a bell around centre (for 1..5
// scales; ratings are rescaled).
func (g *Generator) around(centre float64, lo, hi int) float64 {
	for {
		x := math.Round(centre + g.rng.NormFloat64()*float64(hi-lo)/3.6)
		if x >= float64(lo) && x <= float64(hi) {
			return x
		}
	}
}

// place draws a department weighted by population and one of its
// municipalities, the department's head (its first) more often.
func (g *Generator) place() any {
	if g.depts.len() == 0 {
		return nil
	}
	d := g.depts.pick(g.rng)
	geo := consulta.Geo{Department: d.Code}
	if n := len(d.Municipalities); n > 0 {
		m := d.Municipalities[0]
		if g.rng.Float64() > 0.4 {
			m = d.Municipalities[g.rng.IntN(n)]
		}
		geo.Municipality = m.Code
	}
	return geo
}

// comment picks a Spanish comment fitting the question; one in ten carries
// personal data.
func (g *Generator) comment(q *forms.Question) string {
	pool := g.text.general
	switch g.form.Kind {
	case forms.KindPageFeedback:
		pool = g.text.lookingFor
	case forms.KindNeedsAssessment:
		pool = g.text.missing
	case forms.KindSuggestion:
		pool = g.text.suggestions
	}
	s := pool[g.rng.IntN(len(pool))]
	if g.rng.Float64() < 0.1 {
		s += " " + fmt.Sprintf(g.text.personal[g.rng.IntN(len(g.text.personal))], g.rng.IntN(9000)+1000)
	}
	return s
}

func (g *Generator) name() string {
	first := g.text.firstNames[g.rng.IntN(len(g.text.firstNames))]
	last := g.text.lastNames[g.rng.IntN(len(g.text.lastNames))]
	return first + " " + last
}

// email uses example.org, a domain reserved for examples: no real inbox.
func (g *Generator) email() string {
	first := g.text.firstNames[g.rng.IntN(len(g.text.firstNames))]
	return fmt.Sprintf("%s%d@example.org", asciiLower(first), g.rng.IntN(1000))
}

// phone draws a Guatemalan mobile number.
func (g *Generator) phone() string {
	return fmt.Sprintf("%d%03d %04d", 3+g.rng.IntN(3), g.rng.IntN(1000), g.rng.IntN(10000))
}

func asciiLower(s string) string {
	r := strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ñ", "n", "Á", "a", "É", "e", "Í", "i", "Ó", "o", "Ú", "u")
	return strings.ToLower(r.Replace(s))
}

// fit shortens s to max characters (0: no limit).
func fit(s string, max int) string {
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:max]))
}

// weighted is a list of items with weights to draw from.
type weighted[T any] struct {
	items   []T
	weights []float64
	total   float64
}

func (w *weighted[T]) add(item T, weight float64) {
	w.items = append(w.items, item)
	w.weights = append(w.weights, weight)
	w.total += weight
}

func (w *weighted[T]) len() int { return len(w.items) }

func (w *weighted[T]) pick(rng *rand.Rand) T {
	x := rng.Float64() * w.total
	for i, wt := range w.weights {
		if x < wt {
			return w.items[i]
		}
		x -= wt
	}
	return w.items[len(w.items)-1]
}

// sample draws n distinct items, each with probability proportional to its
// weight among those left.
func (w *weighted[T]) sample(rng *rand.Rand, n int) []T {
	left := weighted[T]{}
	for i := range w.items {
		left.add(w.items[i], w.weights[i])
	}
	var out []T
	for len(out) < n && left.len() > 0 {
		x := rng.Float64() * left.total
		i := 0
		for ; i < len(left.weights)-1; i++ {
			if x < left.weights[i] {
				break
			}
			x -= left.weights[i]
		}
		out = append(out, left.items[i])
		left.total -= left.weights[i]
		left.items = append(left.items[:i], left.items[i+1:]...)
		left.weights = append(left.weights[:i], left.weights[i+1:]...)
	}
	return out
}
