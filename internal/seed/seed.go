// Package seed makes realistic synthetic responses for demos, tests and
// benchmarks (`consulta seed`): answers that pass the form's validation, with
// show_if respected, spread over departments roughly as Guatemala's population,
// over languages, channels, embedding pages and dates, with Spanish comments
// that now and then carry an email, a phone or a DPI number so that scrubbing
// has work to do.
//
// Everything is drawn from the *rand.Rand the caller passes: the same seed
// gives the same data.
package seed

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
)

// Generator draws responses to one form. It is not safe for concurrent use.
type Generator struct {
	form     *forms.Form
	cat      *geo.Catalog
	from, to time.Time
	rng      *rand.Rand
	ids      *rand.Rand     // the ids' own stream: see NewGenerator
	loc      *time.Location // where the simulated people live: hours of day and weekends
	depts    weighted[geo.Department]
	pages    weighted[page]
	sessions []string
	prefs    map[string]*preference
	text     texts
}

// page is a portal page where the widget is embedded; noRate is the share of
// its visitors who do not find what they look for (page-feedback forms).
type page struct {
	url    string
	noRate float64
}

// preference is a question's drawn taste: option weights, the centre of a
// scale, the chance of "yes" and of being answered at all when optional.
type preference struct {
	options weighted[string]
	centre  float64
	yes     float64
	answer  float64
}

// NewGenerator prepares a generator of responses to f received in [from, to).
// cat may be nil only for forms without geo questions.
func NewGenerator(f *forms.Form, cat *geo.Catalog, from, to time.Time, rng *rand.Rand) *Generator {
	g := &Generator{form: f, cat: cat, from: from, to: to, rng: rng, prefs: map[string]*preference{}, text: spanishTexts()}
	// The ids come from a stream of their own, keyed by the seed and the form:
	// the k-th id of a seed and form is the same whatever n and the period, and
	// the same seed gives other ids to another form. Drawn from rng, a form's ids
	// clashed with another form's of the same seed, midway through a run; this
	// way only a rerun of the same seed and form clashes, on its very first id
	// (the first stored response), which `consulta seed` checks before storing.
	g.ids = idStream(rng.Uint64(), f.ID)
	g.loc = consulta.DefaultLocation()
	if cat != nil {
		pop := departmentPopulation()
		for _, d := range cat.Departments() {
			g.depts.add(d, float64(pop[d.Code]))
		}
	}
	for i, u := range portalPages() {
		// Zipf-like traffic: the home page and statistics get most visits.
		g.pages.add(page{url: u, noRate: 0.12 + 0.6*rng.Float64()}, 1/math.Pow(float64(i+1), 0.9))
	}
	for i := 0; i < 6; i++ {
		g.sessions = append(g.sessions, fmt.Sprintf("GF%04X", rng.IntN(0x10000)))
	}
	for _, q := range f.Questions {
		g.prefs[q.ID] = g.preference(q)
	}
	return g
}

func (g *Generator) preference(q *forms.Question) *preference {
	p := &preference{centre: 2.2 + 1.6*g.rng.Float64(), yes: 0.45 + 0.35*g.rng.Float64(), answer: 0.8}
	switch q.Type {
	case forms.TypeText, forms.TypeTextarea:
		p.answer = 0.45
	case forms.TypeRating:
		p.centre = 5 + 3*g.rng.Float64()
	case forms.TypeYesNo:
		p.answer = 0.9
	}
	if q.ID == "focus_group" || q.ID == "wants_reply" {
		p.yes = 0.2 // few people leave contact data
	}
	for _, o := range q.Options {
		// Exponential weights: a few popular options and a long tail.
		p.options.add(o.Value, g.rng.ExpFloat64()+0.05)
	}
	return p
}

// Next draws one response and its contact (nil when the person left no
// contact data). The answers are the output of f.Validate.
func (g *Generator) Next() (*consulta.Response, *consulta.Contact, error) {
	var errs []consulta.FieldError
	for attempt := 0; attempt < 5; attempt++ {
		r, c, fieldErrs := g.draw()
		if len(fieldErrs) == 0 {
			// The id only now, so that the k-th response returned has the
			// k-th id whatever draws were thrown away before it.
			r.ID = g.id()
			if c != nil {
				c.ID = r.ID
			}
			return r, c, nil
		}
		errs = fieldErrs
	}
	return nil, nil, fmt.Errorf("seed: form %s: generated answers do not validate: %+v", g.form.ID, errs)
}

func (g *Generator) draw() (*consulta.Response, *consulta.Contact, []consulta.FieldError) {
	channel := g.channel()
	r := &consulta.Response{
		FormID:      g.form.ID,
		FormVersion: g.form.Version,
		Lang:        g.lang(),
		Channel:     channel,
		ReceivedAt:  g.when(),
		RequestHash: "seed",
		Status:      g.status(),
	}
	var pg *page
	switch channel {
	case consulta.ChannelWidget:
		p := g.pages.pick(g.rng)
		pg, r.Page = &p, p.url
	case consulta.ChannelFocusGroup:
		r.Session = g.sessions[g.rng.IntN(len(g.sessions))]
	case consulta.ChannelImport:
		if g.rng.Float64() < 0.5 {
			r.Session = g.sessions[g.rng.IntN(len(g.sessions))]
		}
	}
	raw := g.answers(pg)
	answers, personal, errs := g.form.Validate(raw, g.checker())
	if len(errs) > 0 {
		return nil, nil, errs
	}
	r.Answers = answers
	for _, q := range g.form.Questions {
		if geoAnswer, ok := answers[q.ID].(consulta.Geo); ok && q.Type == forms.TypeGeo {
			r.Department = geoAnswer.Department
			break
		}
	}
	if len(personal) == 0 {
		return r, nil, nil
	}
	r.HasContact = true
	return r, &consulta.Contact{ID: r.ID, FormID: r.FormID, ReceivedAt: r.ReceivedAt, Fields: personal}, nil
}

// checker is the catalog as a forms.GeoChecker, or nil (shape checks only).
func (g *Generator) checker() forms.GeoChecker {
	if g.cat == nil {
		return nil
	}
	return g.cat
}

func (g *Generator) id() string {
	return fmt.Sprintf("seed-%016x", g.ids.Uint64())
}

// idStream is the random stream of the ids of form formID for key, a draw
// from the caller's rng.
func idStream(key uint64, formID string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(formID))
	return rand.New(rand.NewPCG(key, h.Sum64()))
}

// channel depends on what the form is for: page feedback comes from the
// widget, the needs assessment also from focus groups and paper.
func (g *Generator) channel() consulta.Channel {
	var w weighted[consulta.Channel]
	switch g.form.Kind {
	case forms.KindPageFeedback:
		return consulta.ChannelWidget
	case forms.KindSuggestion:
		w.add(consulta.ChannelWidget, 55)
		w.add(consulta.ChannelPage, 40)
		w.add(consulta.ChannelImport, 5)
	case forms.KindNeedsAssessment:
		w.add(consulta.ChannelPage, 55)
		w.add(consulta.ChannelWidget, 20)
		w.add(consulta.ChannelFocusGroup, 15)
		w.add(consulta.ChannelImport, 10)
	default:
		w.add(consulta.ChannelPage, 70)
		w.add(consulta.ChannelWidget, 20)
		w.add(consulta.ChannelFocusGroup, 10)
	}
	return w.pick(g.rng)
}

// lang: mostly Spanish, some K'iche' (focus groups, the form pages) and
// some English.
func (g *Generator) lang() string {
	switch x := g.rng.Float64(); {
	case x < 0.88:
		return "es"
	case x < 0.95:
		return "quc"
	default:
		return "en"
	}
}

// when draws a time in [from, to), fewer at night and on weekends.
func (g *Generator) when() time.Time {
	span := g.to.Sub(g.from)
	for {
		t := g.from.Add(time.Duration(g.rng.Int64N(int64(span))))
		local := t.In(g.loc)
		if wd := local.Weekday(); (wd == time.Saturday || wd == time.Sunday) && g.rng.Float64() < 0.55 {
			continue
		}
		if h := local.Hour(); (h < 6 || h >= 22) && g.rng.Float64() < 0.8 {
			continue
		}
		return t.UTC().Truncate(time.Millisecond) // BSON dates keep milliseconds
	}
}

// status: suggestions move through triage; other forms stay new.
func (g *Generator) status() string {
	if g.form.Kind != forms.KindSuggestion {
		return consulta.StatusNew
	}
	var w weighted[string]
	w.add(consulta.StatusNew, 45)
	w.add(consulta.StatusInReview, 20)
	w.add(consulta.StatusAnswered, 20)
	w.add(consulta.StatusActioned, 10)
	w.add(consulta.StatusDismissed, 5)
	return w.pick(g.rng)
}
