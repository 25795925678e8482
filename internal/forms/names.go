package forms

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// QuestionIDFrom is the question id Consulta gives a name from another tool
// (a question of an XLSForm, a column of its data export): lowercase, accents
// dropped, and every character other than a-z, 0-9 and _ written as _. The
// XLSForm import names questions with it and the CSV import reads the columns
// of KoboToolbox exports with it, so both agree. The result may still be no
// valid id (empty): callers check.
func QuestionIDFrom(name string) string { return idFrom(name, "_") }

// OptionValueFrom is QuestionIDFrom for a choice's name: - is kept too.
func OptionValueFrom(name string) string { return idFrom(name, "_-") }

// idFrom lowercases name, drops its accents and writes each character that
// is not a-z, 0-9 or in keep as _.
func idFrom(name, keep string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.TrimSpace(name)) {
		r = unicode.ToLower(r)
		switch {
		case unicode.Is(unicode.Mn, r): // a combining accent, once NFD split it off
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9', strings.ContainsRune(keep, r):
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// ValidQuestionID reports whether id may name a question.
func ValidQuestionID(id string) bool { return questionIDPattern.MatchString(id) }

// ValidOptionValue reports whether v may be the value of a choice.
func ValidOptionValue(v string) bool { return optionValuePattern.MatchString(v) }

// ValidFormID reports whether id may name a form.
func ValidFormID(id string) bool { return formIDPattern.MatchString(id) }

// CheckOrigin tells what keeps s from being an origin a form may list
// (scheme://host[:port]), nil when it is one.
func CheckOrigin(s string) error { return checkOrigin(s) }
