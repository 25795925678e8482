package report

import (
	"regexp"
	"strings"
)

// Scrubber removes personal data from free text before it is shown outside the
// admin view: email addresses, phone numbers (Guatemalan "+502 5555 1234",
// "5555-1234", "55551234", and international numbers) and 13-digit DPI numbers
// (CUI, also written "2456 78901 0101"). Each is replaced by a placeholder.
//
// Any other run of eight digits or more is treated as a phone number too: NIT
// and account numbers are personal as well, and a false positive only hides a
// number from a sample comment. Year ranges ("2019-2023") and the ministry's
// school codes ("16-01-0123-43") are kept.
type Scrubber struct {
	// DPI numbers are found by the phone pattern and told apart by their 13 digits.
	email, phone *regexp.Regexp
	// Placeholders that replace what was found.
	Email, Phone, DPI string
}

// NewScrubber returns a Scrubber with the given placeholders (for example the
// localized "[correo]", "[teléfono]", "[DPI]"; empty strings remove the data
// without a trace, which term counting uses).
func NewScrubber(email, phone, dpi string) *Scrubber {
	return &Scrubber{
		email: regexp.MustCompile(`[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}`),
		// A digit, then at least seven more, each after at most two separators;
		// a leading "+" or "(" belongs to the number.
		phone: regexp.MustCompile(`[+(]?\d(?:[ \-()]{0,2}\d){7,}`),
		Email: email, Phone: phone, DPI: dpi,
	}
}

// Scrub removes personal data from s with the Spanish placeholders "[correo]",
// "[teléfono]" and "[DPI]".
func Scrub(s string) string {
	return spanishScrubber().Scrub(s)
}

// The Spanish placeholders; Localize swaps them for the report language's.
const (
	placeholderEmail = "[correo]"
	placeholderPhone = "[teléfono]"
	placeholderDPI   = "[DPI]"
)

func spanishScrubber() *Scrubber {
	return NewScrubber(placeholderEmail, placeholderPhone, placeholderDPI)
}

// Scrub returns s with emails, phone numbers and DPI numbers replaced by the
// placeholders.
func (sc *Scrubber) Scrub(s string) string {
	s = sc.email.ReplaceAllLiteralString(s, sc.Email)
	return sc.phone.ReplaceAllStringFunc(s, func(m string) string {
		digits := countDigits(m)
		switch {
		case digits == 13:
			return sc.DPI
		case digits == 8 && yearRange(m), schoolCode(m):
			return m
		}
		return sc.Phone
	})
}

func countDigits(s string) int {
	n := 0
	for _, c := range s {
		if c >= '0' && c <= '9' {
			n++
		}
	}
	return n
}

// yearRange reports whether an 8-digit match is two years ("2019-2023",
// "1990 2020"), which reports talk about, rather than a phone number.
func yearRange(m string) bool {
	f := strings.FieldsFunc(m, func(c rune) bool { return c < '0' || c > '9' })
	if len(f) != 2 || len(f[0]) != 4 || len(f[1]) != 4 {
		return false
	}
	isYear := func(y string) bool { return y[:2] == "19" || y[:2] == "20" }
	return isYear(f[0]) && isYear(f[1]) && f[0] <= f[1]
}

// schoolCode reports whether m is a MINEDUC establishment code,
// "DD-MM-NNNN-LL": public information that comments often cite.
func schoolCode(m string) bool {
	f := strings.Split(m, "-")
	if len(f) != 4 || len(f[0]) != 2 || len(f[1]) != 2 || len(f[2]) != 4 || len(f[3]) != 2 {
		return false
	}
	return countDigits(m) == 10
}
