// Package stem reduces words to their stems with the Snowball algorithms
// (github.com/kljensen/snowball), so that "becas" and "beca", or "teachers"
// and "teacher", count as one word. It is the only package that imports the
// stemmer.
package stem

import (
	"strings"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/spanish"
)

// Word returns the stem of one lower-case word in the language tag lang:
// English for "en" (and "en-…"), Spanish for every other tag. Consulta's
// answers are written in Spanish, English or K'iche'; Snowball has no K'iche'
// stemmer, and answers given in the K'iche' interface are mostly written in
// Spanish, so Spanish is the better guess.
func Word(lang, word string) string {
	if English(lang) {
		return english.Stem(word, true)
	}
	return spanish.Stem(word, true)
}

// English reports whether Word stems words of lang with the English
// algorithm (otherwise the Spanish one): callers that remember stems key
// them by it.
func English(lang string) bool { return lang == "en" || strings.HasPrefix(lang, "en-") }
