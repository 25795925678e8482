package report

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/consulta/consulta/internal/stem"
)

// Theme is something several written answers to a question talk about: a
// word reduced to its stem ("becas" and "beca" are one theme) or a phrase of
// two or three such words ("solicitud de beca"), with how many answers use
// it (each answer counts once).
type Theme struct {
	// Label is the shortest spelling people used (the singular, usually);
	// a phrase keeps the small words written between its words.
	Label string
	Count int64
	// Words is 1, 2 or 3.
	Words int
	// Previous is the theme's count in the previous period, when that period
	// is compared and k answers or more used it there; 0 otherwise.
	Previous int64
	// Trend is TrendNew, TrendGrowing or "".
	Trend string
	// Examples are one or two answers that use it, scrubbed (Spanish
	// placeholders until Localize).
	Examples []string
	key      string
}

// Trends of a theme against the previous period.
const (
	// TrendNew: fewer than k answers used it in the previous period, which
	// had k written answers or more.
	TrendNew = "new"
	// TrendGrowing: its share of the written answers is at least half as
	// large again as in the previous period, and 5 points larger or more.
	TrendGrowing = "growing"
)

// Bounds of the themes of one question.
const (
	maxThemeKeys  = 30000 // distinct stems and phrases kept while reading
	topThemes     = 10    // themes listed by count
	trendThemes   = 5     // new or growing themes listed beyond those
	themeExamples = 2     // example answers per theme
	themeMaxWords = 3     // longest phrase
)

// themeCounter counts, per stem and per phrase of two or three stems, the
// answers that use it. Like termCounter, it prunes its rarest keys to keep
// memory flat; the counts kept are then lower bounds.
type themeCounter struct {
	counts  map[string]int64
	display map[string]string
	// sig identifies the set of answers that use a key: the sum of a hash
	// of each answer's number. Keys with the same count and sig are used by
	// the same answers (a sentence many wrote alike): one theme, not several.
	sig      map[string]uint64
	answers  uint64
	examples map[string]*[themeExamples]example // nil: no examples (previous period)
	floor    int64
	stop     *themeStops
	fold     transform.Transformer
	seen     map[string]bool
	seed     uint64
	// words memoizes word (stem and kind per spelling and language).
	words map[string]wordInfo
	// strip removes what must not be counted (e-mail addresses).
	strip func(string) string
}

// example is a candidate example answer; the two of lowest rank are kept, a
// fixed-seed pseudo-random choice that does not depend on reading order.
type example struct {
	text string
	rank uint64
}

func newThemeCounter(stop *themeStops, seed uint64, withExamples bool) *themeCounter {
	tc := &themeCounter{
		counts:  map[string]int64{},
		display: map[string]string{},
		sig:     map[string]uint64{},
		stop:    stop,
		fold:    transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC),
		seen:    map[string]bool{},
		seed:    seed,
		words:   map[string]wordInfo{},
	}
	if withExamples {
		tc.examples = map[string]*[themeExamples]example{}
	}
	return tc
}

// token is one content word of an answer: its stem, and where it was.
type token struct {
	stem       string
	start, end int // byte offsets in the lower-cased text
}

// add counts the themes of one answer written in language lang.
func (tc *themeCounter) add(text, lang string) {
	original := strings.TrimSpace(text)
	if tc.strip != nil {
		text = tc.strip(text)
	}
	lower := strings.ToLower(text)
	clear(tc.seen)
	tc.answers++
	for _, clause := range tc.clauses(lower, lang) {
		for i := range clause {
			for n := 1; n <= themeMaxWords && i+n <= len(clause); n++ {
				tc.count(clause[i:i+n], lower)
			}
		}
	}
	if tc.examples != nil && exampleWorthy(original) {
		rank := hashString(original) ^ tc.seed
		for key := range tc.seen {
			tc.offer(key, example{original, rank})
		}
	}
	if len(tc.counts) > maxThemeKeys {
		tc.prune()
	}
}

// count counts the phrase of toks once per answer.
func (tc *themeCounter) count(toks []token, lower string) {
	stems := make([]string, len(toks))
	for i, t := range toks {
		stems[i] = t.stem
	}
	if tc.allWeak(stems) {
		return // "información" alone says nothing; "información de becas" does
	}
	key := strings.Join(stems, " ")
	if tc.seen[key] {
		return
	}
	tc.seen[key] = true
	tc.counts[key]++
	tc.sig[key] += mix64(tc.answers)
	label := strings.Join(strings.Fields(lower[toks[0].start:toks[len(toks)-1].end]), " ")
	if d, ok := tc.display[key]; !ok || betterLabel(label, d) {
		tc.display[key] = label
	}
}

// betterLabel prefers the shorter spelling (the singular), then the one with
// more accents (written correctly), then the first in alphabetical order.
func betterLabel(a, b string) bool {
	la, lb := utf8.RuneCountInString(a), utf8.RuneCountInString(b)
	if la != lb {
		return la < lb
	}
	if accents(a) != accents(b) {
		return accents(a) > accents(b)
	}
	return a < b
}

func (tc *themeCounter) offer(key string, e example) {
	slot := tc.examples[key]
	if slot == nil {
		slot = new([themeExamples]example)
		tc.examples[key] = slot
	}
	for i := range slot {
		if slot[i].text == e.text {
			return
		}
	}
	for i := range slot {
		if slot[i].text == "" || e.rank < slot[i].rank {
			copy(slot[i+1:], slot[i:len(slot)-1])
			slot[i] = e
			return
		}
	}
}

// exampleWorthy: examples, like sample comments, are readable sentences of
// a reasonable length.
func exampleWorthy(s string) bool {
	n := utf8.RuneCountInString(s)
	return n >= minSampleLen && n <= maxSampleLen && len(strings.Fields(s)) >= 4
}

// clauses splits lower-cased text into runs of content words: punctuation,
// digits and conjunctions end a run (no phrase spans "becas, horarios" or
// "becas y horarios"); stop words are left out of a run without ending it
// ("solicitud de beca" is the phrase "solicitud beca").
func (tc *themeCounter) clauses(lower, lang string) [][]token {
	var out [][]token
	var cur []token
	flush := func() {
		if len(cur) > 0 {
			out = append(out, cur)
			cur = nil
		}
	}
	start := -1
	word := func(end int) {
		raw := lower[start:end]
		w := strings.Trim(raw, "'ʼ")
		off := start + strings.Index(raw, w)
		start = -1
		switch info := tc.word(w, lang); info.kind {
		case wordBreak:
			flush()
		case wordContent:
			cur = append(cur, token{stem: info.stem, start: off, end: off + len(w)})
		}
	}
	for i, c := range lower {
		inWord := unicode.IsLetter(c) || c == '\'' || c == 'ʼ' || unicode.Is(unicode.Mn, c)
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			word(i)
		}
		if !inWord && !unicode.IsSpace(c) && c != '-' {
			flush() // punctuation or a digit
		}
	}
	if start >= 0 {
		word(len(lower))
	}
	flush()
	return out
}

// wordKind is what a word does in a clause.
type wordKind uint8

const (
	wordSkip    wordKind = iota // a stop word, a short word or an empty verb: left out
	wordBreak                   // a conjunction: ends the phrase
	wordContent                 // counted, by its stem
)

// wordInfo is what clauses needs to know of one spelling of a word.
type wordInfo struct {
	kind wordKind
	stem string
}

// maxWordCache bounds the memo of words: a portal's answers use a vocabulary
// of some tens of thousands of spellings; typos beyond the bound only cost
// the stemming again.
const maxWordCache = 200_000

// word classifies and stems the lower-cased word w of an answer in lang,
// once per spelling and language: folding and stemming every word of every
// answer was a third of a 446,000-response report's time.
func (tc *themeCounter) word(w, lang string) wordInfo {
	key := w
	if stem.English(lang) {
		key = "en\x00" + w
	}
	if info, ok := tc.words[key]; ok {
		return info
	}
	var info wordInfo
	folded, _, err := transform.String(tc.fold, w)
	switch {
	case err != nil:
	case tc.stop.breaks[folded]:
		info.kind = wordBreak
	case utf8.RuneCountInString(w) < 3 || tc.stop.words[folded]:
	default:
		s, _, _ := transform.String(tc.fold, stem.Word(lang, w))
		if !tc.stop.stems[s] {
			info = wordInfo{kind: wordContent, stem: s}
		}
	}
	if len(tc.words) >= maxWordCache {
		clear(tc.words)
	}
	tc.words[key] = info
	return info
}

// prune drops the rarest keys until the map is back under its bound.
func (tc *themeCounter) prune() {
	for len(tc.counts) > maxThemeKeys*3/4 {
		tc.floor++
		for k, n := range tc.counts {
			if n <= tc.floor {
				delete(tc.counts, k)
				delete(tc.display, k)
				delete(tc.sig, k)
				delete(tc.examples, k)
			}
		}
	}
}

// themes lists the themes used by k answers or more, the most used first
// (topThemes), then the new and growing ones among the rest (trendThemes).
// A theme is left out when a longer phrase that contains it is listed and
// used by three quarters of its answers or more: "solicitud de beca" then
// says it better than "beca". answered is the count of written answers;
// prev, when set, is the previous period's counter and prevAnswered its
// count of written answers.
func (tc *themeCounter) themes(k, answered int64, prev *themeCounter, prevAnswered int64) []Theme {
	var cands []Theme
	for key, c := range tc.counts {
		if c >= k {
			cands = append(cands, Theme{key: key, Label: tc.display[key], Count: c, Words: strings.Count(key, " ") + 1})
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Words != b.Words {
			return wordsRank(a.Words) < wordsRank(b.Words)
		}
		return a.Label < b.Label
	})
	if len(cands) > 300 {
		cands = cands[:300] // enough for the lists below, and quadratic after
	}
	// Of the keys used by the same answers, the first is kept.
	type set struct {
		n   int64
		sig uint64
	}
	sets := map[set]bool{}
	distinct := cands[:0:0]
	for _, c := range cands {
		s := set{c.Count, tc.sig[c.key]}
		if !sets[s] {
			sets[s] = true
			distinct = append(distinct, c)
		}
	}
	kept := distinct[:0:0]
	for _, c := range distinct {
		if !subsumed(c, distinct) {
			kept = append(kept, c)
		}
	}
	for i := range kept {
		tc.compare(&kept[i], k, answered, prev, prevAnswered)
	}
	out := slices.Clip(kept[:min(len(kept), topThemes)])
	for _, c := range kept[len(out):] {
		if len(out) >= topThemes+trendThemes {
			break
		}
		if c.Trend != "" {
			out = append(out, c)
		}
	}
	for i := range out {
		if slot := tc.examples[out[i].key]; slot != nil {
			for _, e := range slot {
				if e.text != "" {
					out[i].Examples = append(out[i].Examples, e.text)
				}
			}
		}
	}
	return out
}

// wordsRank orders keys used by as many answers: two words first ("calendario
// escolar"), then three, then one.
func wordsRank(words int) int {
	if words == 2 {
		return 0
	}
	return words
}

// mix64 is SplitMix64's finalizer: distinct, well-spread values for the
// answer numbers summed in sig.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// allWeak reports whether every stem of a phrase is weak ("página del
// ministerio").
func (tc *themeCounter) allWeak(stems []string) bool {
	for _, s := range stems {
		if !tc.stop.weak[s] {
			return false
		}
	}
	return true
}

// subsumed reports whether a longer candidate contains c and is used by
// three quarters of c's answers or more.
func subsumed(c Theme, cands []Theme) bool {
	inner := " " + c.key + " "
	for _, p := range cands {
		if p.Words > c.Words && p.Count*4 >= c.Count*3 && strings.Contains(" "+p.key+" ", inner) {
			return true
		}
	}
	return false
}

// compare sets th's Previous and Trend. A count under k in the
// previous period is never published: the theme is just "new".
func (tc *themeCounter) compare(th *Theme, k, answered int64, prev *themeCounter, prevAnswered int64) {
	if prev == nil || prevAnswered < k || answered == 0 {
		return
	}
	before := prev.counts[th.key]
	if before < k {
		th.Trend = TrendNew
		return
	}
	th.Previous = before
	now, then := float64(th.Count)/float64(answered), float64(before)/float64(prevAnswered)
	if now >= 1.5*then && now-then >= 0.05 {
		th.Trend = TrendGrowing
	}
}

// themeStops are the words that make no theme.
type themeStops struct {
	// words are left out of phrases (articles, prepositions, pronouns...).
	words map[string]bool
	// breaks end a phrase: conjunctions.
	breaks map[string]bool
	// stems are the stems of empty verbs in every form ("deberían",
	// "falta", "hay", "poder"...): feedback is full of them.
	stems map[string]bool
	// weak are stems that make no theme alone but may be part of a phrase.
	weak map[string]bool
}

func newThemeStops() *themeStops {
	s := &themeStops{words: stopWords(), breaks: map[string]bool{}, stems: map[string]bool{}, weak: map[string]bool{}}
	for _, w := range strings.Fields("y e o u ni pero sino porque aunque and or but because") {
		s.breaks[w] = true
	}
	fold := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	stemAll := func(lang, list string, into map[string]bool) {
		for _, w := range strings.Fields(list) {
			st, _, _ := transform.String(fold, stem.Word(lang, w))
			into[st] = true
		}
	}
	stemAll("es", `deber debe deben debería deberían deberia deberian debemos
		faltar falta faltan faltaría faltarían hay haber había habría
		poder puede pueden podría podrían podemos pudiera
		tener tiene tienen tenga tengan hacer hace hacen haga hagan
		necesitar necesita necesitan necesito necesitamos
		querer quiero quisiera queremos gustaría gustar
		mejorar mejoren mejore seguir sigue existir existe encontrar encuentro encontré
		aparecer aparece aparecen salir sale salen buscar busco buscaba ver veo
		saber sé conocer estar está están agradecer agradecería agradeceríamos
		dar den ayudar ayuden poner pongan usar`, s.stems)
	stemAll("en", `should would could must need needs needed want wanted wish like
		lack lacking missing make makes made give get find found improve improved
		help use used appear appears look looking search searching see know`, s.stems)
	stemAll("es", `información informacion info página paginas sitio web portal ministerio
		mineduc cosa tema parte forma manera gente persona personas
		escolar escolares educativo educativa educación año años`, s.weak)
	stemAll("en", `information info page site website portal ministry thing people`, s.weak)
	return s
}

// linkPrevious ties each question of the current period's tally to the same
// question of the previous period's, for the themes' trends.
func linkPrevious(now, before *tally) {
	for key, q := range now.questions {
		q.prev = before.questions[key]
	}
}

// themes publishes the themes of a text question, their examples scrubbed,
// and withdraws them when the count of written answers is hidden: each theme
// listed says that k answers or more use it.
func (b *builder) themes(qr *QuestionResult, qt *qtally) {
	if qt.themes == nil || qt.themes.examples == nil {
		return // the previous period: its themes are only compared with
	}
	var prev *themeCounter
	var prevN int64
	if qt.prev != nil {
		prev, prevN = qt.prev.themes, qt.prev.n
	}
	qr.Themes = qt.themes.themes(max(b.termK, 2), qt.n, prev, prevN)
	for i := range qr.Themes {
		for j, e := range qr.Themes[i].Examples {
			qr.Themes[i].Examples[j] = b.scrubber.Scrub(e)
		}
	}
	b.after = append(b.after, func() {
		if qr.Answered.Suppressed {
			qr.Themes = nil
		}
	})
}
