package forms

import (
	"slices"

	"github.com/consulta/consulta/internal/consulta"
)

// Field error codes of Validate. They are stable: API clients receive them,
// and the localized message of each is "error.field.<code>".
const (
	CodeUnknownQuestion    = "unknown_question"
	CodeRequired           = "required"
	CodeWrongType          = "wrong_type"
	CodeInvalidUTF8        = "invalid_utf8"
	CodeTooLong            = "too_long"         // Params: Max (characters)
	CodeNotAnOption        = "not_an_option"    //
	CodeDuplicateChoice    = "duplicate_choice" //
	CodeTooFewChoices      = "too_few_choices"  // Params: Min
	CodeTooManyChoices     = "too_many_choices" // Params: Max
	CodeNotInteger         = "not_integer"
	CodeOutOfRange         = "out_of_range" // Params: Min and Max
	CodeBelowMin           = "below_min"    // Params: Min (a number with no maximum)
	CodeAboveMax           = "above_max"    // Params: Max (a number with no minimum)
	CodeInvalidEmail       = "invalid_email"
	CodeInvalidPhone       = "invalid_phone"
	CodeInvalidGeo         = "invalid_geo"
	CodeMustConsent        = "must_consent"
	CodeOtherWithoutChoice = "other_without_choice"
)

// GeoChecker tells whether dep is a department code and mun is "" or a
// municipality of dep. internal/geo's *Catalog is one.
type GeoChecker interface {
	Valid(dep, mun string) bool
}

// Validate checks raw answers against the form and returns them typed and
// split: answers holds the answers to ordinary questions, personal those to
// personal ones (contact data). Both maps are non-nil; each FieldError names
// the answer key at fault.
//
// raw comes from JSON (string, float64, bool, []any, map[string]any) or from
// DecodeValues. Rules:
//   - Strings are cleaned by CleanText (trimmed, line breaks made "\n",
//     control and bidirectional characters dropped, tabs and line breaks
//     spaces outside textareas, Unicode NFC); a blank string, an empty list or
//     an empty geo is no answer. Lengths count characters of the cleaned
//     text (defaults: text 200, textarea 2000, email 254, phone 30; the
//     "other" text 200).
//   - Values are typed per consulta.Response: string, []string (in the order
//     of the options, OtherValue last), float64, bool, consulta.Geo. Phones
//     are normalized: "+502 5555 1234" for Guatemala (8-digit local numbers,
//     with or without +502), "+<digits>" for other countries.
//   - Questions are taken in form order and show_if is evaluated on the valid
//     answers kept so far (see Visible): the answers of a hidden question (and
//     its "other" text) are dropped silently, and a hidden required question
//     is not required. An invalid answer counts as unanswered for later
//     conditions.
//   - A required consent must be true (must_consent, also when missing).
//   - The "other" text of a multiple question is the key Question.OtherID;
//     its errors name that key; it needs OtherValue among the choices
//     (other_without_choice).
//   - A key that is no question (nor an "other" text) is unknown_question.
//     Errors come in form order, one per answer key at most, the unknown keys
//     last in name order. geo may be nil: codes are then only checked for
//     their shape ("01", "0101").
func (f *Form) Validate(raw map[string]any, geo GeoChecker) (answers, personal map[string]any, errs []consulta.FieldError) {
	answers, personal = make(map[string]any), make(map[string]any)
	kept := make(map[string]any)
	fail := func(key, code string, params map[string]any) {
		errs = append(errs, consulta.FieldError{Question: key, Code: code, Params: params})
	}
	for _, q := range f.Questions {
		if !holds(q.ShowIf, kept) {
			continue
		}
		dest := answers
		if q.Personal {
			dest = personal
		}
		v, present := raw[q.ID]
		required := q.Required || (q.RequiredIf != nil && holds(q.RequiredIf, kept))
		value, code, params := check(q, v, present, required, geo)
		switch {
		case code != "":
			fail(q.ID, code, params)
		case value != nil:
			dest[q.ID], kept[q.ID] = value, value
		}
		if q.Type != TypeMultiple || !q.Other {
			continue
		}
		text, code, params := checkOtherText(q, raw, value, code == "")
		switch {
		case code != "":
			fail(q.OtherID(), code, params)
		case text != "":
			dest[q.OtherID()] = text
		}
	}
	for _, key := range unknownKeys(f, raw) {
		fail(key, CodeUnknownQuestion, nil)
	}
	return answers, personal, errs
}

// check validates the answer to one shown question; required is whether it
// must be answered here (Required, or a RequiredIf that holds). It returns
// the typed value (nil when unanswered) or an error code with its params.
func check(q *Question, v any, present, required bool, geo GeoChecker) (any, string, map[string]any) {
	var (
		value  any
		code   string
		params map[string]any
	)
	if present && v != nil {
		value, code, params = checkValue(q, v, geo)
	}
	if code != "" {
		return nil, code, params
	}
	if q.Type == TypeConsent && required && value != true {
		return nil, CodeMustConsent, nil
	}
	if value == nil && required {
		return nil, CodeRequired, nil
	}
	return value, "", nil
}

// checkValue dispatches on the question type; nil, "" means unanswered.
func checkValue(q *Question, v any, geo GeoChecker) (any, string, map[string]any) {
	switch q.Type {
	case TypeSingle:
		return checkSingle(q, v)
	case TypeMultiple:
		return checkMultiple(q, v)
	case TypeText, TypeTextarea, TypeEmail, TypePhone:
		return checkText(q, v)
	case TypeScale, TypeRating, TypeNumber:
		return checkNumber(q, v)
	case TypeYesNo, TypeConsent:
		if b, ok := v.(bool); ok {
			return b, "", nil
		}
		return nil, CodeWrongType, nil
	case TypeGeo:
		return checkGeo(v, geo)
	}
	return nil, CodeWrongType, nil
}

// checkOtherText validates the "other" text of multiple question q.
// choices is the validated answer to q; choicesOK tells whether it was valid.
func checkOtherText(q *Question, raw map[string]any, choices any, choicesOK bool) (string, string, map[string]any) {
	v, present := raw[q.OtherID()]
	if !present || v == nil {
		return "", "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", CodeWrongType, nil
	}
	text, code := cleanText(s, false)
	switch {
	case code != "":
		return "", code, nil
	case text == "":
		return "", "", nil
	case runeCount(text) > defaultOtherLength:
		return "", CodeTooLong, map[string]any{"Max": defaultOtherLength}
	}
	list, _ := choices.([]string)
	if choicesOK && !slices.Contains(list, OtherValue) {
		return "", CodeOtherWithoutChoice, nil
	}
	return text, "", nil
}

// unknownKeys lists, sorted, the keys of raw that are not answers to f.
func unknownKeys(f *Form, raw map[string]any) []string {
	known := make(map[string]bool, len(f.Questions))
	for _, q := range f.Questions {
		known[q.ID] = true
		if q.Type == TypeMultiple && q.Other {
			known[q.OtherID()] = true
		}
	}
	var unknown []string
	for key := range raw {
		if !known[key] {
			unknown = append(unknown, key)
		}
	}
	slices.Sort(unknown)
	return unknown
}
