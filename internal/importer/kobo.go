package importer

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/consulta/consulta/internal/forms"
)

// Layouts of the files Import reads (Result.Layout).
const (
	// LayoutTemplate is the form's CSV template (Headers).
	LayoutTemplate = "template"
	// LayoutKobo is the CSV export of KoboToolbox ("XML values and
	// headers") for a form collected from the form's XLSForm: a column per question named by the question ("group/name"
	// inside groups), select_multiple answers as choice names separated by
	// spaces and/or one 0/1 column per choice ("name/choice"), a geo as
	// "<id>_department" and "<id>_municipality", and Kobo's own columns
	// (_uuid, _submission_time, _index...). It is recognised by its _uuid
	// column, which makes its import idempotent.
	LayoutKobo = "kobo"
)

// Kobo's own columns that Import reads.
const (
	koboUUID = "_uuid"
	koboTime = "_submission_time"
)

// koboMeta are the columns of metadata Kobo and ODK add besides those
// starting with "_": read by nobody, so not reported as ignored either.
var koboMeta = []string{"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber",
	"username", "audit", "instanceid", "rootuuid", "instancename", "deprecatedid", "uuid",
	"consulta_intro", "consulta_thank_you"}

// isKobo reports whether a header is that of a Kobo export: it has _uuid.
func isKobo(header []string) bool {
	for _, h := range header {
		if strings.EqualFold(strings.TrimSpace(h), koboUUID) {
			return true
		}
	}
	return false
}

// layout is how the columns of a file map to the form.
type layout struct {
	name    string
	cols    []column
	ignored []string // Kobo: columns that are no answer to the form
	uuid    int      // Kobo: the _uuid column
	time    int      // Kobo: the _submission_time column, -1 when there is none
}

// koboLayout maps the columns of a Kobo export to the form's fields.
// Columns that answer no question (calculations, questions the form did not
// carry over) are ignored and listed; a multiple question read from its
// one column ignores its 0/1 columns, which say the same.
func koboLayout(f *forms.Form, header []string) layout {
	fields := koboFields(f)
	lay := layout{name: LayoutKobo, cols: make([]column, len(header)), time: -1}
	whole := map[*forms.Question]bool{}
	for _, h := range header {
		if c, ok := fields[koboName(h)]; ok && c.question != nil && c.question.Type == forms.TypeMultiple {
			whole[c.question] = true
		}
	}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		switch {
		case name == koboUUID:
			lay.uuid = i
			continue
		case name == koboTime:
			lay.time = i
			continue
		}
		if c, ok := fields[koboName(h)]; ok {
			lay.cols[i] = c
			continue
		}
		if q, choice, ok := choiceColumn(f, h); ok {
			if !whole[q] {
				lay.cols[i] = column{field: q.ID, question: q, choice: choice, kobo: true}
			}
			continue
		}
		if !isKoboMeta(h) {
			lay.ignored = append(lay.ignored, strings.TrimSpace(h))
		}
	}
	return lay
}

// koboFields are the fields of the form by the column name a Kobo export
// gives them, made a question id.
func koboFields(f *forms.Form) map[string]column {
	fields := map[string]column{}
	for _, q := range f.Questions {
		switch q.Type {
		case forms.TypeGeo:
			fields[q.ID+"_department"] = column{field: q.ID + "[department]", question: q, kobo: true}
			fields[q.ID+"_municipality"] = column{field: q.ID + "[municipality]", question: q, kobo: true}
		case forms.TypeMultiple:
			fields[q.ID] = column{field: q.ID, question: q, kobo: true}
			if q.Other {
				fields[q.OtherID()] = column{field: q.OtherID(), kobo: true}
			}
		default:
			fields[q.ID] = column{field: q.ID, question: q, kobo: true}
		}
	}
	return fields
}

// koboName is the question a column names: its last part ("group/name"
// names "name"), made an id as the XLSForm import makes names ids.
func koboName(h string) string {
	parts := strings.Split(strings.TrimSpace(h), "/")
	return forms.QuestionIDFrom(parts[len(parts)-1])
}

// choiceColumn recognises the 0/1 column of one choice of a multiple
// question: "name/choice" (or "group/name/choice").
func choiceColumn(f *forms.Form, h string) (*forms.Question, string, bool) {
	parts := strings.Split(strings.TrimSpace(h), "/")
	if len(parts) < 2 {
		return nil, "", false
	}
	q := f.Question(forms.QuestionIDFrom(parts[len(parts)-2]))
	if q == nil || q.Type != forms.TypeMultiple {
		return nil, "", false
	}
	value := forms.OptionValueFrom(parts[len(parts)-1])
	for _, o := range q.Options {
		if o.Value == value {
			return q, value, true
		}
	}
	if q.Other && value == forms.OtherValue {
		return q, value, true
	}
	return nil, "", false
}

// isKoboMeta reports whether a column is metadata of Kobo or ODK.
func isKoboMeta(h string) bool {
	h = strings.ToLower(strings.TrimSpace(h))
	parts := strings.Split(h, "/")
	last := parts[len(parts)-1]
	return strings.HasPrefix(last, "_") || slices.Contains(koboMeta, last) ||
		parts[0] == "meta" || parts[0] == "formhub"
}

// koboTimeLayouts are the ways Kobo and ODK write _submission_time (UTC
// when it has no zone).
var koboTimeLayouts = []string{"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05"}

// rowMeta is what identifies a row and dates it: the key its response id
// derives from and the time it was received.
func (lay layout) rowMeta(rec []string, line int, fileKey string, now time.Time) (key string, at time.Time, rerr *RowError) {
	if lay.name != LayoutKobo {
		return fmt.Sprintf("import:%s:%d", fileKey, line), now, nil
	}
	uuid := strings.ToLower(strings.TrimSpace(cellAt(rec, lay.uuid)))
	if uuid == "" {
		return "", now, &RowError{Row: line, Column: koboUUID, Code: "missing_uuid"}
	}
	at = now
	if s := strings.TrimSpace(cellAt(rec, lay.time)); s != "" {
		var err error
		for _, l := range koboTimeLayouts {
			if at, err = time.ParseInLocation(l, s, time.UTC); err == nil {
				break
			}
		}
		if err != nil || at.After(now) {
			return "", now, &RowError{Row: line, Column: koboTime, Code: "bad_time"}
		}
	}
	return "kobo:" + uuid, at.UTC(), nil
}

// cellAt returns rec[i], "" when there is no such cell.
func cellAt(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return rec[i]
}
