package report

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
)

// Bounds that keep a tally's memory flat however many responses stream by.
const (
	maxPages     = 5000 // distinct embedding pages tracked; more go to "other"
	sampleSize   = 5    // sample comments kept per text question
	minSampleLen = 25   // characters: shorter answers say too little
	maxSampleLen = 400  // characters: longer ones would fill the page
	pageComments = 2    // "no" comments kept per page of the ranking
)

// tally accumulates the raw counts of one period. Its size depends on the form
// (questions, options), on the number of departments, pages, languages and
// time buckets, and on the bounded word counts: never on the number of
// responses.
type tally struct {
	schema    *schema
	light     bool // previous period: counts only, no words or samples
	total     int64
	channels  map[string]int64
	langs     map[string]int64
	statuses  map[string]int64
	depts     map[string]int64 // Response.Department, for forms without a geo question
	pages     map[string]int64
	series    *buckets
	questions map[string]*qtally
	// ranking holds, per page, the yes/no answers to the usefulness question
	// of a page-feedback form.
	rankingKey string
	ranking    map[string]*[2]int64 // [no, yes]
	// noComments keeps, per page, a few written answers of those who said
	// "no" to the usefulness question (commentKey): what they were looking
	// for there. Current period only.
	commentKey string
	noComments map[string]*reservoir
	// needs crosses the information sought with the ease of finding it.
	needs *needsTally
	stop  map[string]bool
	seed  uint64
	// tag is the answer to the usefulness question of the response being
	// counted ("true", "false" or ""), which its written answers' samples
	// carry.
	tag string
	// scrubber takes e-mail addresses out of answers before their words are
	// counted.
	scrubber *Scrubber
	// themeStops are the words that make no theme, shared by the questions.
	themeStops *themeStops
	// lang is the language of the response being counted (themes stem its
	// words in it).
	lang string
}

// qtally accumulates the answers to one question.
type qtally struct {
	info    *qinfo
	n       int64
	counts  map[string]int64
	sum     float64
	terms   *termCounter
	samples *reservoir
	themes  *themeCounter
	// prev is the same question in the previous period's tally, when
	// compared (themes are new or growing against it).
	prev *qtally
}

func newTally(s *schema, series *buckets, light bool, seed uint64) *tally {
	t := &tally{
		schema: s, light: light, series: series, seed: seed,
		channels: map[string]int64{}, langs: map[string]int64{}, statuses: map[string]int64{},
		depts: map[string]int64{}, pages: map[string]int64{}, questions: map[string]*qtally{},
	}
	if s.form.Kind == forms.KindPageFeedback {
		if q := usefulnessQuestion(s.form); q != nil {
			t.rankingKey = q.ID
			t.ranking = map[string]*[2]int64{}
		}
	}
	// The previous period counts themes too, without examples: a theme is
	// new or growing against it. E-mail addresses are taken out there too.
	t.themeStops, t.scrubber = newThemeStops(), NewScrubber(Placeholders{})
	if !light {
		t.stop = stopWords()
		t.needs = newNeedsTally(s.form)
		if t.ranking != nil {
			t.commentKey = firstTextQuestion(s.form)
			t.noComments = map[string]*reservoir{}
		}
	}
	return t
}

// needsTally counts, per kind of information sought, the people who rated
// how easy it is to find, and those who found it hard.
type needsTally struct {
	sought, scale string
	hardMax       int
	rated, hard   map[string]int64
}

func newNeedsTally(f *forms.Form) *needsTally {
	if f.Kind != forms.KindNeedsAssessment {
		return nil
	}
	n := &needsTally{rated: map[string]int64{}, hard: map[string]int64{}}
	for _, q := range f.Questions {
		switch {
		case q.Personal:
		case q.Type == forms.TypeMultiple && n.sought == "":
			n.sought = q.ID
		case q.Type == forms.TypeScale && n.scale == "":
			n.scale = q.ID
			lo, hi := q.ScaleRange()
			n.hardMax = lo + (hi-lo+1)/2 - 1
		}
	}
	if n.sought == "" || n.scale == "" {
		return nil
	}
	return n
}

func (n *needsTally) add(answers map[string]any) {
	choices, _ := answers[n.sought].([]string)
	v, ok := answers[n.scale].(float64)
	if !ok {
		return
	}
	for _, c := range choices {
		n.rated[c]++
		if int(v) <= n.hardMax {
			n.hard[c]++
		}
	}
}

// usefulnessQuestion is the first yes/no question of a page-feedback form
// ("¿Encontró lo que buscaba?").
func usefulnessQuestion(f *forms.Form) *forms.Question {
	for _, q := range f.Questions {
		if q.Type == forms.TypeYesNo && !q.Personal {
			return q
		}
	}
	return nil
}

// firstTextQuestion is the id of a form's first free-text question that is
// not personal ("¿Qué estaba buscando?"), or "".
func firstTextQuestion(f *forms.Form) string {
	for _, q := range f.Questions {
		if (q.Type == forms.TypeText || q.Type == forms.TypeTextarea) && !q.Personal {
			return q.ID
		}
	}
	return ""
}

// add counts one response.
func (t *tally) add(r *consulta.Response) {
	t.total++
	t.lang = r.Lang
	t.channels[string(r.Channel)]++
	t.langs[r.Lang]++
	t.statuses[r.Status]++
	if r.Department != "" {
		t.depts[r.Department]++
	}
	page := normalizePage(r.Page)
	if _, ok := t.pages[page]; ok || len(t.pages) < maxPages {
		t.pages[page]++
	} else {
		page = ""
		t.pages[page]++
	}
	if t.series != nil {
		t.series.add(r.ReceivedAt)
	}
	t.tag = ""
	if b, ok := r.Answers[t.rankingKey].(bool); ok && t.rankingKey != "" {
		t.tag = strconv.FormatBool(b)
	}
	for key, v := range r.Answers {
		t.answer(key, v)
	}
	if t.needs != nil {
		t.needs.add(r.Answers)
	}
	if t.ranking != nil {
		if b, ok := r.Answers[t.rankingKey].(bool); ok {
			row := t.ranking[page]
			if row == nil {
				row = new([2]int64)
				t.ranking[page] = row
			}
			if b {
				row[1]++
			} else {
				row[0]++
				t.offerNoComment(page, r.Answers)
			}
		}
	}
}

// offerNoComment keeps what a person who said "no" on page was looking for,
// among at most pageComments per page (memory stays bounded by maxPages).
func (t *tally) offerNoComment(page string, answers map[string]any) {
	text, _ := answers[t.commentKey].(string)
	if t.noComments == nil || page == "" || strings.TrimSpace(text) == "" {
		return
	}
	res := t.noComments[page]
	if res == nil {
		res = newReservoir(t.seed ^ hashString("no|"+page))
		res.size = pageComments
		t.noComments[page] = res
	}
	res.offer(text)
}

func (t *tally) answer(key string, v any) {
	qt := t.questions[key]
	if qt == nil {
		qi := t.schema.byKey[key]
		if qi == nil {
			if qi = t.schema.infer(key, v); qi == nil {
				return
			}
		}
		qt = &qtally{info: qi, counts: map[string]int64{}}
		if qi.typ == forms.TypeText || qi.typ == forms.TypeTextarea {
			qt.themes = newThemeCounter(t.themeStops, t.seed^hashString(key), !t.light)
			qt.themes.strip = t.scrubber.stripEmails
			if !t.light {
				qt.terms = newTermCounter(t.stop)
				qt.terms.strip = t.scrubber.stripEmails
				qt.samples = newReservoir(t.seed ^ hashString(key))
			}
		}
		t.questions[key] = qt
	}
	if qt.samples != nil {
		qt.samples.tag = t.tag
	}
	qt.add(v)
	if s, ok := v.(string); ok && qt.themes != nil && strings.TrimSpace(s) != "" {
		qt.themes.add(s, t.lang)
	}
}

// add counts one answer; values of an unexpected type (a question whose type
// changed between versions) are ignored.
func (q *qtally) add(v any) {
	switch q.info.typ {
	case forms.TypeSingle:
		switch x := v.(type) {
		case string:
			q.n++
			q.counts[x]++
		case []string: // was a multiple question in another version
			q.addChoices(x)
		}
	case forms.TypeMultiple:
		switch x := v.(type) {
		case []string:
			q.addChoices(x)
		case string:
			q.addChoices([]string{x})
		}
	case forms.TypeYesNo, forms.TypeConsent:
		if b, ok := v.(bool); ok {
			q.n++
			q.counts[strconv.FormatBool(b)]++
		}
	case forms.TypeScale, forms.TypeRating:
		if x, ok := v.(float64); ok && x == math.Trunc(x) {
			q.n++
			q.sum += x
			q.counts[strconv.Itoa(int(x))]++
		}
	case forms.TypeNumber:
		if x, ok := v.(float64); ok && !math.IsNaN(x) && !math.IsInf(x, 0) {
			q.n++
			q.sum += x
		}
	case forms.TypeGeo:
		if g, ok := asGeo(v); ok && g.Department != "" {
			q.n++
			q.counts[g.Department]++
		}
	case forms.TypeText, forms.TypeTextarea:
		if s, ok := v.(string); ok && strings.TrimSpace(s) != "" {
			q.n++
			if q.terms != nil {
				q.terms.add(s)
				q.samples.offer(s)
			}
		}
	}
}

func (q *qtally) addChoices(choices []string) {
	if len(choices) == 0 {
		return
	}
	q.n++
	for _, c := range choices {
		q.counts[c]++
	}
}

func asGeo(v any) (consulta.Geo, bool) {
	switch g := v.(type) {
	case consulta.Geo:
		return g, true
	case *consulta.Geo:
		if g != nil {
			return *g, true
		}
	case map[string]any:
		dep, _ := g["department"].(string)
		mun, _ := g["municipality"].(string)
		return consulta.Geo{Department: dep, Municipality: mun}, dep != ""
	}
	return consulta.Geo{}, false
}

// normalizePage keeps the scheme, host and path of an embedding page: query
// strings and fragments may carry personal data (search terms, tokens), and
// they would split one page into many.
func normalizePage(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	path := strings.TrimSuffix(u.EscapedPath(), "/")
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + path
}

func hashString(s string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	return h.Sum64()
}

// reservoir keeps a uniform random sample of the eligible answers it is
// offered (Vitter's algorithm R), with a fixed seed so that the same data give
// the same report.
type reservoir struct {
	rng   *rand.Rand
	size  int
	seen  int
	items []string
	// tags[i] is what else is known of the author of items[i]: the answer
	// to the usefulness question of a page-feedback form ("true" or
	// "false"), set in tag before each offer; "" when none.
	tags []string
	tag  string
}

func newReservoir(seed uint64) *reservoir {
	return &reservoir{rng: rand.New(rand.NewPCG(seed, 0x5ca1ab1e)), size: sampleSize}
}

func (r *reservoir) offer(s string) {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	if n < minSampleLen || n > maxSampleLen || len(strings.Fields(s)) < 4 || slices.Contains(r.items, s) {
		return // too short, too long, or said already: samples show variety
	}
	r.seen++
	if len(r.items) < r.size {
		r.items = append(r.items, s)
		r.tags = append(r.tags, r.tag)
		return
	}
	if j := r.rng.IntN(r.seen); j < r.size {
		r.items[j], r.tags[j] = s, r.tag
	}
}

// buckets counts responses per week (from Monday) or month, in a time zone,
// over [from, to). The first bucket starts at from, so it may be shorter.
type buckets struct {
	interval string
	starts   []time.Time
	counts   []int64
}

// newBuckets chooses the interval from the period's length: weeks up to 26
// weeks (a monthly report has four or five, a semester 26 or 27), months
// beyond.
func newBuckets(from, to time.Time, loc *time.Location) *buckets {
	if from.IsZero() || to.IsZero() || !to.After(from) {
		return nil
	}
	b := &buckets{interval: "month"}
	if to.Sub(from) <= 27*7*24*time.Hour {
		b.interval = "week"
	}
	start := from.In(loc)
	for t := start; t.Before(to); t = b.next(t) {
		b.starts = append(b.starts, t)
	}
	b.counts = make([]int64, len(b.starts))
	return b
}

// next is the start of the bucket after the one holding t.
func (b *buckets) next(t time.Time) time.Time {
	y, m, d := t.Date()
	loc := t.Location()
	if b.interval == "week" {
		offset := (int(t.Weekday()) + 6) % 7 // days since Monday
		return time.Date(y, m, d-offset+7, 0, 0, 0, 0, loc)
	}
	return time.Date(y, m+1, 1, 0, 0, 0, 0, loc)
}

func (b *buckets) add(t time.Time) {
	// Binary search: the last start not after t.
	lo, hi := 0, len(b.starts)-1
	if hi < 0 || t.Before(b.starts[0]) {
		return
	}
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if b.starts[mid].After(t) {
			hi = mid - 1
		} else {
			lo = mid
		}
	}
	b.counts[lo]++
}
