package forms

import (
	"reflect"
	"strings"
	"testing"

	"github.com/consulta/consulta/internal/consulta"
)

// replyForm asks for a reply and then for a way to send it: the phone is
// required only when a reply is wanted and no e-mail was left, as in the
// shipped suggestion box.
const replyForm = header + `  - id: wants_reply
    type: yesno
    label: Reply?
  - id: email
    type: email
    label: Email
    show_if: {question: wants_reply, equals: true}
  - id: phone
    type: phone
    label: Phone
    show_if: {question: wants_reply, equals: true}
    required_if: {question: email, answered: false}
  - id: agree
    type: consent
    label: Agree
    required_if: {question: wants_reply, equals: true}
`

func TestRequiredIf(t *testing.T) {
	f := mustParse(t, replyForm)
	tests := []struct {
		name    string
		answers map[string]any
		want    []consulta.FieldError
	}{
		{"no reply wanted", map[string]any{"wants_reply": false}, nil},
		{"nothing answered", map[string]any{}, nil},
		{"reply without a contact", map[string]any{"wants_reply": true, "agree": true},
			[]consulta.FieldError{{Question: "phone", Code: CodeRequired}}},
		{"reply with an e-mail", map[string]any{"wants_reply": true, "email": "ana@example.org", "agree": true}, nil},
		{"reply with a phone", map[string]any{"wants_reply": true, "phone": "5555 1234", "agree": true}, nil},
		{"a blank e-mail is no contact", map[string]any{"wants_reply": true, "email": "  ", "agree": true},
			[]consulta.FieldError{{Question: "phone", Code: CodeRequired}}},
		{"an invalid e-mail is no contact", map[string]any{"wants_reply": true, "email": "ana", "agree": true},
			[]consulta.FieldError{{Question: "email", Code: CodeInvalidEmail}, {Question: "phone", Code: CodeRequired}}},
		{"a required_if consent must be given", map[string]any{"wants_reply": true, "phone": "5555 1234"},
			[]consulta.FieldError{{Question: "agree", Code: CodeMustConsent}}},
		{"a consent not required when no reply", map[string]any{"wants_reply": false, "agree": false}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, errs := f.Validate(tt.answers, nil)
			if !reflect.DeepEqual(errs, tt.want) {
				t.Errorf("errors = %+v, want %+v", errs, tt.want)
			}
		})
	}
	phone := f.Questions[2]
	if !f.MustAnswer(phone, map[string]any{"wants_reply": true}) || f.MustAnswer(phone, map[string]any{"wants_reply": true, "email": "a@b.org"}) {
		t.Error("MustAnswer disagrees with Validate on the phone")
	}
}

func TestRequiredIfProblems(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"later question", header + "  - id: a\n    type: text\n    label: A\n    required_if: {question: b, answered: true}\n  - id: b\n    type: text\n    label: B\n",
			`required_if refers to question "b", which comes later`},
		{"with required", header + yesnoQ + "  - id: b\n    type: text\n    label: B\n    required: true\n    required_if: {question: a, equals: true}\n",
			`"required_if" has no use with required: true`},
		{"bad value", header + yesnoQ + "  - id: b\n    type: text\n    label: B\n    required_if: {question: a, equals: maybe}\n",
			`"equals" must be true or false`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, problems := Parse("demo.yaml", []byte(tt.src))
			if problems == nil || !strings.Contains(problems.Error(), tt.want) {
				t.Errorf("problems = %v, want one with %q", problems, tt.want)
			}
		})
	}
}

func TestRequiredIfRoundTrips(t *testing.T) {
	f := mustParse(t, replyForm)
	out, err := Encode(f, "")
	if err != nil {
		t.Fatal(err)
	}
	again := mustParse(t, string(out))
	if !reflect.DeepEqual(again.Questions[2].RequiredIf, f.Questions[2].RequiredIf) {
		t.Errorf("required_if after encoding = %+v, want %+v\n%s", again.Questions[2].RequiredIf, f.Questions[2].RequiredIf, out)
	}
}
