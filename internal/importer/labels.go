package importer

import (
	"strings"

	"github.com/consulta/consulta/internal/forms"
)

// Translations gives the text of a message id (forms.Form.Messages' ids,
// and "form.other") in every language it is translated into, Spanish
// included; the caller adapts its translator. With none, options are read by
// value or by their Spanish label only.
type Translations func(id string) []string

// otherID is the message id of the "Other" choice's label, as the form
// page shows it.
const otherID = "form.other"

// optionIndex maps what a person may write for an option of one question
// (its value, its label in any of the form's languages, "Otro"/"Other" for
// the other choice) to the option's value, under key.
type optionIndex map[string]string

// options builds the option index of every choice question of f.
func (im *Importer) options(f *forms.Form) map[string]optionIndex {
	out := map[string]optionIndex{}
	for _, q := range f.Questions {
		if q.Type != forms.TypeSingle && q.Type != forms.TypeMultiple {
			continue
		}
		ix := optionIndex{}
		// Values first, then Spanish labels, then translations: the first
		// claim on a word wins, so a translation never takes an option's code
		// or Spanish label from another option.
		for _, o := range q.Options {
			ix.add(o.Value, o.Value)
		}
		for _, o := range q.Options {
			ix.add(o.Label, o.Value)
		}
		for _, o := range q.Options {
			for _, t := range im.translations(f.OptionID(q, o.Value)) {
				ix.add(t, o.Value)
			}
		}
		if q.Type == forms.TypeMultiple && q.Other {
			ix.add(forms.OtherValue, forms.OtherValue)
			ix.add("otro", forms.OtherValue)
			for _, t := range im.translations(otherID) {
				ix.add(t, forms.OtherValue)
			}
		}
		out[q.ID] = ix
	}
	return out
}

func (im *Importer) translations(id string) []string {
	if im.Translations == nil {
		return nil
	}
	return im.Translations(id)
}

func (ix optionIndex) add(word, value string) {
	if k := key(word); k != "" {
		if _, taken := ix[k]; !taken {
			ix[k] = value
		}
	}
}

// value is the option s names, and whether it names one.
func (ix optionIndex) value(s string) (string, bool) {
	v, ok := ix[key(s)]
	return v, ok
}

// key is how words are compared: case, accents, punctuation and spacing
// ignored ("Madre,  padre o encargado." is "madre_padre_o_encargado").
func key(s string) string {
	k := forms.QuestionIDFrom(s)
	for strings.Contains(k, "__") {
		k = strings.ReplaceAll(k, "__", "_")
	}
	return strings.Trim(k, "_")
}

// withOptions gives each choice column its question's option index.
func withOptions(cols []column, ix map[string]optionIndex) []column {
	for i, c := range cols {
		if c.question != nil {
			cols[i].opts = ix[c.question.ID]
		}
	}
	return cols
}
