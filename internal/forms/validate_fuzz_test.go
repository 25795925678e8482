package forms

import (
	"encoding/json"
	"net/url"
	"testing"
	"unicode/utf8"
)

// FuzzValidate feeds every shipped form's validator arbitrary answers, both as
// JSON values (the API) and as urlencoded fields (the no-JavaScript form): it must
// not panic, must keep answers and contact apart, and what it accepts must be
// valid UTF-8 and name only the form's questions.
func FuzzValidate(f *testing.F) {
	reg, err := LoadDir(shippedDir)
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(`{"useful":true,"looking_for":"presupuesto"}`), "useful=true&looking_for=x")
	f.Add([]byte(`{"topic":"otro","message":"Hola","email":"a@b.gt","phone":"+502 5555 1234","consent":true}`), "message=hola&consent=on")
	f.Add([]byte(`{"formats":["csv","otro"],"formats_other":"xml","ease":9,"location":{"department":"01","municipality":"0101"}}`), "formats=csv&formats=pdf&ease=3")
	f.Add([]byte(`{"useful":"\xff","rating":-1e308}`), "useful=%ff&ease=NaN")
	f.Fuzz(func(t *testing.T, jsonAnswers []byte, form string) {
		var raw map[string]any
		_ = json.Unmarshal(jsonAnswers, &raw)
		values, _ := url.ParseQuery(form)
		for _, fm := range reg.All() {
			for _, in := range []map[string]any{raw, fm.DecodeValues(values)} {
				answers, personal, problems := fm.Validate(in, nil)
				if len(problems) > 0 {
					continue
				}
				for key, v := range answers {
					if _, dup := personal[key]; dup {
						t.Fatalf("%s: %q both in answers and contact", fm.ID, key)
					}
					if s, ok := v.(string); ok && !utf8.ValidString(s) {
						t.Fatalf("%s: accepted invalid UTF-8 in %q", fm.ID, key)
					}
				}
				if len(answers)+len(personal) > len(fm.Questions)*2 {
					t.Fatalf("%s: %d answers for %d questions", fm.ID, len(answers)+len(personal), len(fm.Questions))
				}
			}
		}
	})
}
