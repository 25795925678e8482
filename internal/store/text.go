package store

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// textMatcher finds a search term in answers, ignoring case and accents: a person
// searching "educacion" finds "Educación".
type textMatcher struct {
	fold transform.Transformer
	term string
}

// newTextMatcher returns nil for an empty term: nothing to match.
func newTextMatcher(term string) *textMatcher {
	term = strings.TrimSpace(term)
	if term == "" {
		return nil
	}
	m := &textMatcher{fold: transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)}
	m.term = m.folded(term)
	return m
}

func (m *textMatcher) folded(s string) string {
	out, _, err := transform.String(m.fold, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
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
