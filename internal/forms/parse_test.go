package forms

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// header is a valid form up to its question list: lines 1-5.
const header = "id: demo\nversion: 1\nkind: survey\ntitle: Demo\nquestions:\n"

// yesnoQ is a valid first question at lines 6-8.
const yesnoQ = "  - id: a\n    type: yesno\n    label: A\n"

func TestParseValidForm(t *testing.T) {
	src := `id: demo
version: 2
kind: needs_assessment
title: " Demo "
description: Una descripción.
thank_you: Gracias.
origins: [https://www.example.org, "http://localhost:8080"]
questions:
  - id: topic
    type: single
    display: select
    required: true
    label: Tema
    help: Ayuda
    options:
      - {value: uno, label: Uno}
      - {value: dos-2, label: Dos}
  - id: kinds
    type: multiple
    other: true
    min: 1
    max: 2
    label: Tipos
    options:
      - {value: a, label: A}
      - {value: b, label: B}
  - id: ease
    type: scale
    label: Facilidad
    options:
      - {value: 1, label: Muy difícil}
      - {value: 5, label: Muy fácil}
  - id: where
    type: geo
    personal: true
    label: Dónde
    show_if:
      all:
        - {question: topic, equals: uno}
        - any:
            - {question: kinds, in: [a, other]}
            - {question: ease, equals: 4}
            - {question: topic, answered: false}
  - id: note
    type: textarea
    max_length: 300
    label: Nota
`
	f, problems := Parse("demo.yaml", []byte(src))
	if problems != nil {
		t.Fatalf("problems: %v", problems)
	}
	one, two, four, no := 1.0, 2.0, 4.0, false
	want := &Form{
		ID: "demo", Version: 2, Kind: KindNeedsAssessment, Title: "Demo",
		Description: "Una descripción.", ThankYou: "Gracias.",
		Origins: []string{"https://www.example.org", "http://localhost:8080"},
		File:    "demo.yaml",
		Questions: []*Question{
			{ID: "topic", Type: TypeSingle, Display: "select", Required: true, Label: "Tema", Help: "Ayuda",
				Options: []Option{{"uno", "Uno"}, {"dos-2", "Dos"}}, Line: 9},
			{ID: "kinds", Type: TypeMultiple, Other: true, Min: &one, Max: &two, Label: "Tipos",
				Options: []Option{{"a", "A"}, {"b", "B"}}, Line: 18},
			{ID: "ease", Type: TypeScale, Label: "Facilidad",
				Options: []Option{{"1", "Muy difícil"}, {"5", "Muy fácil"}}, Line: 27},
			{ID: "where", Type: TypeGeo, Personal: true, Label: "Dónde", Line: 33,
				ShowIf: &Condition{All: []*Condition{
					{Question: "topic", Equals: "uno"},
					{Any: []*Condition{
						{Question: "kinds", In: []string{"a", "other"}},
						{Question: "ease", Equals: four},
						{Question: "topic", Answered: &no},
					}},
				}}},
			{ID: "note", Type: TypeTextarea, MaxLength: 300, Label: "Nota", Line: 44},
		},
	}
	if !reflect.DeepEqual(f, want) {
		t.Errorf("got  %s\nwant %s", dump(f), dump(want))
	}
}

// dump prints a form for failure messages: its JSON plus the fields JSON leaves out.
func dump(f *Form) string {
	data, _ := json.Marshal(f)
	lines := make([]int, len(f.Questions))
	for i, q := range f.Questions {
		lines[i] = q.Line
	}
	return fmt.Sprintf("%s file=%s lines=%v", data, f.File, lines)
}

func TestParseProblems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"yaml syntax", "id: demo\n  version: 1\n",
			[]string{"demo.yaml:2: invalid YAML: mapping values are not allowed in this context"}},
		{"empty file", "", []string{"demo.yaml: the file is empty"}},
		{"only comments", "# nothing\n", []string{"demo.yaml: the file is empty"}},
		{"not a mapping", "- a\n- b\n",
			[]string{"demo.yaml:1: a form must be a mapping of keys (id, version, kind, title, questions...)"}},
		{"two documents", header + yesnoQ + "---\nid: other\n",
			[]string{"demo.yaml:9: a form file holds one YAML document: remove the second one"}},
		{"unknown form key", "titel: Demo\n" + header + yesnoQ,
			[]string{`demo.yaml:1: unknown form key "titel" (did you mean "title"?)`}},
		{"unknown form key without suggestion", header + yesnoQ + "colour: red\n",
			[]string{`demo.yaml:9: unknown form key "colour"`}},
		{"duplicate key", header + yesnoQ + "title: Again\n",
			[]string{`demo.yaml:9: duplicate key "title" (first at line 4)`}},
		{"missing id", strings.TrimPrefix(header, "id: demo\n") + yesnoQ,
			[]string{`demo.yaml:1: missing "id"`}},
		{"invalid form id", strings.Replace(header, "id: demo", "id: Demo_1", 1) + yesnoQ,
			[]string{`demo.yaml:1: invalid form id "Demo_1": use lowercase letters, digits and hyphens, starting with a letter or digit`}},
		{"form id starting with a hyphen", strings.Replace(header, "id: demo", "id: -demo", 1) + yesnoQ,
			[]string{`demo.yaml:1: invalid form id "-demo": use lowercase letters, digits and hyphens, starting with a letter or digit`}},
		{"missing version", strings.Replace(header, "version: 1\n", "", 1) + yesnoQ,
			[]string{`demo.yaml:1: missing "version"`}},
		{"version zero", strings.Replace(header, "version: 1", "version: 0", 1) + yesnoQ,
			[]string{`demo.yaml:2: "version" must be 1 or more`}},
		{"version not a whole number", strings.Replace(header, "version: 1", "version: 1.5", 1) + yesnoQ,
			[]string{`demo.yaml:2: "version" must be a whole number`}},
		{"missing kind", strings.Replace(header, "kind: survey\n", "", 1) + yesnoQ,
			[]string{`demo.yaml:1: missing "kind" (suggestion, needs_assessment, page_feedback or survey)`}},
		{"unknown kind", strings.Replace(header, "kind: survey", "kind: poll", 1) + yesnoQ,
			[]string{`demo.yaml:3: unknown kind "poll" (use suggestion, needs_assessment, page_feedback or survey)`}},
		{"empty title", strings.Replace(header, "title: Demo", `title: "  "`, 1) + yesnoQ,
			[]string{`demo.yaml:4: empty "title"`}},
		{"title not text", strings.Replace(header, "title: Demo", "title: [a]", 1) + yesnoQ,
			[]string{`demo.yaml:4: "title" must be text`, `demo.yaml:4: empty "title"`}},
		{"missing questions", strings.TrimSuffix(header, "questions:\n"),
			[]string{`demo.yaml:1: missing "questions"`}},
		{"no questions", header[:len(header)-1] + " []\n",
			[]string{`demo.yaml:5: the form has no questions`}},
		{"questions not a list", header[:len(header)-1] + " yes\n",
			[]string{`demo.yaml:5: "questions" must be a list of questions`, `demo.yaml:5: the form has no questions`}},
		{"question not a mapping", header + yesnoQ + "  - just text\n",
			[]string{`demo.yaml:9: each question must be a mapping (id, type, label...)`}},
		{"question without id", header + "  - type: yesno\n    label: A\n",
			[]string{`demo.yaml:6: question without "id"`}},
		{"question id with a dot", header + "  - id: a.b\n    type: yesno\n    label: A\n",
			[]string{`demo.yaml:6: invalid question id "a.b": use lowercase letters, digits and underscores`}},
		{"question id with a dollar", header + "  - id: $a\n    type: yesno\n    label: A\n",
			[]string{`demo.yaml:6: invalid question id "$a": use lowercase letters, digits and underscores`}},
		{"question id with a hyphen", header + "  - id: a-b\n    type: yesno\n    label: A\n",
			[]string{`demo.yaml:6: invalid question id "a-b": use lowercase letters, digits and underscores`}},
		{"duplicate question id", header + yesnoQ + yesnoQ,
			[]string{`demo.yaml:9: duplicate question id "a" (first at line 6)`}},
		{"other text collides", header +
			"  - id: kinds\n    type: multiple\n    other: true\n    label: K\n    options: [{value: x, label: X}]\n" +
			"  - id: kinds_other\n    type: text\n    label: O\n",
			[]string{`demo.yaml:6: question "kinds": its "other" text is answered as "kinds_other", which is already a question id`}},
		{"missing type", header + "  - id: a\n    label: A\n",
			[]string{`demo.yaml:6: question "a": missing "type" (single, multiple, text, textarea, scale, rating, yesno, number, email, phone, geo or consent)`}},
		{"unknown type", header + "  - id: a\n    type: date\n    label: A\n",
			[]string{`demo.yaml:7: question "a": unknown type "date" (use single, multiple, text, textarea, scale, rating, yesno, number, email, phone, geo or consent)`}},
		{"missing label", header + "  - id: a\n    type: yesno\n",
			[]string{`demo.yaml:6: question "a": missing "label"`}},
		{"empty label", header + "  - id: a\n    type: yesno\n    label:\n",
			[]string{`demo.yaml:8: question "a": empty "label"`}},
		{"unknown question key", header + yesnoQ + "    requird: true\n",
			[]string{`demo.yaml:9: unknown question key "requird" (did you mean "required"?)`}},
		{"required not a bool", header + yesnoQ + "    required: si\n",
			[]string{`demo.yaml:9: "required" must be true or false`}},
		{"single without options", header + "  - id: a\n    type: single\n    label: A\n",
			[]string{`demo.yaml:6: question "a": a single question needs options`}},
		{"multiple with empty options", header + "  - id: a\n    type: multiple\n    label: A\n    options: []\n",
			[]string{`demo.yaml:9: question "a": a multiple question needs options`}},
		{"duplicate option value", header + "  - id: a\n    type: single\n    label: A\n    options:\n      - {value: x, label: X}\n      - {value: x, label: Y}\n",
			[]string{`demo.yaml:11: question "a": duplicate option value "x" (first at line 10)`}},
		{"invalid option value", header + "  - id: a\n    type: single\n    label: A\n    options:\n      - {value: Sí, label: X}\n",
			[]string{`demo.yaml:10: question "a": invalid option value "Sí": use lowercase letters, digits, _ and -`}},
		{"option value with a dot", header + "  - id: a\n    type: multiple\n    label: A\n    options:\n      - {value: a.b, label: X}\n",
			[]string{`demo.yaml:10: question "a": invalid option value "a.b": use lowercase letters, digits, _ and -`}},
		{"option without label", header + "  - id: a\n    type: single\n    label: A\n    options:\n      - value: x\n",
			[]string{`demo.yaml:10: question "a": option "x": missing "label"`}},
		{"option with empty label", header + "  - id: a\n    type: single\n    label: A\n    options:\n      - {value: x, label: ''}\n",
			[]string{`demo.yaml:10: question "a": option "x": empty "label"`}},
		{"option without value", header + "  - id: a\n    type: single\n    label: A\n    options:\n      - label: X\n",
			[]string{`demo.yaml:10: question "a": option without "value"`, `demo.yaml:10: question "a": invalid option value "": use lowercase letters, digits, _ and -`}},
		{"unknown option key", header + "  - id: a\n    type: single\n    label: A\n    options:\n      - {value: x, label: X, text: X}\n",
			[]string{`demo.yaml:10: unknown option key "text"`}},
		{"options on a text question", header + "  - id: a\n    type: text\n    label: A\n    options: [{value: x, label: X}]\n",
			[]string{`demo.yaml:9: question "a": options are only for single, multiple and scale questions`}},
		{"scale option outside the range", header + "  - id: a\n    type: scale\n    label: A\n    options:\n      - {value: 6, label: X}\n      - {value: '01', label: Y}\n",
			[]string{`demo.yaml:10: question "a": a scale option labels a point: its value must be a whole number from 1 to 5, not "6"`,
				`demo.yaml:11: question "a": a scale option labels a point: its value must be a whole number from 1 to 5, not "01"`}},
		{"min greater than max", header + "  - id: a\n    type: number\n    label: A\n    min: 10\n    max: 1\n",
			[]string{`demo.yaml:9: question "a": min (10) is greater than max (1)`}},
		{"min not a number", header + "  - id: a\n    type: number\n    label: A\n    min: .nan\n",
			[]string{`demo.yaml:9: "min" must be a number`}},
		{"min on a text question", header + "  - id: a\n    type: text\n    label: A\n    max: 3\n",
			[]string{`demo.yaml:9: question "a": min and max are only for scale, rating, number and multiple questions`}},
		{"scale with a fractional bound", header + "  - id: a\n    type: scale\n    label: A\n    max: 4.5\n",
			[]string{`demo.yaml:9: question "a": min and max of a scale question must be whole numbers, 0 or more`}},
		{"scale with one point", header + "  - id: a\n    type: scale\n    label: A\n    min: 5\n",
			[]string{`demo.yaml:9: question "a": a scale needs at least two points (it is 5..5)`}},
		{"scale too long", header + "  - id: a\n    type: scale\n    label: A\n    min: 0\n    max: 11\n",
			[]string{`demo.yaml:9: question "a": a scale has at most 11 points (it is 0..11)`}},
		{"rating with other bounds", header + "  - id: a\n    type: rating\n    label: A\n    max: 5\n",
			[]string{`demo.yaml:9: question "a": a rating is always 0 to 10: remove min and max`}},
		{"multiple max above its choices", header + "  - id: a\n    type: multiple\n    label: A\n    max: 3\n    options: [{value: x, label: X}, {value: y, label: Y}]\n",
			[]string{`demo.yaml:9: question "a": max must be from 1 to the number of choices (2)`}},
		{"multiple min above its choices", header + "  - id: a\n    type: multiple\n    label: A\n    min: 2\n    options: [{value: x, label: X}]\n",
			[]string{`demo.yaml:9: question "a": min is more than the number of choices (1)`}},
		{"negative max_length", header + "  - id: a\n    type: text\n    label: A\n    max_length: -1\n",
			[]string{`demo.yaml:9: question "a": "max_length" must be 0 (the default) or more`}},
		{"max_length on a single question", header + "  - id: a\n    type: single\n    label: A\n    max_length: 10\n    options: [{value: x, label: X}]\n",
			[]string{`demo.yaml:9: question "a": "max_length" is only for text, textarea, email and phone questions`}},
		{"unknown display", header + "  - id: a\n    type: single\n    label: A\n    display: dropdown\n    options: [{value: x, label: X}]\n",
			[]string{`demo.yaml:9: question "a": "display" must be radio or select`}},
		{"display on a multiple question", header + "  - id: a\n    type: multiple\n    label: A\n    display: select\n    options: [{value: x, label: X}]\n",
			[]string{`demo.yaml:9: question "a": "display" is only for single questions`}},
		{"other on a single question", header + "  - id: a\n    type: single\n    label: A\n    other: true\n    options: [{value: x, label: X}]\n",
			[]string{`demo.yaml:9: question "a": "other" is only for multiple questions`}},
		{"option value reserved for other", header + "  - id: a\n    type: multiple\n    label: A\n    other: true\n    options: [{value: other, label: X}]\n",
			[]string{`demo.yaml:10: question "a": option value "other" is reserved for the "other" choice`}},
		{"show_if on an unknown question", header + yesnoQ + "    show_if: {question: zz, answered: true}\n",
			[]string{`demo.yaml:9: question "a": show_if refers to unknown question "zz"`}},
		{"show_if on itself", header + yesnoQ + "    show_if: {question: a, answered: true}\n",
			[]string{`demo.yaml:9: question "a": show_if refers to its own question`}},
		{"show_if on a later question", header + yesnoQ + "    show_if: {question: b, answered: true}\n" + strings.ReplaceAll(yesnoQ, ": a", ": b"),
			[]string{`demo.yaml:9: question "a": show_if refers to question "b", which comes later: conditions may only use earlier answers`}},
		{"show_if with no form", header + yesnoQ + "  - id: b\n    type: text\n    label: B\n    show_if: {question: a}\n",
			[]string{`demo.yaml:12: question "b": a condition needs one of equals, in, answered, all or any`}},
		{"show_if with two forms", header + yesnoQ + "  - id: b\n    type: text\n    label: B\n    show_if: {question: a, equals: true, answered: true}\n",
			[]string{`demo.yaml:12: question "b": a condition has one of equals, in, answered, all or any, not equals and answered: combine conditions with all / any`}},
		{"show_if without question", header + yesnoQ + "  - id: b\n    type: text\n    label: B\n    show_if: {equals: true}\n",
			[]string{`demo.yaml:12: question "b": a condition with "equals" needs "question"`}},
		{"show_if not a mapping", header + yesnoQ + "  - id: b\n    type: text\n    label: B\n    show_if: a\n",
			[]string{`demo.yaml:12: question "b": "show_if" must be a mapping: question with equals, in or answered; or all / any`}},
		{"unknown condition key", header + yesnoQ + "  - id: b\n    type: text\n    label: B\n    show_if: {question: a, equal: true}\n",
			[]string{`demo.yaml:12: unknown condition key "equal" (did you mean "equals"?)`,
				`demo.yaml:12: question "b": a condition needs one of equals, in, answered, all or any`}},
		{"answered not a bool", header + yesnoQ + "  - id: b\n    type: text\n    label: B\n    show_if: {question: a, answered: yes}\n",
			[]string{`demo.yaml:12: "answered" must be true or false`}},
		{"equals not an option", header + "  - id: a\n    type: single\n    label: A\n    options: [{value: x, label: X}]\n" +
			"  - id: b\n    type: text\n    label: B\n    show_if: {question: a, equals: y}\n",
			[]string{`demo.yaml:13: question "b": "equals" value "y" is not an option of question "a"`}},
		{"in value not an option", header + "  - id: a\n    type: multiple\n    label: A\n    options: [{value: x, label: X}]\n" +
			"  - id: b\n    type: text\n    label: B\n    show_if: {question: a, in: [x, other]}\n",
			[]string{`demo.yaml:13: question "b": "in" value "other" is not an option of question "a"`}},
		{"in on a yesno question", header + yesnoQ + "  - id: b\n    type: text\n    label: B\n    show_if: {question: a, in: ['true']}\n",
			[]string{`demo.yaml:12: question "b": "in" is only for single and multiple questions (question "a" is yesno): use equals`}},
		{"in with no values", header + yesnoQ + "  - id: b\n    type: text\n    label: B\n    show_if: {question: a, in: []}\n",
			[]string{`demo.yaml:12: question "b": "in" needs a list of option values`}},
		{"equals a string on a yesno question", header + yesnoQ + "  - id: b\n    type: text\n    label: B\n    show_if: {question: a, equals: 'sí'}\n",
			[]string{`demo.yaml:12: question "b": "equals" must be true or false for yesno question "a"`}},
		{"equals a string on a scale question", header + "  - id: a\n    type: scale\n    label: A\n" +
			"  - id: b\n    type: text\n    label: B\n    show_if: {question: a, equals: high}\n",
			[]string{`demo.yaml:12: question "b": "equals" must be a number for scale question "a"`}},
		{"equals on a geo question", header + "  - id: a\n    type: geo\n    label: A\n" +
			"  - id: b\n    type: text\n    label: B\n    show_if: {question: a, equals: '01'}\n",
			[]string{`demo.yaml:12: question "b": "equals" cannot test geo question "a": use answered`}},
		{"all with a question", header + yesnoQ + "  - id: b\n    type: text\n    label: B\n    show_if:\n      question: a\n      all: [{question: a, equals: true}]\n",
			[]string{`demo.yaml:13: question "b": "question" goes inside each condition of "all"`}},
		{"empty any", header + yesnoQ + "  - id: b\n    type: text\n    label: B\n    show_if: {any: []}\n",
			[]string{`demo.yaml:12: question "b": "any" needs at least one condition`}},
		{"nested problem", header + yesnoQ + "  - id: b\n    type: text\n    label: B\n    show_if:\n      all:\n        - {question: a, equals: true}\n        - {question: c, answered: true}\n",
			[]string{`demo.yaml:15: question "b": show_if refers to unknown question "c"`}},
		{"condition that contains itself", header + yesnoQ + "  - id: b\n    type: text\n    label: B\n    show_if: &c {all: [*c]}\n",
			[]string{`demo.yaml:12: question "b": conditions nest at most 5 levels deep`}},
		{"too many conditions", header + yesnoQ + "  - id: b\n    type: text\n    label: B\n    show_if:\n" +
			"      all: &c4 [&c3 {all: &c2 [&c1 {all: &c0 [&c {question: a, answered: true}" + strings.Repeat(", *c", 9) + "]}" +
			strings.Repeat(", *c1", 9) + "]}" + strings.Repeat(", *c3", 9) + "]\n",
			[]string{`demo.yaml:13: question "b": the form has more than 500 conditions`}},
		{"origin with a path", header + yesnoQ + "origins: [https://www.example.org/]\n",
			[]string{`demo.yaml:9: invalid origin "https://www.example.org/": an origin has no path, query or fragment (not even a final /)`}},
		{"origin without a scheme", header + yesnoQ + "origins: [www.example.org]\n",
			[]string{`demo.yaml:9: invalid origin "www.example.org": write it as scheme://host[:port], e.g. https://www.example.org`}},
		{"origin with another scheme", header + yesnoQ + "origins: [ftp://example.org]\n",
			[]string{`demo.yaml:9: invalid origin "ftp://example.org": the scheme must be http or https`}},
		{"origin in capitals", header + yesnoQ + "origins: [https://WWW.example.org]\n",
			[]string{`demo.yaml:9: invalid origin "https://WWW.example.org": write the host in lowercase`}},
		{"origin with a wildcard", header + yesnoQ + "origins: ['https://*.example.org']\n",
			[]string{`demo.yaml:9: invalid origin "https://*.example.org": wildcards are not supported: list each origin`}},
		{"origin with a bad port", header + yesnoQ + "origins: ['https://example.org:99999']\n",
			[]string{`demo.yaml:9: invalid origin "https://example.org:99999": the port must be a number from 1 to 65535`}},
		{"duplicate origin", header + yesnoQ + "origins:\n  - https://example.org\n  - https://example.org\n",
			[]string{`demo.yaml:11: duplicate origin "https://example.org"`}},
		{"origins not a list", header + yesnoQ + "origins: https://example.org\n",
			[]string{`demo.yaml:9: "origins" must be a list of origins`}},
		{"every problem, in line order", "id: Demo\nversion: 0\nkind: survey\ntitle: Demo\nquestions:\n" +
			"  - id: a\n    type: nope\n    label: A\n  - id: a\n    type: yesno\n",
			[]string{
				`demo.yaml:1: invalid form id "Demo": use lowercase letters, digits and hyphens, starting with a letter or digit`,
				`demo.yaml:2: "version" must be 1 or more`,
				`demo.yaml:7: question "a": unknown type "nope" (use single, multiple, text, textarea, scale, rating, yesno, number, email, phone, geo or consent)`,
				`demo.yaml:9: question "a": missing "label"`,
				`demo.yaml:9: duplicate question id "a" (first at line 6)`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, problems := Parse("demo.yaml", []byte(tt.src))
			if f != nil {
				t.Errorf("Parse returned a form despite problems")
			}
			var got []string
			for _, p := range problems {
				got = append(got, p.String())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestParseAllows(t *testing.T) {
	tests := []struct {
		name string
		src  string
	}{
		{"personal geo question", header + "  - id: a\n    type: geo\n    personal: true\n    required: true\n    label: A\n"},
		{"rating with its own bounds", header + "  - id: a\n    type: rating\n    min: 0\n    max: 10\n    label: A\n"},
		{"origin with a port", header + yesnoQ + "origins: ['http://localhost:8080', 'https://[::1]:8443']\n"},
		{"aliases", header + "  - id: a\n    type: single\n    label: A\n    options: &opts [{value: x, label: X}]\n" +
			"  - id: b\n    type: multiple\n    label: B\n    options: *opts\n"},
		{"equals on a number question", header + "  - id: a\n    type: number\n    label: A\n" +
			"  - id: b\n    type: text\n    label: B\n    show_if: {question: a, equals: 2.5}\n"},
		{"equals other on a multiple question", header + "  - id: a\n    type: multiple\n    other: true\n    label: A\n    options: [{value: x, label: X}]\n" +
			"  - id: b\n    type: text\n    label: B\n    show_if: {question: a, equals: other}\n"},
		{"numeric option values", header + "  - id: a\n    type: single\n    label: A\n    options: [{value: 1, label: X}, {value: 2, label: Y}]\n" +
			"  - id: b\n    type: text\n    label: B\n    show_if: {question: a, equals: 1}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, problems := Parse("demo.yaml", []byte(tt.src)); problems != nil {
				t.Errorf("problems: %v", problems)
			}
		})
	}
}
