package forms

import (
	"reflect"
	"strings"
	"testing"
)

func TestHash(t *testing.T) {
	base := mustParse(t, conditionForm)
	tests := []struct {
		name string
		src  string
		same bool
	}{
		{"same file", conditionForm, true},
		{"comments, spacing and file name do not count", "# a comment\n" + strings.ReplaceAll(conditionForm, "label: T\n", "label:   T   \n"), true},
		{"a label", strings.Replace(conditionForm, "label: Choice", "label: Elección", 1), false},
		{"the version", strings.Replace(conditionForm, "version: 1", "version: 2", 1), false},
		{"a condition value", strings.Replace(conditionForm, "equals: 4}", "equals: 5}", 1), false},
		{"a required flag", strings.Replace(conditionForm, "    label: Words\n", "    label: Words\n    required: true\n", 1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, problems := Parse("elsewhere.yaml", []byte(tt.src))
			if problems != nil {
				t.Fatal(problems)
			}
			if same := f.Hash() == base.Hash(); same != tt.same {
				t.Errorf("same hash = %v, want %v", same, tt.same)
			}
		})
	}
	if h := base.Hash(); len(h) != 64 {
		t.Errorf("Hash() = %q, want 64 hex digits", h)
	}
}

func TestMessages(t *testing.T) {
	f := mustParse(t, `id: demo
version: 1
kind: survey
title: Título
thank_you: Gracias
questions:
  - id: a
    type: single
    label: Pregunta A
    help: Ayuda A
    options: [{value: x, label: Equis}, {value: y-1, label: Ye}]
  - id: b
    type: scale
    label: Pregunta B
    options: [{value: 1, label: Poco}]
`)
	want := map[string]string{
		"form.demo.title":       "Título",
		"form.demo.thank_you":   "Gracias",
		"form.demo.q.a.label":   "Pregunta A",
		"form.demo.q.a.help":    "Ayuda A",
		"form.demo.q.a.opt.x":   "Equis",
		"form.demo.q.a.opt.y-1": "Ye",
		"form.demo.q.b.label":   "Pregunta B",
		"form.demo.q.b.opt.1":   "Poco",
	}
	if got := f.Messages(); !reflect.DeepEqual(got, want) {
		t.Errorf("Messages() = %v, want %v", got, want)
	}
	a := f.Question("a")
	ids := []string{f.TitleID(), f.DescriptionID(), f.ThankYouID(), f.LabelID(a), f.HelpID(a), f.OptionID(a, "x")}
	wantIDs := []string{"form.demo.title", "form.demo.description", "form.demo.thank_you", "form.demo.q.a.label", "form.demo.q.a.help", "form.demo.q.a.opt.x"}
	if !reflect.DeepEqual(ids, wantIDs) {
		t.Errorf("ids = %v, want %v", ids, wantIDs)
	}
	if f.Question("zz") != nil {
		t.Errorf("Question(zz) is not nil")
	}
}

func TestQuestionHelpers(t *testing.T) {
	five, ten := 5.0, 10.0
	tests := []struct {
		name      string
		q         Question
		textLimit int
		lo, hi    int
	}{
		{"text default", Question{Type: TypeText}, 200, 0, 0},
		{"textarea own limit", Question{Type: TypeTextarea, MaxLength: 500}, 500, 0, 0},
		{"email", Question{Type: TypeEmail}, 254, 0, 0},
		{"phone", Question{Type: TypePhone}, 30, 0, 0},
		{"scale default", Question{Type: TypeScale}, 0, 1, 5},
		{"scale 5..10", Question{Type: TypeScale, Min: &five, Max: &ten}, 0, 5, 10},
		{"rating", Question{Type: TypeRating}, 0, 0, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi := tt.q.ScaleRange()
			if got := tt.q.TextLimit(); got != tt.textLimit || lo != tt.lo || hi != tt.hi {
				t.Errorf("TextLimit, ScaleRange = %d, %d..%d; want %d, %d..%d", got, lo, hi, tt.textLimit, tt.lo, tt.hi)
			}
		})
	}
}
