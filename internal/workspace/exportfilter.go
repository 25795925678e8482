package workspace

import (
	"net/url"
	"sort"
)

// ExportURL is the export page for the responses the filter selects: the
// whole URL, so that the template writes it as one (a query string alone,
// written after a literal "?", would be escaped into one parameter).
func (f filterForm) ExportURL() string { return "/admin/export?" + f.query("") }

// carried is the filter as name/value pairs, every one but the form, for
// the export page's hidden fields: whatever query writes is carried, so a
// filter added to the browser reaches the download without touching the page.
func (f filterForm) carried() []param {
	v, _ := url.ParseQuery(f.query(""))
	var out []param
	for k := range v {
		if k != "form" {
			out = append(out, param{k, v.Get(k)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// param is one parameter of a query string.
type param struct{ Name, Value string }

// describe is the filter for people: each criterion's name and its value as
// the responses page shows it (names for codes), the form left out.
func (w *Workspace) describe(p *page, f filterForm) []answerLine {
	var out []answerLine
	add := func(label, value string) {
		if value != "" {
			out = append(out, answerLine{Label: p.T(label), Value: value})
		}
	}
	add("admin.field.from", f.From)
	add("admin.field.to", f.To)
	add("admin.field.lang", labelOf(w.languages(), f.Lang))
	add("form.department", labelOf(w.departments(), f.Department))
	add("admin.field.channel", labelOf(channels(p), f.Channel))
	add("admin.field.session", f.Session)
	add("admin.field.status", labelOf(statuses(p), f.Status))
	add("admin.field.text", f.Text)
	add("admin.triage.tag", f.Tag)
	add("admin.triage.assignee", f.Assignee)
	add("admin.reply.filter", labelOf(replyStates(p), f.Reply))
	return out
}

// labelOf is the label of value among opts, or value itself when unknown.
func labelOf(opts []option, value string) string {
	for _, o := range opts {
		if o.Value == value {
			return o.Label
		}
	}
	return value
}
