package forms

import (
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/consulta/consulta/internal/consulta"
)

// decimalPattern is the number syntax of an HTML number field. strconv alone
// would also take "NaN", "Inf" and hexadecimal floats.
var decimalPattern = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

// DecodeValues turns the fields of an urlencoded form submission into the
// values Validate takes. Field names are question ids; a multiple question
// sends one field per ticked choice and its "other" text in "<id>_other"; a
// geo question sends "<id>[department]" and "<id>[municipality]" (→
// consulta.Geo). yesno and consent send "true" or "false" (a checkbox's "on"
// is true); numbers become float64. A value that cannot be converted is kept
// as its string, so that Validate reports wrong_type. Blank values are
// omitted; when a single-valued question is sent twice the first non-blank
// value counts. Fields that are not answers (the page's own meta fields) are
// ignored.
func (f *Form) DecodeValues(v url.Values) map[string]any {
	out := make(map[string]any)
	for _, q := range f.Questions {
		switch q.Type {
		case TypeMultiple:
			if choices := nonBlank(v[q.ID]); len(choices) > 0 {
				out[q.ID] = choices
			}
			if q.Other {
				if text, ok := firstNonBlank(v[q.OtherID()]); ok {
					out[q.OtherID()] = text
				}
			}
		case TypeGeo:
			g := consulta.Geo{
				Department:   strings.TrimSpace(v.Get(q.ID + "[department]")),
				Municipality: strings.TrimSpace(v.Get(q.ID + "[municipality]")),
			}
			if g != (consulta.Geo{}) {
				out[q.ID] = g
			}
		default:
			if s, ok := firstNonBlank(v[q.ID]); ok {
				out[q.ID] = decodeScalar(q.Type, s)
			}
		}
	}
	return out
}

// decodeScalar converts the text of one field to the type of the question.
func decodeScalar(t QuestionType, s string) any {
	switch t {
	case TypeYesNo, TypeConsent:
		switch strings.TrimSpace(s) {
		case "true", "on":
			return true
		case "false":
			return false
		}
	case TypeScale, TypeRating, TypeNumber:
		trimmed := strings.TrimSpace(s)
		if decimalPattern.MatchString(trimmed) {
			if n, err := strconv.ParseFloat(trimmed, 64); err == nil && !math.IsInf(n, 0) {
				return n
			}
		}
	}
	return s
}

func nonBlank(values []string) []string {
	var out []string
	for _, s := range values {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

func firstNonBlank(values []string) (string, bool) {
	for _, s := range values {
		if strings.TrimSpace(s) != "" {
			return s, true
		}
	}
	return "", false
}

// EncodeValues is the inverse of DecodeValues: it writes answers (typed or
// raw) as the form fields that would send them, for example to fill a form
// page again with what the person answered. Keys that are neither a question
// nor an "other" text are left out.
func (f *Form) EncodeValues(answers map[string]any) url.Values {
	v := make(url.Values)
	for _, q := range f.Questions {
		if q.Type == TypeMultiple && q.Other {
			if text, ok := answers[q.OtherID()].(string); ok {
				v.Set(q.OtherID(), text)
			}
		}
		a, ok := answers[q.ID]
		if !ok {
			continue
		}
		switch x := a.(type) {
		case consulta.Geo:
			setGeo(v, q.ID, x.Department, x.Municipality)
		case map[string]any:
			dep, _ := x["department"].(string)
			mun, _ := x["municipality"].(string)
			setGeo(v, q.ID, dep, mun)
		default:
			for _, s := range fieldTexts(a) {
				v.Add(q.ID, s)
			}
		}
	}
	return v
}

func setGeo(v url.Values, id, dep, mun string) {
	v.Set(id+"[department]", dep)
	if mun != "" {
		v.Set(id+"[municipality]", mun)
	}
}

// fieldTexts writes one answer value as the texts of its field(s).
func fieldTexts(a any) []string {
	switch x := a.(type) {
	case string:
		return []string{x}
	case bool:
		return []string{strconv.FormatBool(x)}
	case []string:
		return x
	case []any:
		var out []string
		for _, item := range x {
			out = append(out, fieldTexts(item)...)
		}
		return out
	default:
		if n, ok := asNumber(a); ok {
			return []string{strconv.FormatFloat(n, 'f', -1, 64)}
		}
	}
	return nil
}
