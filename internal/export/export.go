// Package export writes responses as CSV or JSON Lines for programs, or as
// CSV or XLSX for people in a spreadsheet (Sheet), streaming: one response
// in memory at a time.
package export

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
)

// Writer writes responses of one form in one format.
type Writer interface {
	// Write writes one response; contact is nil unless contact data is exported.
	Write(r *consulta.Response, contact *consulta.Contact) error
	// Flush passes what is buffered on to the underlying writer.
	Flush() error
	// Close flushes what is buffered at the end of the export.
	Close() error
}

// Formats that New accepts.
const (
	FormatCSV   = "csv"
	FormatJSONL = "jsonl"
)

// ValidFormat reports whether format is one that New accepts.
func ValidFormat(format string) bool { return format == FormatCSV || format == FormatJSONL }

// ValidSheetFormat reports whether format is one that NewSheet accepts.
func ValidSheetFormat(format string) bool { return format == FormatCSV || format == FormatXLSX }

// New returns a Writer for format. withContacts adds the personal questions'
// columns (admins only).
func New(format string, w io.Writer, f *forms.Form, withContacts bool) (Writer, error) {
	switch format {
	case FormatCSV:
		return newCSV(w, f, withContacts)
	case FormatJSONL:
		return &jsonlWriter{enc: json.NewEncoder(w), withContacts: withContacts}, nil
	}
	return nil, fmt.Errorf("export: unknown format %q (csv or jsonl)", format)
}

// metaColumns come first in every CSV row.
var metaColumns = []string{"id", "form", "form_version", "received_at", "lang", "channel", "page", "session", "department", "status"}

type csvWriter struct {
	w       *csv.Writer
	columns []column
}

// column is one answer column: a question, or one option of a multiple question.
type column struct {
	header   string
	question *forms.Question
	option   string // for multiple questions: 1 when chosen
	personal bool
}

func newCSV(w io.Writer, f *forms.Form, withContacts bool) (*csvWriter, error) {
	// A byte-order mark makes Excel read the file as UTF-8.
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, err
	}
	cw := &csvWriter{w: csv.NewWriter(w)}
	for _, q := range f.Questions {
		if q.Personal && !withContacts {
			continue
		}
		cw.columns = append(cw.columns, questionColumns(q)...)
	}
	header := append([]string{}, metaColumns...)
	for _, c := range cw.columns {
		header = append(header, c.header)
	}
	return cw, cw.w.Write(header)
}

func questionColumns(q *forms.Question) []column {
	switch q.Type {
	case forms.TypeMultiple:
		var cols []column
		for _, o := range q.Options {
			cols = append(cols, column{header: q.ID + "." + o.Value, question: q, option: o.Value, personal: q.Personal})
		}
		if q.Other {
			cols = append(cols, column{header: q.ID + ".other", question: q, option: "other"},
				column{header: q.ID + "_other", question: &forms.Question{ID: q.ID + "_other", Type: forms.TypeText}})
		}
		return cols
	case forms.TypeGeo:
		return []column{
			{header: q.ID + ".department", question: q, option: "department", personal: q.Personal},
			{header: q.ID + ".municipality", question: q, option: "municipality", personal: q.Personal},
		}
	}
	if q.Type == forms.TypeSingle {
		// The code for analysis, and the label (Spanish source) for people reading it.
		return []column{
			{header: q.ID, question: q, personal: q.Personal},
			{header: q.ID + ".label", question: q, option: labelColumn, personal: q.Personal},
		}
	}
	return []column{{header: q.ID, question: q, personal: q.Personal}}
}

// labelColumn marks the column holding a single question's option label.
const labelColumn = "\x00label"

func (cw *csvWriter) Write(r *consulta.Response, contact *consulta.Contact) error {
	row := []string{r.ID, r.FormID, strconv.Itoa(r.FormVersion), r.ReceivedAt.UTC().Format(time.RFC3339),
		r.Lang, string(r.Channel), r.Page, r.Session, r.Department, r.Status}
	for _, c := range cw.columns {
		src := r.Answers
		if c.personal {
			src = nil
			if contact != nil {
				src = contact.Fields
			}
		}
		row = append(row, cellValue(c, src[c.question.ID]))
	}
	for i := range row {
		row[i] = Neutralize(row[i])
	}
	return cw.w.Write(row)
}

func (cw *csvWriter) Flush() error {
	cw.w.Flush()
	return cw.w.Error()
}

func (cw *csvWriter) Close() error { return cw.Flush() }

// cellValue renders one answer for a column.
func cellValue(c column, v any) string {
	if v == nil {
		return ""
	}
	switch {
	case c.question.Type == forms.TypeMultiple && c.option != "":
		if list, ok := v.([]string); ok {
			for _, s := range list {
				if s == c.option {
					return "1"
				}
			}
		}
		return "0"
	case c.option == labelColumn:
		code, _ := v.(string)
		for _, o := range c.question.Options {
			if o.Value == code {
				return o.Label
			}
		}
		return code
	case c.question.Type == forms.TypeGeo:
		g, _ := v.(consulta.Geo)
		if c.option == "department" {
			return g.Department
		}
		return g.Municipality
	}
	return Format(v)
}

// Format renders an answer value as text.
func Format(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		if x {
			return "true"
		}
		return "false"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []string:
		s := append([]string(nil), x...)
		sort.Strings(s)
		return strings.Join(s, ";")
	case consulta.Geo:
		return x.Department + "/" + x.Municipality
	}
	return fmt.Sprint(v)
}

// Neutralize defuses a cell that a spreadsheet would run as a formula by
// prefixing an apostrophe: one that begins with = + - or @ (or their
// full-width forms), a tab, a carriage return or a line feed, also after
// leading white space or invisible characters (a byte-order mark, a
// non-breaking or other Unicode space, a zero-width or bidirectional
// character), because spreadsheets may skip those before deciding that a cell
// is a formula. Every writer of CSV for people to open calls it.
func Neutralize(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '\t', '\r', '\n':
		return "'" + cell
	}
	if isTrigger(firstVisible(cell)) {
		return "'" + cell
	}
	return cell
}

// firstVisible returns the first rune of s that is neither white space nor an
// invisible control or format character, or -1.
func firstVisible(s string) rune {
	for _, r := range s {
		if !unicode.IsSpace(r) && !unicode.IsControl(r) && !unicode.Is(unicode.Cf, r) {
			return r
		}
	}
	return -1
}

// isTrigger reports whether a cell whose first visible character is r may be
// read as a formula.
func isTrigger(r rune) bool {
	switch r {
	case '=', '+', '-', '@', '\uff1d', '\uff0b', '\uff0d', '\uff20':
		return true
	}
	return false
}

type jsonlWriter struct {
	enc          *json.Encoder
	withContacts bool
}

func (j *jsonlWriter) Write(r *consulta.Response, contact *consulta.Contact) error {
	line := struct {
		*consulta.Response
		Contact map[string]any `json:"contact,omitempty"`
	}{Response: r}
	if j.withContacts && contact != nil {
		line.Contact = contact.Fields
	}
	return j.enc.Encode(line)
}

// Flush has nothing to do: the encoder writes each line through.
func (j *jsonlWriter) Flush() error { return nil }

func (j *jsonlWriter) Close() error { return nil }
