package store

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// textMatcher finds a search term in answers, ignoring case and accents: a person
// searching "educacion" finds "Educación".
type textMatcher struct {
	// latin is the folded form of each rune below len(latin) (ASCII and the
	// Latin letters of Spanish and the Mayan alphabets), computed once per
	// matcher: the browser folds thousands of answers per page.
	latin []string
	term  string
	buf   []byte // mayMatchJSON's, reused: a matcher serves one request
}

// foldTableSize covers Latin-1 and Latin Extended-A and -B.
const foldTableSize = 0x250

// newTextMatcher returns nil for an empty term: nothing to match.
func newTextMatcher(term string) *textMatcher {
	term = strings.TrimSpace(term)
	if term == "" {
		return nil
	}
	m := &textMatcher{latin: make([]string, foldTableSize)}
	for r := range rune(foldTableSize) {
		m.latin[r] = foldRune(r)
	}
	m.term = m.folded(term)
	return m
}

// foldRune is r without its accents (the nonspacing marks of its canonical
// decomposition), in lower case.
func foldRune(r rune) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, string(r))
	if err != nil {
		out = string(r)
	}
	return strings.ToLower(out)
}

// folded is s folded rune by rune: the same for a word however its accents
// and case are written.
func (m *textMatcher) folded(s string) string { return string(m.appendFolded(nil, []byte(s))) }

// appendFolded appends src, folded, to dst.
func (m *textMatcher) appendFolded(dst, src []byte) []byte {
	for len(src) > 0 {
		c := src[0]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			src = src[1:]
			continue
		}
		r, size := utf8.DecodeRune(src)
		src = src[size:]
		switch {
		case r < foldTableSize:
			dst = append(dst, m.latin[r]...)
		case unicode.Is(unicode.Mn, r):
			// a combining accent written apart: dropped
		default:
			dst = append(dst, foldRune(r)...)
		}
	}
	return dst
}

// matchesAny reports whether a text answer, or one of the options chosen in a
// multiple-choice answer, contains the term.
func (m *textMatcher) matchesAny(answers map[string]any) bool {
	for _, v := range answers {
		switch x := v.(type) {
		case string:
			if m.matches(x) {
				return true
			}
		case []string:
			for _, s := range x {
				if m.matches(s) {
					return true
				}
			}
		}
	}
	return false
}

func (m *textMatcher) matches(s string) bool {
	return strings.Contains(m.folded(s), m.term)
}

// mayMatchJSON reports whether doc, a JSON document as stored, may hold the
// term in its answers: false only when the term is nowhere in its text, folded
// as answers are. A true still needs matchesAny (the term may be in a key or
// another field). A term with a character JSON escapes is not looked for in
// the raw text: always true.
func (m *textMatcher) mayMatchJSON(doc []byte) bool {
	if strings.ContainsAny(m.term, "\"\\<>&\u2028\u2029") || strings.ContainsFunc(m.term, unicode.IsControl) {
		return true
	}
	m.buf = m.appendFolded(m.buf[:0], doc)
	return bytes.Contains(m.buf, []byte(m.term))
}
