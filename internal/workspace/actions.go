package workspace

import (
	"html/template"
	"net/url"
	"sort"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/report"
)

// publicActions is how many actions /acciones lists.
const publicActions = 200

// actionRow is one entry of /acciones (and of the preview before
// publishing), ready to show with the "action_entry" template.
type actionRow struct {
	P         *publicPage
	FormTitle template.HTML
	Text      string
	Lang      string
	Date      string
	// What was said: Count responses; the topics chosen (TopicLabel is
	// their question's label) and the pages they were sent from, each with
	// how many said it, most said first.
	Count      int
	TopicLabel template.HTML
	Topics     []saidCount
	Pages      []pageCount
}

// saidCount is one topic and how many chose it.
type saidCount struct {
	Label template.HTML
	N     int
}

// pageCount is one page and how many wrote from it.
type pageCount struct {
	URL string
	N   int
}

// said is what /acciones shows of r beside its action: the first
// single-choice question answered (the topic) and the page.
func (w *Workspace) said(r *consulta.Response) consulta.Said {
	s := consulta.Said{Page: r.Page}
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
	rows := make([]actionRow, len(list))
	for i, a := range list {
		rows[i] = w.actionRow(p, sc, a)
	}
	return w.renderPublic(c, fiber.StatusOK, "acciones", p, struct{ Rows []actionRow }{rows})
}

// actionRow is what /acciones shows of a, in p's language: its text
// scrubbed with sc, and what the responses it answers said, counted.
func (w *Workspace) actionRow(p *publicPage, sc *report.Scrubber, a consulta.Action) actionRow {
	row := actionRow{P: p, FormTitle: template.HTML(template.HTMLEscapeString(a.FormID)), Text: sc.Scrub(a.Text),
		Lang: a.Lang, Date: (&page{Loc: w.deps.Location}).Date(a.Date), Count: a.Responses}
	topics, pages := map[string]int{}, map[string]int{}
	var topicOrder, pageOrder []string
	topicQ := ""
	f, ok := w.deps.Forms.Get(a.FormID)
	if ok {
		row.FormTitle = p.TH(f.TitleID())
	}
	for _, s := range a.Said {
		if u := publicPageURL(s.Page); u != "" {
			if pages[u] == 0 {
				pageOrder = append(pageOrder, u)
			}
			pages[u]++
		}
		if !ok {
			continue
		}
		// The topics of one question: the first one answered.
		if q := f.Question(s.Question); q != nil && f.OptionID(q, s.Value) != "" && (topicQ == "" || topicQ == q.ID) {
			if topicQ == "" {
				topicQ, row.TopicLabel = q.ID, p.TH(f.LabelID(q))
			}
			id := f.OptionID(q, s.Value)
			if topics[id] == 0 {
				topicOrder = append(topicOrder, id)
			}
			topics[id]++
		}
	}
	// Most said first; ties by id, so that the preview (responses in the
	// order ticked) and the published entry (in the order stored) agree.
	byCount := func(order []string, n map[string]int) func(i, j int) bool {
		return func(i, j int) bool {
			if n[order[i]] != n[order[j]] {
				return n[order[i]] > n[order[j]]
			}
			return order[i] < order[j]
		}
	}
	sort.Slice(topicOrder, byCount(topicOrder, topics))
	sort.Slice(pageOrder, byCount(pageOrder, pages))
	for _, id := range topicOrder {
		row.Topics = append(row.Topics, saidCount{Label: p.TH(id), N: topics[id]})
	}
	for _, u := range pageOrder {
		row.Pages = append(row.Pages, pageCount{URL: u, N: pages[u]})
	}
	return row
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
