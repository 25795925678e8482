package workspace

import (
	"html/template"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/report"
	"github.com/consulta/consulta/internal/store"
)

// publicActions is how many actions /acciones lists.
const publicActions = 200

type actionRow struct {
	FormTitle template.HTML
	Text      string
	Lang      string
	Date      string
	// What was said: the topic chosen (its question's label and the
	// option's) and the page it was sent from, when the action kept them.
	Topic, TopicLabel template.HTML
	Page              string
}

// said is what /acciones shows of r beside its action: the first
// single-choice question answered (the topic) and the page.
func (w *Workspace) said(r *consulta.Response) store.Said {
	s := store.Said{Page: r.Page}
	f, ok := w.deps.Forms.Get(r.FormID)
	if !ok {
		return s
	}
	for _, q := range f.Questions {
		if v, ok := r.Answers[q.ID].(string); ok && v != "" && q.Type == forms.TypeSingle && !q.Personal {
			s.Question, s.Value = q.ID, v
			break
		}
	}
	return s
}

// actionsPage is the public "you said, we did" log, in the portal's chrome
// and the citizen's language: what people said (topic and page) and what
// the ministry did. The texts are written by the ministry for the public;
// they are scrubbed of personal data all the same, with the page language's
// placeholders, in case a quotation carried some.
func (w *Workspace) actionsPage(c *fiber.Ctx) error {
	p := w.newPublicPage(c, "actions.title")
	ctx, cancel := reqCtx(c)
	defer cancel()
	list, err := w.deps.Store.RecentActions(ctx, publicActions)
	if err != nil {
		return err
	}
	sc := report.NewScrubber(report.NewLabels(w.deps.Translator, p.Lang, w.deps.Location).Placeholders())
	loc := &page{Loc: w.deps.Location}
	rows := make([]actionRow, len(list))
	for i, a := range list {
		rows[i] = actionRow{FormTitle: template.HTML(template.HTMLEscapeString(a.FormID)), Text: sc.Scrub(a.Text),
			Lang: a.Lang, Date: loc.Date(a.Date), Page: publicPageURL(a.Said.Page)}
		f, ok := w.deps.Forms.Get(a.FormID)
		if !ok {
			continue
		}
		rows[i].FormTitle = p.TH(f.TitleID())
		if q := f.Question(a.Said.Question); q != nil {
			rows[i].TopicLabel, rows[i].Topic = p.TH(f.LabelID(q)), p.TH(f.OptionID(q, a.Said.Value))
		}
	}
	return w.renderPublic(c, fiber.StatusOK, "acciones", p, struct{ Rows []actionRow }{rows})
}

// publicPageURL keeps a page address fit to show and link: http(s) only,
// without its query or fragment (which may carry someone's data).
func publicPageURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return u.String()
}
