package report

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
)

// numberFinder finds phone numbers and DPI numbers however their digits are
// grouped: any run of eight digits or more, each at most three separators
// (spaces, hyphens, dots, slashes, parentheses, underscores) from the next.
// Thirteen digits are a DPI (CUI, "2345 67890 0101"), unless they are a
// phone number with its "00502" prefix; any other run is a phone number:
// Guatemalan numbers have eight digits ("5512 3456", "+502 2411-9595"), and
// longer runs (international numbers, NIT, bank accounts) are personal too.
// Numbers written out in words, eight or more in a row ("cinco cinco uno
// dos..."), are phone numbers as well.
//
// Before that, the numbers that comments cite and that are nobody's are set
// aside, so that they are kept: dates ("12/03/2026", "2026-03-12"), years
// and ranges of years ("2019-2023"), MINEDUC school codes
// ("16-01-0123-43"), amounts with their currency ("Q 12.500.000", "15 000 000
// quetzales") and legal references ("Acuerdo Ministerial 1811-2019"). Shorter
// numbers (amounts such as "Q 1,250.00", percentages, grades, page ranges) are
// never runs of eight digits: commas do not join digits.
type numberFinder struct {
	run, spelled                          *regexp.Regexp
	date, isoDate, years, school          *regexp.Regexp
	amount, amountAfter, legal, digitWord *regexp.Regexp
	// digitWords are the numbers from zero to nine written out, in Spanish
	// and English.
	digitWords []string
}

func newNumberFinder() *numberFinder {
	words := strings.Fields(`cero uno una dos tres cuatro cinco seis siete ocho nueve
		zero one two three four five six seven eight nine`)
	digitWords := `(?:` + strings.Join(words, "|") + `)`
	return &numberFinder{
		digitWords: words,
		run:        regexp.MustCompile(`\(?\+?\d(?:[ \-./()_]{0,3}\d)*`),
		spelled:    regexp.MustCompile(`(?i)\b` + digitWords + `(?:[ ,.\-]{1,3}` + digitWords + `){7,}\b`),
		digitWord:  regexp.MustCompile(`(?i)` + digitWords),
		date:       regexp.MustCompile(`\b(\d{1,2})[ ]?([/.\-])[ ]?(\d{1,2})[ ]?([/.\-])[ ]?((?:19|20)\d{2})\b`),
		isoDate:    regexp.MustCompile(`\b((?:19|20)\d{2})([/.\-])(\d{1,2})([/.\-])(\d{1,2})\b`),
		years:      regexp.MustCompile(`\b(?:19|20)\d{2}(?:[ ]*[\-/ ][ ]*(?:19|20)\d{2}\b)+`),
		school:     regexp.MustCompile(`\b(\d{2})([\-. ])(\d{2})([\-. ])(\d{4})([\-. ])(\d{2})\b`),
		amount: regexp.MustCompile(`(?i:\b(?:q|gtq|usd)|us\$|\$)[ ]?\.?[ ]?` +
			`(?:\d{1,3}(?:[.,][ ]?\d{3}|[ ]\d{3})+|\d+)(?:[.,]\d{1,2})?`),
		amountAfter: regexp.MustCompile(`\b\d{1,3}(?:[. ]\d{3})+(?:,\d{1,2})?[ ]*(?i:quetzales|d[oó]lares|gtq|usd)\b`),
		legal: regexp.MustCompile(`(?i:acuerdo|decreto|oficio|resoluci[oó]n|circular|expediente|ley|dictamen|providencia)` +
			`\b[^\d\n]{0,25}\d{1,5}[ ]*-[ ]*(?:19|20)\d{2}\b`),
	}
}

// setAside blanks out the numbers that are nobody's, so that find does not
// take them for phone numbers.
func (n *numberFinder) setAside(f *folded) {
	for _, m := range n.date.FindAllSubmatchIndex(f.b, -1) {
		if sameSep(f.b, m[4], m[8]) && isDate(atoiAt(f.b, m[2], m[3]), atoiAt(f.b, m[6], m[7])) {
			f.blank(m[0], m[1])
		}
	}
	for _, m := range n.isoDate.FindAllSubmatchIndex(f.b, -1) {
		if sameSep(f.b, m[4], m[8]) && isDate(atoiAt(f.b, m[10], m[11]), atoiAt(f.b, m[6], m[7])) {
			f.blank(m[0], m[1])
		}
	}
	for _, m := range n.years.FindAllIndex(f.b, -1) {
		if yearList(f.b[m[0]:m[1]]) {
			f.blank(m[0], m[1])
		}
	}
	for _, m := range n.school.FindAllSubmatchIndex(f.b, -1) {
		if schoolCode(f.b, m) {
			f.blank(m[0], m[1])
		}
	}
	for _, re := range []*regexp.Regexp{n.amount, n.amountAfter, n.legal} {
		for _, m := range re.FindAllIndex(f.b, -1) {
			f.blank(m[0], m[1])
		}
	}
}

// find appends the phone and DPI numbers of f as spans.
func (n *numberFinder) find(f *folded, c clues, phone, dpi string, spans []span) []span {
	if c.digits >= 8 {
		spans = n.digitRuns(f, phone, dpi, spans)
	}
	words := 0
	for _, w := range n.digitWords {
		words += strings.Count(c.lower, w)
	}
	if words < 8 {
		return spans
	}
	for _, m := range n.spelled.FindAllIndex(f.b, -1) {
		placeholder := phone
		if len(n.digitWord.FindAllIndex(f.b[m[0]:m[1]], -1)) == 13 {
			placeholder = dpi
		}
		spans = f.take(m[0], m[1], placeholder, spans)
	}
	return spans
}

// digitRuns appends the runs of eight digits or more.
func (n *numberFinder) digitRuns(f *folded, phone, dpi string, spans []span) []span {
	for _, m := range n.run.FindAllIndex(f.b, -1) {
		digits := digitsOf(f.b[m[0]:m[1]])
		if len(digits) < 8 {
			continue
		}
		if f.b[m[0]] == '(' && bytes.IndexByte(f.b[m[0]:m[1]], ')') < 0 {
			m[0]++ // "(5512-3456)": the parentheses are around the number
		}
		placeholder := phone
		if len(digits) == 13 && digits[:5] != "00502" {
			placeholder = dpi
		}
		spans = f.take(m[0], m[1], placeholder, spans)
	}
	return spans
}

func digitsOf(b []byte) string {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c >= '0' && c <= '9' {
			out = append(out, c)
		}
	}
	return string(out)
}

func atoiAt(b []byte, i, j int) int {
	v, _ := strconv.Atoi(string(b[i:j]))
	return v
}

func sameSep(b []byte, i, j int) bool { return b[i] == b[j] }

// isDate reports whether day and month make a date in either order
// (day/month as in Guatemala, or month/day).
func isDate(a, b int) bool {
	return a >= 1 && b >= 1 && (a <= 31 && b <= 12 || a <= 12 && b <= 31)
}

// yearList reports whether b is years in increasing order over at most 30
// years ("2019-2023", "2019 / 2020 / 2021"). A Guatemala City number such as
// "2019-2023" reads the same: years are the likelier reading in a comment
// about statistics.
func yearList(b []byte) bool {
	digits := digitsOf(b) // the pattern matched groups of four digits only
	prev := 0
	for i := 0; i+4 <= len(digits); i += 4 {
		y, _ := strconv.Atoi(digits[i : i+4])
		if prev != 0 && (y <= prev || y-prev > 30) {
			return false
		}
		prev = y
	}
	return true
}

// schoolCode reports whether submatch m is a MINEDUC establishment code,
// "DD-MM-NNNN-LL": department (00, the capital city, to 22), municipality,
// the establishment's number and the level (41 to 46, pre-primary to
// diversified), all written with the same separator. Codes are public: the
// ministry lists every school with its code.
func schoolCode(b []byte, m []int) bool {
	if b[m[4]] != b[m[8]] || b[m[4]] != b[m[12]] {
		return false
	}
	dept, muni, level := atoiAt(b, m[2], m[3]), atoiAt(b, m[6], m[7]), atoiAt(b, m[14], m[15])
	return dept <= 22 && muni >= 1 && muni <= 40 && level >= 41 && level <= 46
}
