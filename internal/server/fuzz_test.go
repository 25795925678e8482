package server

import (
	"errors"
	"strings"
	"testing"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
)

// FuzzDecodeSubmit feeds the JSON API's decoder arbitrary bodies, and what it
// accepts to the validator of every shipped form: nothing may panic, a refused
// body is a 400 or a 422 naming questions, and validated answers only name the
// form's questions, never a personal one outside the contact.
func FuzzDecodeSubmit(f *testing.F) {
	reg, err := forms.LoadDir("../../forms")
	if err != nil {
		f.Fatal(err)
	}
	catalog, err := geo.Load()
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		`{"answers":{"useful":true,"looking_for":"presupuesto"},"lang":"es"}`,
		`{"answers":{"topic":"datos","message":"Hola","email":"a@b.gt","consent":true},"page":"https://www.mineduc.gob.gt/x","session":"ABCD12"}`,
		`{"answers":{"location":{"department":"01","municipality":"0101"},"formats":["csv","pdf"],"ease":3}}`,
		`{"answers":{"useful":"\xff"}}`,
		`{"answers":{"a":1e400}}`,
		`{"answers":null,"extra":1}`,
		`{"answers":{}} {}`,
		`[]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, answers, err := decodeSubmit(body)
		if err != nil {
			var he *httpError
			var ae *consulta.Error
			switch {
			case errors.As(err, &he) && he.status == 400:
			case errors.As(err, &ae) && ae.Code == consulta.EINVALID && len(ae.Fields) > 0:
			default:
				t.Fatalf("unexpected error %T %v", err, err)
			}
			return
		}
		if len(answers) != len(req.Answers) {
			t.Fatalf("%d answers decoded from %d", len(answers), len(req.Answers))
		}
		for _, form := range reg.All() {
			valid, personal, problems := form.Validate(answers, catalog)
			if len(problems) > 0 {
				continue
			}
			for id := range valid {
				if q := answered(form, id); q == nil || q.Personal {
					t.Fatalf("form %s kept answer %q outside its questions or personal", form.ID, id)
				}
			}
			for id := range personal {
				if q := answered(form, id); q == nil || !q.Personal {
					t.Fatalf("form %s put %q in the contact", form.ID, id)
				}
			}
		}
	})
}

// answered is the question an answer key belongs to: its own, or the multiple
// question whose "other" text it is.
func answered(form *forms.Form, key string) *forms.Question {
	if q := form.Question(key); q != nil {
		return q
	}
	if q := form.Question(strings.TrimSuffix(key, "_other")); q != nil && q.Other && q.OtherID() == key {
		return q
	}
	return nil
}
