package forms

import (
	"testing"

	"github.com/consulta/consulta/internal/consulta"
)

// conditionForm has one question of each answer shape, then questions whose
// show_if exercise every kind of condition, and a chain c1 → c2 → c3.
const conditionForm = header + `  - id: choice
    type: single
    label: Choice
    options: [{value: x, label: X}, {value: y, label: Y}, {value: z, label: Z}]
  - id: many
    type: multiple
    other: true
    label: Many
    options: [{value: x, label: X}, {value: y, label: Y}]
  - id: flag
    type: yesno
    label: Flag
  - id: points
    type: scale
    label: Points
  - id: where
    type: geo
    label: Where
  - id: words
    type: text
    label: Words
  - id: if_choice_x
    type: text
    label: T
    show_if: {question: choice, equals: x}
  - id: if_choice_in
    type: text
    label: T
    show_if: {question: choice, in: [x, y]}
  - id: if_many_y
    type: text
    label: T
    show_if: {question: many, equals: y}
  - id: if_many_in
    type: text
    label: T
    show_if: {question: many, in: [y, other]}
  - id: if_flag_true
    type: text
    label: T
    show_if: {question: flag, equals: true}
  - id: if_flag_false
    type: text
    label: T
    show_if: {question: flag, equals: false}
  - id: if_points_4
    type: text
    label: T
    show_if: {question: points, equals: 4}
  - id: if_words
    type: text
    label: T
    show_if: {question: words, equals: hola}
  - id: if_where
    type: text
    label: T
    show_if: {question: where, answered: true}
  - id: if_no_words
    type: text
    label: T
    show_if: {question: words, answered: false}
  - id: if_all
    type: text
    label: T
    show_if:
      all: [{question: choice, equals: x}, {question: flag, equals: true}]
  - id: if_any
    type: text
    label: T
    show_if:
      any: [{question: choice, equals: x}, {question: flag, equals: true}]
  - id: c1
    type: yesno
    label: C1
    show_if: {question: flag, equals: true}
  - id: c2
    type: yesno
    label: C2
    show_if: {question: c1, equals: true}
  - id: c3
    type: text
    label: C3
    show_if: {question: c2, answered: true}
  - id: c4
    type: text
    label: C4
    show_if: {question: c2, answered: false}
`

func mustParse(t *testing.T, src string) *Form {
	t.Helper()
	f, problems := Parse("test.yaml", []byte(src))
	if problems != nil {
		t.Fatalf("problems: %v", problems)
	}
	return f
}

func TestVisible(t *testing.T) {
	f := mustParse(t, conditionForm)
	tests := []struct {
		name     string
		question string
		answers  map[string]any
		want     bool
	}{
		{"no show_if", "choice", nil, true},
		{"equals string", "if_choice_x", map[string]any{"choice": "x"}, true},
		{"equals string, other value", "if_choice_x", map[string]any{"choice": "y"}, false},
		{"equals string, unanswered", "if_choice_x", nil, false},
		{"equals compares exactly", "if_words", map[string]any{"words": "Hola"}, false},
		{"equals free text", "if_words", map[string]any{"words": "hola"}, true},
		{"in, one of", "if_choice_in", map[string]any{"choice": "y"}, true},
		{"in, none of", "if_choice_in", map[string]any{"choice": "z"}, false},
		{"in, unanswered", "if_choice_in", map[string]any{}, false},
		{"equals on a list contains", "if_many_y", map[string]any{"many": []string{"x", "y"}}, true},
		{"equals on a raw JSON list", "if_many_y", map[string]any{"many": []any{"y"}}, true},
		{"equals on a list without it", "if_many_y", map[string]any{"many": []string{"x"}}, false},
		{"in on a list overlaps", "if_many_in", map[string]any{"many": []string{"x", "other"}}, true},
		{"in on a list without overlap", "if_many_in", map[string]any{"many": []any{"x"}}, false},
		{"equals true", "if_flag_true", map[string]any{"flag": true}, true},
		{"equals true, answer false", "if_flag_true", map[string]any{"flag": false}, false},
		{"equals false", "if_flag_false", map[string]any{"flag": false}, true},
		{"equals false, unanswered", "if_flag_false", nil, false},
		{"equals bool, answer a string", "if_flag_true", map[string]any{"flag": "true"}, false},
		{"equals number", "if_points_4", map[string]any{"points": 4.0}, true},
		{"equals number, another", "if_points_4", map[string]any{"points": 5.0}, false},
		{"equals number, Go int", "if_points_4", map[string]any{"points": 4}, true},
		{"answered geo", "if_where", map[string]any{"where": consulta.Geo{Department: "01"}}, true},
		{"answered raw geo", "if_where", map[string]any{"where": map[string]any{"department": "01"}}, true},
		{"answered empty geo", "if_where", map[string]any{"where": consulta.Geo{}}, false},
		{"answered false, blank text", "if_no_words", map[string]any{"words": "  "}, true},
		{"answered false, text", "if_no_words", map[string]any{"words": "algo"}, false},
		{"all, both", "if_all", map[string]any{"choice": "x", "flag": true}, true},
		{"all, one", "if_all", map[string]any{"choice": "x", "flag": false}, false},
		{"any, one", "if_any", map[string]any{"choice": "y", "flag": true}, true},
		{"any, none", "if_any", map[string]any{"choice": "y"}, false},
		{"chain shown", "c3", map[string]any{"flag": true, "c1": true, "c2": false}, true},
		{"chain: hidden c1 hides c2 and c3", "c3", map[string]any{"flag": false, "c1": true, "c2": true}, false},
		{"chain: hidden c2 counts as unanswered", "c4", map[string]any{"flag": false, "c1": true, "c2": true}, true},
		{"chain: c1 false hides c2", "c3", map[string]any{"flag": true, "c1": false, "c2": true}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := f.Question(tt.question)
			if q == nil {
				t.Fatalf("no question %q", tt.question)
			}
			if got := f.Visible(q, tt.answers); got != tt.want {
				t.Errorf("Visible(%s, %v) = %v, want %v", tt.question, tt.answers, got, tt.want)
			}
		})
	}
}
