package forms

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/consulta/consulta/internal/consulta"
)

// Default maximum lengths of text answers, in characters.
const (
	defaultTextLength     = 200
	defaultTextareaLength = 2000
	defaultEmailLength    = 254
	defaultPhoneLength    = 30
	defaultOtherLength    = 200
)

// TextLimit is the maximum length in characters of a text answer to q: its
// max_length, or the default of its type (0 for types that are not text).
// Renderers use it for the field's maxlength.
func (q *Question) TextLimit() int {
	if q.MaxLength > 0 {
		return q.MaxLength
	}
	switch q.Type {
	case TypeText:
		return defaultTextLength
	case TypeTextarea:
		return defaultTextareaLength
	case TypeEmail:
		return defaultEmailLength
	case TypePhone:
		return defaultPhoneLength
	}
	return 0
}

// cleanText checks the encoding of s and returns it cleaned by CleanText
// (multiline for a textarea). Invalid UTF-8 is refused rather than repaired:
// it only comes from broken clients, which should hear about it.
func cleanText(s string, multiline bool) (string, string) {
	if !utf8.ValidString(s) {
		return "", CodeInvalidUTF8
	}
	return CleanText(s, multiline), ""
}

func runeCount(s string) int { return utf8.RuneCountInString(s) }

func checkSingle(q *Question, v any) (any, string, map[string]any) {
	s, ok := v.(string)
	if !ok {
		return nil, CodeWrongType, nil
	}
	s, code := cleanText(s, false)
	switch {
	case code != "":
		return nil, code, nil
	case s == "":
		return nil, "", nil
	case !q.offers(s):
		return nil, CodeNotAnOption, nil
	}
	return s, "", nil
}

func checkMultiple(q *Question, v any) (any, string, map[string]any) {
	var items []any
	switch list := v.(type) {
	case []any:
		items = list
	case []string:
		items = listItems(list)
	default:
		return nil, CodeWrongType, nil
	}
	var chosen []string
	for _, item := range items {
		s, ok := item.(string)
		if !ok {
			return nil, CodeWrongType, nil
		}
		s, code := cleanText(s, false)
		switch {
		case code != "":
			return nil, code, nil
		case s == "":
			continue
		case !q.offers(s):
			return nil, CodeNotAnOption, nil
		case slices.Contains(chosen, s):
			return nil, CodeDuplicateChoice, nil
		}
		chosen = append(chosen, s)
	}
	if len(chosen) == 0 {
		return nil, "", nil
	}
	if q.Min != nil && float64(len(chosen)) < *q.Min {
		return nil, CodeTooFewChoices, map[string]any{"Min": numParam(*q.Min)}
	}
	if q.Max != nil && float64(len(chosen)) > *q.Max {
		return nil, CodeTooManyChoices, map[string]any{"Max": numParam(*q.Max)}
	}
	slices.SortFunc(chosen, func(a, b string) int { return q.choiceIndex(a) - q.choiceIndex(b) })
	return chosen, "", nil
}

// choiceIndex is the position of a choice in the question: its option's, or
// after every option for OtherValue.
func (q *Question) choiceIndex(value string) int {
	for i, o := range q.Options {
		if o.Value == value {
			return i
		}
	}
	return len(q.Options)
}

func checkText(q *Question, v any) (any, string, map[string]any) {
	s, ok := v.(string)
	if !ok {
		return nil, CodeWrongType, nil
	}
	s, code := cleanText(s, q.Type == TypeTextarea)
	switch {
	case code != "":
		return nil, code, nil
	case s == "":
		return nil, "", nil
	case runeCount(s) > q.TextLimit():
		return nil, CodeTooLong, map[string]any{"Max": q.TextLimit()}
	}
	switch q.Type {
	case TypeEmail:
		if !validEmail(s) {
			return nil, CodeInvalidEmail, nil
		}
	case TypePhone:
		phone, ok := normalizePhone(s)
		if !ok {
			return nil, CodeInvalidPhone, nil
		}
		s = phone
	}
	return s, "", nil
}

func checkNumber(q *Question, v any) (any, string, map[string]any) {
	n, ok := asNumber(v)
	if !ok || math.IsNaN(n) || math.IsInf(n, 0) {
		return nil, CodeWrongType, nil
	}
	lo, hi := q.Min, q.Max
	if q.Type == TypeScale || q.Type == TypeRating {
		l, h := q.ScaleRange()
		lo, hi = ptr(float64(l)), ptr(float64(h))
	}
	if q.Type != TypeNumber && n != math.Trunc(n) {
		return nil, CodeNotInteger, nil
	}
	if (lo != nil && n < *lo) || (hi != nil && n > *hi) {
		code, params := rangeProblem(lo, hi)
		return nil, code, params
	}
	return n, "", nil
}

func ptr(f float64) *float64 { return &f }

// rangeProblem names an out-of-bounds number's problem by the bounds that exist,
// so that each message can say exactly what is allowed.
func rangeProblem(lo, hi *float64) (string, map[string]any) {
	switch {
	case lo != nil && hi != nil:
		return CodeOutOfRange, map[string]any{"Min": numParam(*lo), "Max": numParam(*hi)}
	case lo != nil:
		return CodeBelowMin, map[string]any{"Min": numParam(*lo)}
	default:
		return CodeAboveMax, map[string]any{"Max": numParam(*hi)}
	}
}

// numParam writes a bound as an int when it is whole, so messages read "5",
// not "5.0".
func numParam(f float64) any {
	if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return int(f)
	}
	return f
}

func checkGeo(v any, geo GeoChecker) (any, string, map[string]any) {
	var g consulta.Geo
	switch x := v.(type) {
	case consulta.Geo:
		g = x
	case map[string]any:
		for key, field := range x {
			s, ok := field.(string)
			if !ok || (key != "department" && key != "municipality") {
				return nil, CodeWrongType, nil
			}
			if key == "department" {
				g.Department = s
			} else {
				g.Municipality = s
			}
		}
	default:
		return nil, CodeWrongType, nil
	}
	g.Department, g.Municipality = strings.TrimSpace(g.Department), strings.TrimSpace(g.Municipality)
	if g == (consulta.Geo{}) {
		return nil, "", nil
	}
	if !geoShape(g) || (geo != nil && !geo.Valid(g.Department, g.Municipality)) {
		return nil, CodeInvalidGeo, nil
	}
	return g, "", nil
}

// geoShape checks the form of INE codes: department "01".."99", municipality
// "" or four digits starting with its department's two.
func geoShape(g consulta.Geo) bool {
	if len(g.Department) != 2 || !allDigits(g.Department) {
		return false
	}
	return g.Municipality == "" ||
		(len(g.Municipality) == 4 && allDigits(g.Municipality) && strings.HasPrefix(g.Municipality, g.Department))
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
