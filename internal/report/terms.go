package report

import (
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Term is a frequent word of the free-text answers to a question: Count is the
// number of answers that use it (each answer counts once).
type Term struct {
	Term  string `json:"term"`
	Count int64  `json:"n"`
}

// maxTerms bounds the distinct words a termCounter keeps. Past it, the rarest
// words are dropped (they could never reach the top of the list anyway), so
// memory stays flat however many answers stream by; the counts of the words
// kept are then lower bounds, exact for every word that was never dropped.
const maxTerms = 20000

// termCounter counts, per accent-folded word, the answers that use it.
type termCounter struct {
	counts  map[string]int64
	display map[string]string // the spelling shown: the accented one when seen
	floor   int64             // words with a count up to floor were pruned
	stop    map[string]bool
	fold    transform.Transformer
	seen    map[string]bool // scratch set for one answer
	// strip, when set, removes what must not be counted (e-mail addresses,
	// whose names and domains would otherwise top the list).
	strip func(string) string
}

func newTermCounter(stop map[string]bool) *termCounter {
	return &termCounter{
		counts:  make(map[string]int64),
		display: make(map[string]string),
		stop:    stop,
		fold:    transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC),
		seen:    make(map[string]bool),
	}
}

// add counts the words of one answer.
func (tc *termCounter) add(text string) {
	if tc.strip != nil {
		text = tc.strip(text)
	}
	clear(tc.seen)
	for _, w := range words(text) {
		key, _, err := transform.String(tc.fold, w)
		if err != nil || tc.stop[key] || tc.seen[key] {
			continue
		}
		tc.seen[key] = true
		tc.counts[key]++
		if d, ok := tc.display[key]; !ok || accents(w) > accents(d) {
			tc.display[key] = w
		}
	}
	if len(tc.counts) > maxTerms {
		tc.prune()
	}
}

// prune drops the rarest words until the map is back under its bound.
func (tc *termCounter) prune() {
	for len(tc.counts) > maxTerms*3/4 {
		tc.floor++
		for k, n := range tc.counts {
			if n <= tc.floor {
				delete(tc.counts, k)
				delete(tc.display, k)
			}
		}
	}
}

// top returns up to n words used in at least min answers, most used first.
func (tc *termCounter) top(n int, min int64) []Term {
	var ts []Term
	for k, c := range tc.counts {
		if c >= min {
			ts = append(ts, Term{Term: tc.display[k], Count: c})
		}
	}
	sort.Slice(ts, func(i, j int) bool {
		if ts[i].Count != ts[j].Count {
			return ts[i].Count > ts[j].Count
		}
		return ts[i].Term < ts[j].Term
	})
	if len(ts) > n {
		ts = ts[:n]
	}
	return ts
}

// words splits text into lower-case words of three letters or more. Digits
// and punctuation separate words; the apostrophes of Mayan orthography (' and
// U+02BC) stay inside them.
func words(text string) []string {
	fields := strings.FieldsFunc(strings.ToLower(text), func(c rune) bool {
		return !unicode.IsLetter(c) && c != '\'' && c != 'ʼ'
	})
	out := fields[:0]
	for _, f := range fields {
		f = strings.Trim(f, "'ʼ")
		if len([]rune(f)) >= 3 {
			out = append(out, f)
		}
	}
	return out
}

func accents(s string) int {
	n := 0
	for _, c := range s {
		if c > unicode.MaxASCII {
			n++
		}
	}
	return n
}

// stopWords returns the accent-folded Spanish and English words too common to
// say anything about an answer, plus placeholder words.
func stopWords() map[string]bool {
	list := `
a al algo algun alguna algunas alguno algunos alli ante antes aqui asi aun aunque bien cada casi
como con contra cual cuales cuando cuanto cuantos de del desde donde dos el ella ellas ello ellos
en entre era eran eres es esa esas ese eso esos esta estaba estado estamos estan estar estas este
esto estos estoy fue fueron gracias ha hace hacen hacer hacia han hasta hay haya he hemos hoy
la las le les lo los mas me mi mis mismo mucho muchos muy nada ni no nos nosotros nuestra nuestro
nuestros o otra otras otro otros para pero poco por porque pues que quien quienes se sea ser si
sido sin sobre solo son su sus tal tambien tan tanto te tener tengo ti tiene tienen todo todos
tras tu tus un una uno unos usted ustedes ya yo vez veces cosa cosas puede pueden poder debe
deben deberia podria seria sera etc favor buen buena buenas buenos dia dias tarde noches hola
quisiera quiero queremos necesito necesitamos saber ver
the and for with that this are was were you your our from have has not but can all any
about into more most some such than then them they there these those what when where which who
will would should could please thanks
correo telefono dpi
`
	m := make(map[string]bool)
	for _, w := range strings.Fields(list) {
		m[w] = true
	}
	return m
}
