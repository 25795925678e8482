package forms

import (
	"reflect"
	"strings"
	"testing"
)

// TestEncodeRoundTrip encodes every shipped form and parses it back: the
// same form, hash included, and the layout of the shipped files.
func TestEncodeRoundTrip(t *testing.T) {
	r, err := LoadDir(shippedDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.All() {
		t.Run(f.ID, func(t *testing.T) {
			data, err := Encode(f, "Made by a test.\nSecond line.")
			if err != nil {
				t.Fatal(err)
			}
			back, problems := Parse(f.ID+".yaml", data)
			if problems != nil {
				t.Fatalf("encoded form does not parse:\n%v\n%s", problems, data)
			}
			if back.Hash() != f.Hash() {
				t.Errorf("hash changed:\n%s", data)
			}
			text := string(data)
			if !strings.HasPrefix(text, "# Made by a test.\n# Second line.\nid: "+f.ID+"\n") {
				t.Errorf("header:\n%s", text[:80])
			}
			if strings.Count(text, "\n\n  - id: ") != len(f.Questions)-1 {
				t.Errorf("want a blank line between questions:\n%s", text)
			}
		})
	}
}

// TestEncodeFalsyEquals keeps conditions on false and 0, which omitempty
// would drop.
func TestEncodeFalsyEquals(t *testing.T) {
	no, zero := false, 0.0
	f := &Form{ID: "x", Version: 1, Kind: KindSurvey, Title: "T", Questions: []*Question{
		{ID: "a", Type: TypeYesNo, Label: "A"},
		{ID: "b", Type: TypeNumber, Label: "B", Min: &zero},
		{ID: "c", Type: TypeText, Label: "C", ShowIf: &Condition{All: []*Condition{
			{Question: "a", Equals: false}, {Question: "b", Equals: 0.0}, {Question: "a", Answered: &no}}}},
	}}
	data, err := Encode(f, "")
	if err != nil {
		t.Fatal(err)
	}
	back, problems := Parse("x.yaml", data)
	if problems != nil {
		t.Fatalf("%v\n%s", problems, data)
	}
	if !reflect.DeepEqual(back.Questions[2].ShowIf, f.Questions[2].ShowIf) || back.Hash() != f.Hash() {
		t.Errorf("condition changed:\n%s", data)
	}
}
