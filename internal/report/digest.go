package report

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/locale"
	"github.com/consulta/consulta/internal/pdf"
)

// Digest is the short summary of a report that goes into the body of an
// e-mail: the report's key figures, as its first section shows them, and the
// indicators that changed most since the period before; every text localized
// and every count suppressed as in the report.
type Digest struct {
	Title   string         `bson:"title" json:"title"`   // the form's title
	Period  string         `bson:"period" json:"period"` // the period, in words
	Figures []DigestFigure `bson:"figures" json:"figures"`
	Changes []DigestChange `bson:"changes,omitempty" json:"changes,omitempty"`
}

// DigestFigure is one key figure: its value, what it counts, and a note (the
// change from the period before).
type DigestFigure struct {
	Value string `bson:"value" json:"value"`
	Label string `bson:"label" json:"label"`
	Note  string `bson:"note,omitempty" json:"note,omitempty"`
}

// DigestChange is one indicator compared with the period before.
type DigestChange struct {
	Indicator string `bson:"indicator" json:"indicator"`
	Now       string `bson:"now" json:"now"`
	Before    string `bson:"before" json:"before"`
	Change    string `bson:"change" json:"change"`
}

// digestChanges is how many indicators besides the number of responses the
// digest lists: those that moved most.
const digestChanges = 3

// DigestOf summarizes the report of aggregate a in lang.
func DigestOf(a *Aggregate, tr *locale.Translator, lang string, loc *time.Location) Digest {
	l := NewLabels(tr, lang, loc)
	d := &docBuilder{l: l, a: Localize(a, l)}
	dg := Digest{Title: d.a.Title, Period: d.periodText(d.a)}
	for _, b := range d.keyFigures().Blocks {
		if kf, ok := b.(*pdf.KeyFigures); ok {
			for _, f := range kf.Items {
				dg.Figures = append(dg.Figures, DigestFigure{Value: f.Value, Label: f.Label, Note: f.Note})
			}
		}
	}
	if d.a.Previous != nil {
		dg.Changes = d.topChanges()
	}
	return dg
}

// topChanges lists the change in responses, then the headline indicators
// that moved most (by how much their value moved), at most digestChanges.
func (d *docBuilder) topChanges() []DigestChange {
	a, prev := d.a, d.a.Previous
	out := []DigestChange{{Indicator: d.t("report.comparison.responses"), Now: d.count(a.Responses),
		Before: d.count(prev.Responses), Change: "—"}}
	if !a.Responses.Suppressed && !prev.Responses.Suppressed && prev.Responses.N > 0 {
		out[0].Change = d.t("report.percent", map[string]any{
			"Value": signed1(100 * float64(a.Responses.N-prev.Responses.N) / float64(prev.Responses.N))})
	}
	type moved struct {
		c     DigestChange
		delta float64
	}
	var ms []moved
	for _, q := range a.Questions {
		if q.Retired || q.Parent != "" || (q.Type != forms.TypeYesNo && q.Type != forms.TypeScale && q.Type != forms.TypeRating) {
			continue
		}
		v, text, ok := d.headline(q)
		pv, ptext, pok := d.headline(prev.Question(q.ID))
		if !ok || !pok {
			continue
		}
		label := q.Label
		if q.Type == forms.TypeYesNo {
			label = d.t("report.kf.yes_share", map[string]any{"Question": q.Label})
		}
		ms = append(ms, moved{DigestChange{Indicator: label, Now: text, Before: ptext, Change: signed1(v - pv)}, math.Abs(v - pv)})
	}
	slices.SortStableFunc(ms, func(x, y moved) int { return cmp.Compare(y.delta, x.delta) })
	for _, m := range ms[:min(len(ms), digestChanges)] {
		out = append(out, m.c)
	}
	return out
}
