package forms

import (
	"net/url"
	"os"
	"testing"
)

// FuzzParse feeds Parse arbitrary files: it must never panic, must return
// either a form or problems, and a form it accepts must hash, list its
// messages and validate answers.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"sugerencias", "necesidades-informacion", "utilidad-pagina"} {
		if data, err := os.ReadFile(shippedDir + "/" + name + ".yaml"); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(conditionForm))
	f.Add([]byte(validateForm))
	f.Add([]byte("id: x\nversion: 1\nkind: survey\ntitle: T\nquestions: [{id: a, type: yesno, label: A, show_if: &c {all: [*c]}}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		form, problems := Parse("fuzz.yaml", data)
		if (form == nil) == (problems == nil) {
			t.Fatalf("form %v with problems %v", form, problems)
		}
		if form == nil {
			return
		}
		_ = form.Hash()
		_ = form.Messages()
		raw := form.DecodeValues(url.Values{"a": {"x"}})
		form.Validate(raw, nil)
	})
}
