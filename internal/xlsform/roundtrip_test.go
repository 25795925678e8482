package xlsform

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/locale"
	"github.com/consulta/consulta/internal/shippedtest"
)

// exportOptions are the options the workspace gives Export: the shipped
// languages and translations, and the catalog.
func exportOptions(t *testing.T, tr *locale.Translator, withGeo bool) ExportOptions {
	t.Helper()
	_, _, cat := shippedtest.Catalogs(t)
	opt := ExportOptions{Text: func(lang, id string) (string, bool) {
		text, got := tr.Localizer(lang).TL(id)
		return text, got == lang && text != id
	}}
	if withGeo {
		opt.Geo = cat
	}
	for _, l := range tr.Languages() {
		opt.Languages = append(opt.Languages, Language{Tag: l.Tag, Name: l.Name, EnglishName: l.EnglishName})
	}
	return opt
}

// roundTrip exports f and imports the file again.
func roundTrip(t *testing.T, f *forms.Form, opt ExportOptions) *Result {
	t.Helper()
	var buf bytes.Buffer
	if err := Export(&buf, f, opt); err != nil {
		t.Fatalf("export: %v", err)
	}
	res, err := Import(bytes.NewReader(buf.Bytes()), Options{FileName: "x.xlsx", Languages: opt.Languages})
	if err != nil {
		t.Fatalf("import: %v (skipped: %+v)", err, res)
	}
	return res
}

// TestRoundTripShipped exports every shipped form with its translations and
// imports it back: the same form (its hash: every field, texts included,
// min_fill_time and required_if too), the same English texts, and nothing
// skipped.
func TestRoundTripShipped(t *testing.T) {
	reg, tr, _ := shippedtest.Catalogs(t)
	opt := exportOptions(t, tr, true)
	for _, f := range reg.All() {
		t.Run(f.ID, func(t *testing.T) {
			res := roundTrip(t, f, opt)
			if len(res.Skipped) > 0 {
				t.Errorf("skipped: %+v", res.Skipped)
			}
			if res.Form.Hash() != f.Hash() {
				want, _ := json.MarshalIndent(f, "", " ")
				got, _ := json.MarshalIndent(res.Form, "", " ")
				t.Fatalf("the form changed:\nwant %s\ngot  %s", want, got)
			}
			en := tr.Localizer("en")
			wantEN := map[string]string{}
			for id := range f.Messages() {
				if text, lang := en.TL(id); lang == "en" {
					wantEN[id] = text
				}
			}
			if len(wantEN) == 0 {
				t.Fatal("the shipped form has no English texts: the test proves nothing")
			}
			if got := res.Translations["en"]; !equalMaps(got, wantEN) {
				t.Errorf("English texts:\ngot  %v\nwant %v", got, wantEN)
			}
			if _, ok := res.Translations["quc"]; ok {
				t.Errorf("K'iche' texts appeared: %v", res.Translations["quc"])
			}
		})
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestRoundTripEveryType exports a form with every question type, every
// form of condition, required_if and its own min_fill_time, and imports it
// back unchanged.
func TestRoundTripEveryType(t *testing.T) {
	data := []byte(`id: todo
version: 3
kind: survey
title: Todo
description: Una descripción.
thank_you: Gracias.
origins: [https://example.org]
min_fill_time: 5s
questions:
  - {id: sede, type: single, display: select, required: true, label: Sede, help: Ayuda,
     options: [{value: norte, label: Norte}, {value: sur, label: Sur}, {value: este, label: Este}]}
  - {id: temas, type: multiple, other: true, min: 1, max: 2, label: Temas,
     options: [{value: a, label: A}, {value: b, label: B}]}
  - {id: nombre, type: text, max_length: 80, personal: true, label: Nombre}
  - {id: comentario, type: textarea, label: Comentario}
  - {id: acuerdo, type: scale, min: 0, max: 4, label: Acuerdo,
     options: [{value: "0", label: Nada}, {value: "4", label: Mucho}]}
  - {id: nps, type: rating, label: NPS}
  - {id: vuelve, type: yesno, label: "¿Vuelve?"}
  - {id: edad, type: number, min: 0, max: 120, label: Edad}
  - {id: correo, type: email, personal: true, label: Correo}
  - {id: tel, type: phone, personal: true, label: Teléfono,
     required_if: {all: [{question: vuelve, equals: true}, {question: correo, answered: false}]}}
  - {id: motivo, type: text, label: Motivo, required_if: {question: sede, in: [norte, sur]}}
  - {id: lugar, type: geo, required: true, label: Lugar}
  - {id: acepto, type: consent, required: true, label: Acepto}
  - id: fin
    type: text
    label: Fin
    show_if:
      any:
        - {question: sede, in: [norte, sur]}
        - {question: temas, in: [a, other]}
        - all:
            - {question: acuerdo, equals: 4}
            - {question: nps, equals: 10}
            - {question: vuelve, equals: false}
            - {question: edad, equals: 30}
            - {question: lugar, answered: true}
            - {question: comentario, answered: false}
            - {question: nombre, equals: Ana}
            - {question: acepto, equals: true}
            - {question: temas, equals: b}
`)
	f, problems := forms.Parse("todo.yaml", data)
	if problems != nil {
		t.Fatal(problems)
	}
	_, tr, _ := shippedtest.Catalogs(t)
	res := roundTrip(t, f, exportOptions(t, tr, true))
	if len(res.Skipped) > 0 {
		t.Errorf("skipped: %+v", res.Skipped)
	}
	if res.Form.Hash() != f.Hash() {
		want, _ := json.MarshalIndent(f, "", " ")
		got, _ := json.MarshalIndent(res.Form, "", " ")
		t.Fatalf("the form changed:\nwant %s\ngot  %s", want, got)
	}
	if len(res.Translations) != 0 {
		t.Errorf("translations of a form that has none: %v", res.Translations)
	}
}
