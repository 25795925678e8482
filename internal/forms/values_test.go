package forms

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/consulta/consulta/internal/consulta"
)

func TestDecodeValues(t *testing.T) {
	f := mustParse(t, validateForm)
	type m = map[string]any
	tests := []struct {
		name string
		form string // urlencoded
		want m
	}{
		{"empty", "", m{}},
		{"single", "choice=x", m{"choice": "x"}},
		{"blank omitted", "choice=+&short=", m{}},
		{"first non-blank of a repeated field", "choice=&choice=y&choice=x", m{"choice": "y"}},
		{"multiple", "many=x&many=&many=z", m{"many": []string{"x", "z"}}},
		{"other text", "many=other&many_other=Becas", m{"many": []string{"other"}, "many_other": "Becas"}},
		{"other text of a question without other ignored", "pair=x&pair_other=Becas", m{"pair": []string{"x"}}},
		{"text kept raw", "short=+hola+&long=a%0D%0Ab", m{"short": " hola ", "long": "a\r\nb"}},
		{"invalid UTF-8 kept", "short=%FF", m{"short": "\xff"}},
		{"geo", "where%5Bdepartment%5D=01&where%5Bmunicipality%5D=0101", m{"where": consulta.Geo{Department: "01", Municipality: "0101"}}},
		{"geo department only", "where%5Bdepartment%5D=01&where%5Bmunicipality%5D=", m{"where": consulta.Geo{Department: "01"}}},
		{"geo empty", "where%5Bdepartment%5D=&where%5Bmunicipality%5D=", m{}},
		{"yesno true", "flag=true", m{"flag": true}},
		{"yesno false", "flag=false", m{"flag": false}},
		{"checkbox on", "agree=on", m{"agree": true}},
		{"yesno other text kept", "flag=s%C3%AD", m{"flag": "sí"}},
		{"numbers", "points=4&stars=10&amount=-1.25&open_number=1e3", m{"points": 4.0, "stars": 10.0, "amount": -1.25, "open_number": 1000.0}},
		{"number with spaces", "points=+3+", m{"points": 3.0}},
		{"number unparsable kept", "amount=1%2C5", m{"amount": "1,5"}},
		{"NaN kept as text", "amount=NaN", m{"amount": "NaN"}},
		{"Inf kept as text", "amount=Inf", m{"amount": "Inf"}},
		{"hex float kept as text", "amount=0x10", m{"amount": "0x10"}},
		{"overflow kept as text", "amount=1e400", m{"amount": "1e400"}},
		{"meta fields ignored", "page=https%3A%2F%2Fexample.org&lang=es&session=ABC&_csrf=x", m{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := url.ParseQuery(tt.form)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.DecodeValues(v); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("DecodeValues(%q) = %#v, want %#v", tt.form, got, tt.want)
			}
		})
	}
}

// TestValuesRoundTrip checks that typed answers written as form fields by
// EncodeValues come back from DecodeValues and Validate unchanged.
func TestValuesRoundTrip(t *testing.T) {
	f := mustParse(t, validateForm)
	tests := []struct {
		name    string
		answers map[string]any
	}{
		{"every type", map[string]any{
			"choice": "y", "many": []string{"x", "other"}, "many_other": "Becas y bolsas",
			"pair": []string{"x", "z"}, "short": "ñandú", "long": "línea 1\nlínea 2",
			"points": 4.0, "stars": 0.0, "amount": -1.25, "open_number": 1e6,
			"flag": false, "agree": true, "req": "algo", "after_req": "más",
			"where": consulta.Geo{Department: "01", Municipality: "0102"},
		}},
		{"consent shown", map[string]any{"flag": true, "must": true, "where": consulta.Geo{Department: "02"}}},
		{"nothing", map[string]any{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := f.DecodeValues(f.EncodeValues(tt.answers))
			answers, personal, errs := f.Validate(raw, testCatalog)
			if errs != nil {
				t.Fatalf("errs: %v (raw %#v)", errs, raw)
			}
			for k, v := range personal {
				answers[k] = v
			}
			if !reflect.DeepEqual(answers, tt.answers) {
				t.Errorf("round trip:\n got %#v\nwant %#v", answers, tt.answers)
			}
		})
	}
}

func TestEncodeValues(t *testing.T) {
	f := mustParse(t, validateForm)
	got := f.EncodeValues(map[string]any{
		"many":   []any{"x", "y"}, // raw JSON lists too
		"points": 3.0,
		"flag":   true,
		"where":  map[string]any{"department": "01"},
		"nope":   "ignored",
	})
	want := url.Values{
		"many":              {"x", "y"},
		"points":            {"3"},
		"flag":              {"true"},
		"where[department]": {"01"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("EncodeValues = %v, want %v", got, want)
	}
}
