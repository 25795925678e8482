package export

import (
	"strings"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
)

// Sheet makes an export for people who open it in a spreadsheet rather than
// for programs: headers in a language, times in the configured zone with
// their offset, answers as labels or codes, and the triage's fields. A Job
// without one writes the machine CSV of `consulta export` (codes, UTC,
// identifiers for headers), which scripts already read.
type Sheet struct {
	// Labels writes options, yes/no, places, channels and statuses by their
	// names in T's language, and questions by their labels; otherwise by
	// their codes and identifiers.
	Labels bool
	// Location is the zone of every time written, with its offset.
	Location *time.Location
	// T is a message in the export's language (a locale.Localizer's T).
	T func(id string) string
	// Places names departments and municipalities by their INE codes.
	Places Places
	// People names accounts by ID (the assignee), when known.
	People map[string]string
}

// Places names INE codes; *geo.Catalog is one.
type Places interface {
	Department(code string) (geo.Department, bool)
	Municipality(code string) (geo.Municipality, bool)
}

// sheetColumn is one column of a Sheet export. A value is a string, a
// float64, a time.Time or nil (an empty cell); writers type cells by it.
type sheetColumn struct {
	header string
	value  func(r *consulta.Response, contact map[string]any) any
}

// columns lays out the Sheet export of f: the response's own fields, its
// triage, then its answers in the form's order.
func (s *Sheet) columns(f *forms.Form, withContacts bool) []sheetColumn {
	cols := s.metaColumns()
	for _, q := range f.Questions {
		if q.Personal && !withContacts {
			continue
		}
		cols = append(cols, s.questionColumns(f, q)...)
	}
	return cols
}

func (s *Sheet) metaColumns() []sheetColumn {
	text := func(get func(*consulta.Response) string) func(*consulta.Response, map[string]any) any {
		return func(r *consulta.Response, _ map[string]any) any { return emptyNil(get(r)) }
	}
	return []sheetColumn{
		{s.T("export.col.id"), text(func(r *consulta.Response) string { return r.ID })},
		{s.T("export.col.form"), text(func(r *consulta.Response) string { return r.FormID })},
		{s.T("export.col.form_version"), func(r *consulta.Response, _ map[string]any) any { return float64(r.FormVersion) }},
		{s.T("export.col.received") + " (" + zoneName(s.Location) + ")", func(r *consulta.Response, _ map[string]any) any {
			// Whole seconds: a spreadsheet would round where the CSV cuts.
			return r.ReceivedAt.In(s.Location).Truncate(time.Second)
		}},
		{s.T("export.col.lang"), text(func(r *consulta.Response) string { return r.Lang })},
		{s.T("export.col.channel"), text(func(r *consulta.Response) string { return s.coded("report.channel.", string(r.Channel)) })},
		{s.T("export.col.page"), text(func(r *consulta.Response) string { return r.Page })},
		{s.T("export.col.session"), text(func(r *consulta.Response) string { return r.Session })},
		{s.T("export.col.department"), text(func(r *consulta.Response) string { return s.department(r.Department) })},
		{s.T("export.col.status"), text(func(r *consulta.Response) string { return s.coded("report.status.", r.Status) })},
		{s.T("export.col.tags"), text(func(r *consulta.Response) string { return strings.Join(r.Tags, ", ") })},
		{s.T("export.col.assignee"), text(func(r *consulta.Response) string { return s.person(r.Assignee) })},
	}
}

// questionColumns are q's columns: one per option of a multiple question (1
// when chosen, 0 when not) and its "other" text, two for a place, one
// otherwise.
func (s *Sheet) questionColumns(f *forms.Form, q *forms.Question) []sheetColumn {
	header := q.ID
	if s.Labels {
		header = s.T(f.LabelID(q))
	}
	answer := func(r *consulta.Response, contact map[string]any) any {
		if q.Personal {
			return contact[q.ID]
		}
		return r.Answers[q.ID]
	}
	switch q.Type {
	case forms.TypeMultiple:
		var cols []sheetColumn
		for _, o := range q.Options {
			cols = append(cols, sheetColumn{header + " " + s.choice(f, q, o.Value), chosen(answer, o.Value)})
		}
		if q.Other {
			other := q.OtherID()
			cols = append(cols, sheetColumn{header + " " + s.choice(f, q, "other"), chosen(answer, "other")},
				sheetColumn{header + " (" + s.T("form.other") + ")", func(r *consulta.Response, _ map[string]any) any {
					return textCell(r.Answers[other])
				}})
		}
		return cols
	case forms.TypeGeo:
		place := func(get func(consulta.Geo) string) func(*consulta.Response, map[string]any) any {
			return func(r *consulta.Response, c map[string]any) any {
				g, ok := answer(r, c).(consulta.Geo)
				if !ok {
					return nil
				}
				return emptyNil(get(g))
			}
		}
		return []sheetColumn{
			{header + " (" + s.T("form.department") + ")", place(func(g consulta.Geo) string { return s.department(g.Department) })},
			{header + " (" + s.T("form.municipality") + ")", place(func(g consulta.Geo) string { return s.municipality(g.Municipality) })},
		}
	}
	return []sheetColumn{{header, func(r *consulta.Response, c map[string]any) any { return s.answer(f, q, answer(r, c)) }}}
}

// choice is how a multiple question's option heads its column.
func (s *Sheet) choice(f *forms.Form, q *forms.Question, value string) string {
	if !s.Labels {
		return "[" + value + "]"
	}
	if value == "other" {
		return "[" + s.T("form.other") + "]"
	}
	return "[" + s.option(f, q, value) + "]"
}

// chosen is the 1/0 column of one option of a multiple question.
func chosen(answer func(*consulta.Response, map[string]any) any, value string) func(*consulta.Response, map[string]any) any {
	return func(r *consulta.Response, c map[string]any) any {
		list, ok := answer(r, c).([]string)
		if !ok {
			return nil
		}
		for _, v := range list {
			if v == value {
				return 1.0
			}
		}
		return 0.0
	}
}

// answer is the cell of an answer to a question with one column.
func (s *Sheet) answer(f *forms.Form, q *forms.Question, v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case float64:
		return x
	case bool:
		if !s.Labels {
			return Format(x)
		}
		if x {
			return s.T("form.yes")
		}
		return s.T("form.no")
	case string:
		if q.Type == forms.TypeSingle && s.Labels {
			return s.option(f, q, x)
		}
		return emptyNil(x)
	}
	return textCell(v)
}

// option is the label of an option in T's language: the form's own text
// when there is no translation, the code when the form no longer has it.
func (s *Sheet) option(f *forms.Form, q *forms.Question, value string) string {
	id := f.OptionID(q, value)
	if t := s.T(id); t != id && t != "" {
		return t
	}
	for _, o := range q.Options {
		if o.Value == value {
			return o.Label
		}
	}
	return value
}

// coded is a code of the workspace's lists (channels, statuses) by name.
func (s *Sheet) coded(prefix, code string) string {
	if !s.Labels || code == "" {
		return code
	}
	if t := s.T(prefix + code); t != prefix+code {
		return t
	}
	return code
}

func (s *Sheet) department(code string) string {
	if d, ok := s.Places.Department(code); ok && s.Labels {
		return d.Name
	}
	return code
}

func (s *Sheet) municipality(code string) string {
	if m, ok := s.Places.Municipality(code); ok && s.Labels {
		return m.Name
	}
	return code
}

func (s *Sheet) person(id string) string {
	if name, ok := s.People[id]; ok && s.Labels && name != "" {
		return name
	}
	return id
}

// textCell is a value as text, nil when there is none.
func textCell(v any) any {
	if v == nil {
		return nil
	}
	return emptyNil(Format(v))
}

func emptyNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// zoneName names loc and its offset now, for the header of times: a
// spreadsheet's date cell has no zone of its own.
func zoneName(loc *time.Location) string {
	return loc.String() + ", UTC" + time.Now().In(loc).Format("-07:00")
}
