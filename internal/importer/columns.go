package importer

import (
	"encoding/csv"
	"io"
	"strings"

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
}

// Headers returns the template's columns for form f: one per question (a
// multiple question's choices go in one cell, separated by ';'), its "other"
// text, and two for a geo question (INE codes of department and municipality).
func Headers(f *forms.Form) []string {
	var h []string
	for _, q := range f.Questions {
		switch q.Type {
		case forms.TypeGeo:
			h = append(h, q.ID+".department", q.ID+".municipality")
		case forms.TypeMultiple:
			h = append(h, q.ID)
			if q.Other {
				h = append(h, q.OtherID())
			}
		default:
			h = append(h, q.ID)
		}
	}
	return h
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
// value or by their Spanish label, yes/no words as true/false.
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
				out[i] = optionValue(q, part)
			}
			return out
		}
		return choices(q, cell, comma)
	case forms.TypeSingle:
		return []string{optionValue(q, cell)}
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
func choices(q *forms.Question, cell string, comma rune) []string {
	var out []string
	for _, part := range strings.FieldsFunc(cell, func(r rune) bool { return r == '|' || r == ';' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if comma != ';' || isOption(q, part) {
			out = append(out, optionValue(q, part))
			continue
		}
		for _, sub := range strings.Split(part, ",") {
			if sub = strings.TrimSpace(sub); sub != "" {
				out = append(out, optionValue(q, sub))
			}
		}
	}
	return out
}

// isOption reports whether s names an option of q by value or label.
func isOption(q *forms.Question, s string) bool {
	for _, o := range q.Options {
		if strings.EqualFold(o.Value, s) || strings.EqualFold(o.Label, s) {
			return true
		}
	}
	return false
}

// optionValue accepts an option's value or its Spanish label, ignoring case,
// or the name of a choice the XLSForm import made that value
// (forms.OptionValueFrom: "Agua.Potable" is agua_potable).
func optionValue(q *forms.Question, s string) string {
	for _, o := range q.Options {
		if strings.EqualFold(o.Value, s) || strings.EqualFold(o.Label, s) {
			return o.Value
		}
	}
	if v := forms.OptionValueFrom(s); q.Type == forms.TypeMultiple && q.Other && v == forms.OtherValue {
		return v
	}
	for _, o := range q.Options {
		if o.Value == forms.OptionValueFrom(s) {
			return o.Value
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
