package workspace

import (
	"maps"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
)

// apiResponse is r as the JSON browser gives it to p's user: its free text
// (text and long-text answers, an "other" choice's words, answers to
// questions the form no longer has) scrubbed like the HTML list's, unless the
// user may see contact data. The stored response is left untouched.
func (w *Workspace) apiResponse(p *page, r *consulta.Response) *consulta.Response {
	out := *r
	out.Answers = maps.Clone(r.Answers)
	f, _ := w.deps.Forms.Get(r.FormID)
	for k, v := range out.Answers {
		s, ok := v.(string)
		if !ok || isChoice(f, k) {
			continue
		}
		out.Answers[k] = freeText(p, s)
	}
	return &out
}

// isChoice reports whether answer k of form f is a single choice's code,
// which is no one's words and stays as it is.
func isChoice(f *forms.Form, k string) bool {
	if f == nil {
		return false
	}
	q := f.Question(k)
	return q != nil && q.Type == forms.TypeSingle
}
