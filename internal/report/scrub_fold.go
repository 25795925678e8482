package report

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// folded is a text as the scrubber's patterns read it: full-width and other
// compatibility forms folded to their plain ones (NFKC: "５" is "5", "＠" is
// "@", "ª" is "a"), every kind of space a plain space, every dash a hyphen,
// and invisible format characters (zero-width spaces and joiners, soft
// hyphens) left out, so that none of them can hide a number or an address.
// Each byte of the folded text remembers which character of the original it
// came from, so that what is found is cut out of the original text, which
// otherwise stays as it was written.
type folded struct {
	b     []byte // the folded text; a detector blanks out what it took
	start []int  // start[i]: offset in the original of the character b[i] comes from
	end   []int  // end[i]: offset in the original just after that character
}

// taken fills the bytes a detector has used, so that no other detector
// matches them: it is neither a letter, a digit, a space nor a separator.
const taken = 0

func fold(s string) *folded {
	f := &folded{b: make([]byte, 0, len(s)), start: make([]int, 0, len(s)), end: make([]int, 0, len(s))}
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		out := foldRune(r)
		for j := 0; j < len(out); j++ {
			f.b = append(f.b, out[j])
			f.start = append(f.start, i)
			f.end = append(f.end, i+w)
		}
		i += w
	}
	return f
}

// foldRune is how one character reads to the patterns.
func foldRune(r rune) string {
	switch {
	case r == '\t':
		return " "
	case r < utf8.RuneSelf:
		return string(r)
	case r == utf8.RuneError:
		return ""
	case unicode.Is(unicode.Cf, r):
		return "" // zero-width spaces and joiners, soft hyphens, word joiners
	case unicode.Is(unicode.Zs, r):
		return " " // no-break, thin, figure, ideographic spaces
	case unicode.Is(unicode.Pd, r), r == '\u2212', r == '\u2043':
		return "-" // hyphens, en and em dashes, the minus sign, hyphen bullets
	case r == '\u00b7', r == '\u2022', r == '\u2219', r == '\u22c5', r == '\u30fb':
		return "." // middle dots and bullets between groups of digits
	}
	return norm.NFKC.String(string(r))
}

// span is a stretch of the original text to replace.
type span struct {
	from, to int
	with     string
}

// take records that the folded bytes [a, b) are personal data to replace
// with placeholder, and blanks them out.
func (f *folded) take(a, b int, placeholder string, spans []span) []span {
	if a >= b {
		return spans
	}
	f.blank(a, b)
	return append(spans, span{from: f.start[a], to: f.end[b-1], with: placeholder})
}

// blank hides the folded bytes [a, b) from the detectors that follow,
// without replacing anything in the original.
func (f *folded) blank(a, b int) {
	for i := a; i < b; i++ {
		f.b[i] = taken
	}
}
