package importer

import (
	"encoding/csv"
	"io"
	"maps"
	"strings"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
)

// column maps a CSV column to the urlencoded field that forms.DecodeValues
// reads, so that imports are validated exactly like web submissions.
type column struct {
	field    string
	question *forms.Question
	// choice, for the 0/1 column of one choice of a multiple question in a
	// Kobo export, is the option a true cell adds.
	choice string
	// kobo marks the columns of a Kobo export, whose multiple choices are
	// separated by spaces.
	kobo bool
	// opts reads the question's options by value or label (withOptions).
	opts optionIndex
}

// Headers returns the template's columns for form f: one per question (a
// multiple question's choices go in one cell, separated by ';'), its "other"
// text, and two for a geo question (INE codes of department and municipality).
func Headers(f *forms.Form) []string {
	var h []string
	for _, q := range f.Questions {
		h = append(h, QuestionHeaders(q)...)
	}
	return h
}

// QuestionHeaders are the template's columns that answer question q.
func QuestionHeaders(q *forms.Question) []string {
	switch q.Type {
	case forms.TypeGeo:
		return []string{q.ID + ".department", q.ID + ".municipality"}
	case forms.TypeMultiple:
		if q.Other {
			return []string{q.ID, q.OtherID()}
		}
	}
	return []string{q.ID}
}

// WriteTemplate writes the CSV template of f: a UTF-8 byte-order mark (for
// Excel) and the header row.
func WriteTemplate(w io.Writer, f *forms.Form) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(Headers(f)); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// mapColumns matches the header to the form's fields. Unknown columns are
// errors: a misspelt header would otherwise drop its answers silently.
func mapColumns(f *forms.Form, header []string) ([]column, []RowError) {
	fields := map[string]column{}
	for _, q := range f.Questions {
		switch q.Type {
		case forms.TypeGeo:
			fields[q.ID+".department"] = column{field: q.ID + "[department]", question: q}
			fields[q.ID+".municipality"] = column{field: q.ID + "[municipality]", question: q}
		case forms.TypeMultiple:
			fields[q.ID] = column{field: q.ID, question: q}
			if q.Other {
				fields[q.OtherID()] = column{field: q.OtherID()}
			}
		default:
			fields[q.ID] = column{field: q.ID, question: q}
		}
	}
	cols := make([]column, len(header))
	var errs []RowError
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		c, ok := fields[name]
		if !ok {
			errs = append(errs, RowError{Row: 1, Column: h, Code: "unknown_column"})
			continue
		}
		cols[i] = c
	}
	return cols, errs
}

// values turns one cell into the field values of its question: choices by
// value or by their label in any of the form's languages, yes/no words as
// true/false.
func (c column) values(cell string, comma rune) []string {
	cell = strings.TrimSpace(cell)
	if cell == "" {
		return nil
	}
	q := c.question
	if q == nil {
		return []string{cell}
	}
	if c.choice != "" {
		if yesNo(cell) == "true" {
			return []string{c.choice}
		}
		return nil
	}
	switch q.Type {
	case forms.TypeMultiple:
		if c.kobo {
			out := strings.Fields(cell)
			for i, part := range out {
				out[i] = c.option(part)
			}
			return out
		}
		return c.choices(cell, comma)
	case forms.TypeSingle:
		return []string{c.option(cell)}
	case forms.TypeYesNo, forms.TypeConsent:
		return []string{yesNo(cell)}
	case forms.TypeScale, forms.TypeRating, forms.TypeNumber:
		return []string{strings.Replace(cell, ",", ".", 1)} // "3,5" from a Spanish spreadsheet
	}
	return []string{cell}
}

// choices reads a multiple question's cell: choices separated by ';' (as
// documented, in a comma or a semicolon file alike: a cell holding the
// file's separator comes quoted) or '|', and in a semicolon file also by ','
// (what people type when ';' separates the columns), unless the part is
// itself a label with a comma ("Madre, padre o encargado").
func (c column) choices(cell string, comma rune) []string {
	var out []string
	for _, part := range strings.FieldsFunc(cell, func(r rune) bool { return r == '|' || r == ';' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if _, whole := c.opts.value(part); comma != ';' || whole {
			out = append(out, c.option(part))
			continue
		}
		for _, sub := range strings.Split(part, ",") {
			if sub = strings.TrimSpace(sub); sub != "" {
				out = append(out, c.option(sub))
			}
		}
	}
	return out
}

// option is the value of the option s names (its value or its label in any
// of the form's languages, ignoring case and accents, "Otro" or "Other" for
// the other choice, or the name of a choice the XLSForm import made that
// value: "Agua.Potable" is agua_potable); s itself when it names none, for
// validation to refuse.
func (c column) option(s string) string {
	if v, ok := c.opts.value(s); ok {
		return v
	}
	if c.question != nil {
		for _, o := range c.question.Options {
			if o.Value == forms.OptionValueFrom(s) {
				return o.Value
			}
		}
	}
	return s
}
func yesNo(s string) string {
	switch strings.ToLower(s) {
	case "sí", "si", "s", "yes", "y", "true", "1", "x", "verdadero", "ok": // "OK": a ticked acknowledge of ODK
		return "true"
	case "no", "n", "false", "0", "falso":
		return "false"
	}
	return s
}

// withCell adds to a refused choice's parameters what its cell holds
// (Params "Value"), so that the facilitator reads which word was not
// understood.
func withCell(fe consulta.FieldError, cols []column, rec []string) map[string]any {
	if fe.Code != "not_an_option" {
		return fe.Params
	}
	params := maps.Clone(fe.Params)
	if params == nil {
		params = map[string]any{}
	}
	for i, c := range cols {
		if c.question != nil && c.question.ID == fe.Question && c.choice == "" && i < len(rec) {
			params["Value"] = strings.TrimSpace(rec[i])
			break
		}
	}
	return params
}
