package forms

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/consulta/consulta/internal/consulta"
)

// validateForm has a question of every type; req and must are required but
// shown only on some answers.
const validateForm = header + `  - id: choice
    type: single
    label: Choice
    options: [{value: x, label: X}, {value: y, label: Y}]
  - id: many
    type: multiple
    other: true
    max: 2
    label: Many
    options: [{value: x, label: X}, {value: y, label: Y}, {value: z, label: Z}]
  - id: pair
    type: multiple
    min: 2
    label: Pair
    options: [{value: x, label: X}, {value: y, label: Y}, {value: z, label: Z}]
  - id: short
    type: text
    max_length: 5
    label: Short
  - id: long
    type: textarea
    label: Long
  - id: mail
    type: email
    personal: true
    label: Mail
  - id: tel
    type: phone
    personal: true
    label: Tel
  - id: points
    type: scale
    label: Points
  - id: stars
    type: rating
    label: Stars
  - id: amount
    type: number
    min: -1.5
    max: 100
    label: Amount
  - id: open_number
    type: number
    min: 0
    label: Open number
  - id: flag
    type: yesno
    label: Flag
  - id: agree
    type: consent
    label: Agree
  - id: where
    type: geo
    label: Where
  - id: must
    type: consent
    required: true
    personal: true
    label: Must
    show_if: {question: flag, equals: true}
  - id: req
    type: text
    required: true
    label: Req
    show_if: {question: choice, equals: y}
  - id: after_req
    type: text
    label: After req
    show_if: {question: req, answered: true}
  - id: secret
    type: text
    personal: true
    label: Secret
`

// geoCatalog is a tiny GeoChecker: department code → its municipality codes.
type geoCatalog map[string][]string

func (c geoCatalog) Valid(dep, mun string) bool {
	muns, ok := c[dep]
	if !ok {
		return false
	}
	if mun == "" {
		return true
	}
	for _, m := range muns {
		if m == mun {
			return true
		}
	}
	return false
}

var testCatalog = geoCatalog{"01": {"0101", "0102"}, "02": {"0201"}}

func fieldErr(question, code string, params map[string]any) consulta.FieldError {
	return consulta.FieldError{Question: question, Code: code, Params: params}
}

func TestValidate(t *testing.T) {
	f := mustParse(t, validateForm)
	type m = map[string]any
	long2001 := strings.Repeat("a", 2001)
	tests := []struct {
		name         string
		raw          m
		wantAnswers  m
		wantPersonal m
		wantErrs     []consulta.FieldError
	}{
		{"nothing", m{}, m{}, m{}, nil},
		{"nil value is no answer", m{"choice": nil}, m{}, m{}, nil},

		{"single", m{"choice": "x"}, m{"choice": "x"}, m{}, nil},
		{"single trimmed", m{"choice": " y\t"}, m{"choice": "y"}, m{}, []consulta.FieldError{fieldErr("req", "required", nil)}},
		{"single blank", m{"choice": "  "}, m{}, m{}, nil},
		{"single not offered", m{"choice": "w"}, m{}, m{}, []consulta.FieldError{fieldErr("choice", "not_an_option", nil)}},
		{"single other is not offered", m{"choice": "other"}, m{}, m{}, []consulta.FieldError{fieldErr("choice", "not_an_option", nil)}},
		{"single wrong type", m{"choice": 1.0}, m{}, m{}, []consulta.FieldError{fieldErr("choice", "wrong_type", nil)}},
		{"single list", m{"choice": []any{"x"}}, m{}, m{}, []consulta.FieldError{fieldErr("choice", "wrong_type", nil)}},
		{"single invalid UTF-8", m{"choice": "x\xff"}, m{}, m{}, []consulta.FieldError{fieldErr("choice", "invalid_utf8", nil)}},

		{"multiple in option order", m{"many": []any{"z", "x"}}, m{"many": []string{"x", "z"}}, m{}, nil},
		{"multiple from a form", m{"many": []string{"y"}}, m{"many": []string{"y"}}, m{}, nil},
		{"multiple blanks skipped", m{"many": []any{"", " y "}}, m{"many": []string{"y"}}, m{}, nil},
		{"multiple empty", m{"many": []any{}}, m{}, m{}, nil},
		{"multiple duplicate", m{"many": []any{"x", "x"}}, m{}, m{}, []consulta.FieldError{fieldErr("many", "duplicate_choice", nil)}},
		{"multiple not offered", m{"many": []any{"x", "w"}}, m{}, m{}, []consulta.FieldError{fieldErr("many", "not_an_option", nil)}},
		{"multiple too many", m{"many": []any{"x", "y", "z"}}, m{}, m{}, []consulta.FieldError{fieldErr("many", "too_many_choices", m{"Max": 2})}},
		{"multiple too few", m{"pair": []any{"x"}}, m{}, m{}, []consulta.FieldError{fieldErr("pair", "too_few_choices", m{"Min": 2})}},
		{"multiple a string", m{"many": "x"}, m{}, m{}, []consulta.FieldError{fieldErr("many", "wrong_type", nil)}},
		{"multiple a number item", m{"many": []any{1.0}}, m{}, m{}, []consulta.FieldError{fieldErr("many", "wrong_type", nil)}},
		{"multiple invalid UTF-8", m{"many": []any{"\xc3"}}, m{}, m{}, []consulta.FieldError{fieldErr("many", "invalid_utf8", nil)}},
		{"other with its text", m{"many": []any{"other", "x"}, "many_other": " Becas "},
			m{"many": []string{"x", "other"}, "many_other": "Becas"}, m{}, nil},
		{"other without text", m{"many": []any{"other"}}, m{"many": []string{"other"}}, m{}, nil},
		{"other text without the choice", m{"many": []any{"x"}, "many_other": "Becas"},
			m{"many": []string{"x"}}, m{}, []consulta.FieldError{fieldErr("many_other", "other_without_choice", nil)}},
		{"other text alone", m{"many_other": "Becas"},
			m{}, m{}, []consulta.FieldError{fieldErr("many_other", "other_without_choice", nil)}},
		{"other text too long", m{"many": []any{"other"}, "many_other": strings.Repeat("é", 201)},
			m{"many": []string{"other"}}, m{}, []consulta.FieldError{fieldErr("many_other", "too_long", m{"Max": 200})}},
		{"other text wrong type", m{"many": []any{"other"}, "many_other": 2.0},
			m{"many": []string{"other"}}, m{}, []consulta.FieldError{fieldErr("many_other", "wrong_type", nil)}},
		{"other text blank", m{"many": []any{"x"}, "many_other": " "}, m{"many": []string{"x"}}, m{}, nil},
		{"other text on a question without other", m{"pair_other": "x"}, m{}, m{},
			[]consulta.FieldError{fieldErr("pair_other", "unknown_question", nil)}},

		{"text", m{"short": " hola\n"}, m{"short": "hola"}, m{}, nil},
		{"text length in characters", m{"short": "ñañañ"}, m{"short": "ñañañ"}, m{}, nil},
		{"text NFC", m{"short": "cafe\u0301"}, m{"short": "café"}, m{}, nil},
		{"text too long", m{"short": "abcdef"}, m{}, m{}, []consulta.FieldError{fieldErr("short", "too_long", m{"Max": 5})}},
		{"text invalid UTF-8", m{"short": "a\xffb"}, m{}, m{}, []consulta.FieldError{fieldErr("short", "invalid_utf8", nil)}},
		{"text wrong type", m{"short": true}, m{}, m{}, []consulta.FieldError{fieldErr("short", "wrong_type", nil)}},
		{"textarea line breaks", m{"long": "a\r\nb\rc"}, m{"long": "a\nb\nc"}, m{}, nil},
		{"textarea CRLF counts once", m{"long": strings.Repeat("x\r\n", 1000)}, m{"long": strings.TrimSpace(strings.Repeat("x\n", 1000))}, m{}, nil},
		{"textarea default limit", m{"long": long2001}, m{}, m{}, []consulta.FieldError{fieldErr("long", "too_long", m{"Max": 2000})}},

		{"email", m{"mail": "ana.lopez+portal@correo.example.gt"}, m{}, m{"mail": "ana.lopez+portal@correo.example.gt"}, nil},
		{"email without a dot", m{"mail": "ana@localhost"}, m{}, m{}, []consulta.FieldError{fieldErr("mail", "invalid_email", nil)}},
		{"email with a name", m{"mail": "Ana <ana@example.org>"}, m{}, m{}, []consulta.FieldError{fieldErr("mail", "invalid_email", nil)}},
		{"email with a space", m{"mail": "ana @example.org"}, m{}, m{}, []consulta.FieldError{fieldErr("mail", "invalid_email", nil)}},
		{"email too long", m{"mail": strings.Repeat("a", 60) + "@" + strings.Repeat("b", 200) + ".org"}, m{}, m{},
			[]consulta.FieldError{fieldErr("mail", "too_long", m{"Max": 254})}},

		{"phone local", m{"tel": "5555 1234"}, m{}, m{"tel": "+502 5555 1234"}, nil},
		{"phone local with a hyphen", m{"tel": "2411-9595"}, m{}, m{"tel": "+502 2411 9595"}, nil},
		{"phone +502", m{"tel": "+502 4123-4567"}, m{}, m{"tel": "+502 4123 4567"}, nil},
		{"phone (502)", m{"tel": "(502) 55551234"}, m{}, m{"tel": "+502 5555 1234"}, nil},
		{"phone 00502", m{"tel": "00502 7765 4321"}, m{}, m{"tel": "+502 7765 4321"}, nil},
		{"phone international", m{"tel": "+1 (202) 555-0100"}, m{}, m{"tel": "+12025550100"}, nil},
		{"phone international 00", m{"tel": "0044 20 7946 0958"}, m{}, m{"tel": "+442079460958"}, nil},
		{"phone too short", m{"tel": "1234"}, m{}, m{}, []consulta.FieldError{fieldErr("tel", "invalid_phone", nil)}},
		{"phone local bad first digit", m{"tel": "8555 1234"}, m{}, m{}, []consulta.FieldError{fieldErr("tel", "invalid_phone", nil)}},
		{"phone +502 seven digits", m{"tel": "+502 5555 123"}, m{}, m{}, []consulta.FieldError{fieldErr("tel", "invalid_phone", nil)}},
		{"phone with letters", m{"tel": "5555 1234 ext 2"}, m{}, m{}, []consulta.FieldError{fieldErr("tel", "invalid_phone", nil)}},
		{"phone plus in the middle", m{"tel": "5555+1234"}, m{}, m{}, []consulta.FieldError{fieldErr("tel", "invalid_phone", nil)}},
		{"phone too long", m{"tel": strings.Repeat("5", 31)}, m{}, m{}, []consulta.FieldError{fieldErr("tel", "too_long", m{"Max": 30})}},

		{"scale", m{"points": 3.0}, m{"points": 3.0}, m{}, nil},
		{"scale from a Go int", m{"points": 5}, m{"points": 5.0}, m{}, nil},
		{"scale below", m{"points": 0.0}, m{}, m{}, []consulta.FieldError{fieldErr("points", "out_of_range", m{"Min": 1, "Max": 5})}},
		{"scale above", m{"points": 6.0}, m{}, m{}, []consulta.FieldError{fieldErr("points", "out_of_range", m{"Min": 1, "Max": 5})}},
		{"scale not integer", m{"points": 2.5}, m{}, m{}, []consulta.FieldError{fieldErr("points", "not_integer", nil)}},
		{"scale a string", m{"points": "3"}, m{}, m{}, []consulta.FieldError{fieldErr("points", "wrong_type", nil)}},
		{"scale NaN", m{"points": math.NaN()}, m{}, m{}, []consulta.FieldError{fieldErr("points", "wrong_type", nil)}},
		{"scale Inf", m{"points": math.Inf(1)}, m{}, m{}, []consulta.FieldError{fieldErr("points", "wrong_type", nil)}},
		{"rating zero", m{"stars": 0.0}, m{"stars": 0.0}, m{}, nil},
		{"rating ten", m{"stars": 10.0}, m{"stars": 10.0}, m{}, nil},
		{"rating eleven", m{"stars": 11.0}, m{}, m{}, []consulta.FieldError{fieldErr("stars", "out_of_range", m{"Min": 0, "Max": 10})}},
		{"rating not integer", m{"stars": 7.5}, m{}, m{}, []consulta.FieldError{fieldErr("stars", "not_integer", nil)}},
		{"number fraction", m{"amount": -1.25}, m{"amount": -1.25}, m{}, nil},
		{"number below", m{"amount": -2.0}, m{}, m{}, []consulta.FieldError{fieldErr("amount", "out_of_range", m{"Min": -1.5, "Max": 100})}},
		{"number one bound", m{"open_number": -1.0}, m{}, m{}, []consulta.FieldError{fieldErr("open_number", "below_min", m{"Min": 0})}},
		{"number large", m{"open_number": 1e12}, m{"open_number": 1e12}, m{}, nil},
		{"number unparsable text", m{"amount": "1,5"}, m{}, m{}, []consulta.FieldError{fieldErr("amount", "wrong_type", nil)}},

		{"yesno true", m{"flag": true}, m{"flag": true}, m{}, []consulta.FieldError{fieldErr("must", "must_consent", nil)}},
		{"yesno false", m{"flag": false}, m{"flag": false}, m{}, nil},
		{"yesno a string", m{"flag": "true"}, m{}, m{}, []consulta.FieldError{fieldErr("flag", "wrong_type", nil)}},
		{"optional consent false", m{"agree": false}, m{"agree": false}, m{}, nil},
		{"optional consent true", m{"agree": true}, m{"agree": true}, m{}, nil},
		{"required consent given", m{"flag": true, "must": true}, m{"flag": true}, m{"must": true}, nil},
		{"required consent refused", m{"flag": true, "must": false}, m{"flag": true}, m{}, []consulta.FieldError{fieldErr("must", "must_consent", nil)}},
		{"required consent wrong type", m{"flag": true, "must": "yes"}, m{"flag": true}, m{}, []consulta.FieldError{fieldErr("must", "wrong_type", nil)}},

		{"geo", m{"where": m{"department": "01", "municipality": "0102"}}, m{"where": consulta.Geo{Department: "01", Municipality: "0102"}}, m{}, nil},
		{"geo typed", m{"where": consulta.Geo{Department: "02", Municipality: "0201"}}, m{"where": consulta.Geo{Department: "02", Municipality: "0201"}}, m{}, nil},
		{"geo department only", m{"where": m{"department": " 01 "}}, m{"where": consulta.Geo{Department: "01"}}, m{}, nil},
		{"geo empty", m{"where": m{}}, m{}, m{}, nil},
		{"geo unknown department", m{"where": m{"department": "99"}}, m{}, m{}, []consulta.FieldError{fieldErr("where", "invalid_geo", nil)}},
		{"geo municipality of another department", m{"where": m{"department": "01", "municipality": "0201"}}, m{}, m{}, []consulta.FieldError{fieldErr("where", "invalid_geo", nil)}},
		{"geo municipality not in the catalog", m{"where": m{"department": "01", "municipality": "0199"}}, m{}, m{}, []consulta.FieldError{fieldErr("where", "invalid_geo", nil)}},
		{"geo municipality only", m{"where": m{"municipality": "0101"}}, m{}, m{}, []consulta.FieldError{fieldErr("where", "invalid_geo", nil)}},
		{"geo number code", m{"where": m{"department": 1.0}}, m{}, m{}, []consulta.FieldError{fieldErr("where", "wrong_type", nil)}},
		{"geo unknown key", m{"where": m{"dept": "01"}}, m{}, m{}, []consulta.FieldError{fieldErr("where", "wrong_type", nil)}},
		{"geo a string", m{"where": "01"}, m{}, m{}, []consulta.FieldError{fieldErr("where", "wrong_type", nil)}},

		{"required shown and missing", m{"choice": "y"}, m{"choice": "y"}, m{}, []consulta.FieldError{fieldErr("req", "required", nil)}},
		{"required shown and blank", m{"choice": "y", "req": "  "}, m{"choice": "y"}, m{}, []consulta.FieldError{fieldErr("req", "required", nil)}},
		{"required shown and given", m{"choice": "y", "req": "ok"}, m{"choice": "y", "req": "ok"}, m{}, nil},
		{"required hidden is not required", m{"choice": "x"}, m{"choice": "x"}, m{}, nil},
		{"hidden answers dropped", m{"choice": "x", "req": "hola", "after_req": "más"}, m{"choice": "x"}, m{}, nil},
		{"hidden invalid answers dropped silently", m{"req": 5.0, "must": "no"}, m{}, m{}, nil},
		{"invalid answer hides what depends on it", m{"choice": "y", "req": 5.0, "after_req": "más"}, m{"choice": "y"}, m{},
			[]consulta.FieldError{fieldErr("req", "wrong_type", nil)}},

		{"unknown questions last, sorted", m{"zeta": 1.0, "alpha": "x", "short": "abcdefg"}, m{}, m{}, []consulta.FieldError{
			fieldErr("short", "too_long", m{"Max": 5}),
			fieldErr("alpha", "unknown_question", nil),
			fieldErr("zeta", "unknown_question", nil),
		}},
		{"errors in form order", m{"secret": 1.0, "points": 9.0, "choice": "w"}, m{}, m{}, []consulta.FieldError{
			fieldErr("choice", "not_an_option", nil),
			fieldErr("points", "out_of_range", m{"Min": 1, "Max": 5}),
			fieldErr("secret", "wrong_type", nil),
		}},
		{"personal split", m{"choice": "x", "mail": "ana@example.org", "secret": "s", "flag": false},
			m{"choice": "x", "flag": false}, m{"mail": "ana@example.org", "secret": "s"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			answers, personal, errs := f.Validate(tt.raw, testCatalog)
			if !reflect.DeepEqual(answers, tt.wantAnswers) {
				t.Errorf("answers = %#v, want %#v", answers, tt.wantAnswers)
			}
			if !reflect.DeepEqual(personal, tt.wantPersonal) {
				t.Errorf("personal = %#v, want %#v", personal, tt.wantPersonal)
			}
			if !reflect.DeepEqual(errs, tt.wantErrs) {
				t.Errorf("errs = %#v, want %#v", errs, tt.wantErrs)
			}
		})
	}
}

func TestValidateWithoutCatalog(t *testing.T) {
	f := mustParse(t, validateForm)
	tests := []struct {
		name string
		geo  consulta.Geo
		ok   bool
	}{
		{"department and municipality", consulta.Geo{Department: "17", Municipality: "1714"}, true},
		{"department", consulta.Geo{Department: "22"}, true},
		{"one-digit department", consulta.Geo{Department: "1"}, false},
		{"municipality of another department", consulta.Geo{Department: "17", Municipality: "0101"}, false},
		{"letters", consulta.Geo{Department: "0a"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, errs := f.Validate(map[string]any{"where": tt.geo}, nil)
			if ok := len(errs) == 0; ok != tt.ok {
				t.Errorf("errors %v, want ok=%v", errs, tt.ok)
			}
		})
	}
}

func TestValidateIsDeterministic(t *testing.T) {
	f := mustParse(t, validateForm)
	raw := map[string]any{"b": 1.0, "a": 1.0, "c": 1.0, "choice": "w", "many": []any{"z", "other", "y"}, "points": 0.0}
	_, _, first := f.Validate(raw, testCatalog)
	for range 20 {
		if _, _, errs := f.Validate(raw, testCatalog); !reflect.DeepEqual(errs, first) {
			t.Fatalf("errs changed between runs: %v then %v", first, errs)
		}
	}
}
