package report

import (
	"slices"
	"strings"
)

// Scrubber removes personal data from free text before it is shown outside
// the admin view: e-mail addresses, phone numbers, DPI numbers and home
// addresses, each replaced by a placeholder. docs/reports.md ("Scrubbing
// free text") lists what it finds and what it keeps;
// testdata/scrub_corpus.txt is the corpus it is tested on.
//
// It reads the text folded (see folded): full-width digits, no-break and
// other spaces, dashes and zero-width characters cannot hide a number, and
// what it finds is cut out of the text as it was written. A false positive
// only hides a few words of a sample comment, so where a number could be
// either, it is removed.
//
// A Scrubber compiles its patterns once; make one and use it for many texts.
type Scrubber struct {
	p        Placeholders
	email    *emailFinder
	address  *addressFinder
	number   *numberFinder
	stripped Placeholders // all empty: what term counting uses
}

// Placeholders replace what a Scrubber finds. An empty one removes the data
// without a trace.
type Placeholders struct {
	Email, Phone, DPI, Address string
}

// NewScrubber returns a Scrubber that writes the given placeholders (for
// example the localized "[correo]", "[teléfono]", "[DPI]", "[dirección]").
func NewScrubber(p Placeholders) *Scrubber {
	return &Scrubber{p: p, email: newEmailFinder(), address: newAddressFinder(), number: newNumberFinder()}
}

// The Spanish placeholders, which aggregates hold; Localize swaps them for
// the report language's.
const (
	placeholderEmail   = "[correo]"
	placeholderPhone   = "[teléfono]"
	placeholderDPI     = "[DPI]"
	placeholderAddress = "[dirección]"
)

// SpanishPlaceholders are the placeholders of Spanish texts.
func SpanishPlaceholders() Placeholders {
	return Placeholders{Email: placeholderEmail, Phone: placeholderPhone, DPI: placeholderDPI, Address: placeholderAddress}
}

// Scrub removes personal data from s with the Spanish placeholders. It
// compiles a Scrubber for the one text: for many, make a Scrubber.
func Scrub(s string) string {
	return NewScrubber(SpanishPlaceholders()).Scrub(s)
}

// Scrub returns s with e-mail addresses, home addresses, phone numbers and
// DPI numbers replaced by the placeholders.
func (sc *Scrubber) Scrub(s string) string {
	return sc.scrub(s, sc.p, true)
}

// stripEmails removes e-mail addresses (however written) without a trace,
// so that their names and domains are not counted as words. Digits never
// make words, so numbers need not go; the quick test keeps this cheap for
// the many answers without an address.
func (sc *Scrubber) stripEmails(s string) string {
	if !mayHaveEmail(s) {
		return s
	}
	return sc.scrub(s, sc.stripped, false)
}

func (sc *Scrubber) scrub(s string, p Placeholders, all bool) string {
	f := fold(s)
	c := cluesOf(f.b)
	var spans []span
	// E-mail addresses first: their names may hold digits and street words.
	if mayHaveEmail(c.lower) {
		spans = sc.email.find(f, p.Email, spans)
	}
	if all {
		spans = sc.address.find(f, c, p.Address, spans)
		if c.digits >= 8 {
			sc.number.setAside(f)
		}
		spans = sc.number.find(f, c, p.Phone, p.DPI, spans)
	}
	if len(spans) == 0 {
		return s
	}
	slices.SortFunc(spans, func(a, b span) int { return a.from - b.from })
	var out strings.Builder
	at := 0
	for _, sp := range spans {
		if sp.from < at { // two finds within one folded character ("½")
			at = max(at, sp.to)
			continue
		}
		out.WriteString(s[at:sp.from])
		out.WriteString(sp.with)
		at = sp.to
	}
	out.WriteString(s[at:])
	return out.String()
}

// clues are what a text holds that the detectors need, found in one pass so
// that they skip the texts that cannot hold what they look for (most
// comments have no address and fewer than eight digits).
type clues struct {
	digits int    // ASCII digits of the folded text
	lower  string // the folded text with ASCII letters in lower case
}

func cluesOf(b []byte) clues {
	lower := make([]byte, len(b))
	digits := 0
	for i, ch := range b {
		switch {
		case ch >= '0' && ch <= '9':
			digits++
		case ch >= 'A' && ch <= 'Z':
			ch += 'a' - 'A'
		}
		lower[i] = ch
	}
	return clues{digits: digits, lower: string(lower)}
}

// containsAny reports whether s contains one of words.
func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
