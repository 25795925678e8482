package workspace

import (
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/auth"
	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/export"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/report"
)

// pageSize is how many responses the browser shows at once.
const pageSize = 25

// filterForm is the responses browser's filter, as in the query string.
type filterForm struct {
	Form, From, To, Lang, Department, Channel, Session, Status, Text, After string
	// Tag and Assignee select by the triage; Order is orderOldest or ""
	// (newest first).
	Tag, Assignee, Order string
	// Reply selects by the reply state (consulta.ReplyRequested...).
	Reply string
}

// orderOldest is the Order value that lists the oldest responses first.
const orderOldest = "oldest"

func readFilter(c *fiber.Ctx) filterForm {
	return filterForm{Form: c.Query("form"), From: c.Query("from"), To: c.Query("to"),
		Lang: c.Query("lang_filter"), Department: c.Query("department"), Channel: c.Query("channel"),
		Session: strings.ToUpper(c.Query("session")), Status: c.Query("status"),
		Text: c.Query("q"), After: c.Query("after"),
		// Tags are stored lower-case (splitTags).
		Tag: strings.ToLower(strings.TrimSpace(c.Query("tag"))), Assignee: c.Query("assignee"),
		Order: c.Query("order"), Reply: c.Query("reply")}
}

// store turns the filter into the store's; dates are whole days in loc.
func (f filterForm) store(loc *time.Location) (consulta.ResponseFilter, error) {
	sf := consulta.ResponseFilter{FormID: f.Form, Lang: f.Lang, Department: f.Department,
		Channel: consulta.Channel(f.Channel), Session: f.Session, Status: f.Status, Text: f.Text,
		Tag: f.Tag, Assignee: f.Assignee, OldestFirst: f.Order == orderOldest, Reply: f.Reply}
	days, err := consulta.ParseDays(f.From, f.To, loc)
	sf.From, sf.To = days.From, days.To
	return sf, err
}

// query is the filter as a query string, with after replaced.
func (f filterForm) query(after string) string {
	v := url.Values{}
	for k, s := range map[string]string{"form": f.Form, "from": f.From, "to": f.To, "lang_filter": f.Lang,
		"department": f.Department, "channel": f.Channel, "session": f.Session, "status": f.Status,
		"q": f.Text, "tag": f.Tag, "assignee": f.Assignee, "order": f.Order, "reply": f.Reply, "after": after} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v.Encode()
}

// ResponseURL is the page of response id, carrying the filter and the
// position in the list, so that its «Volver» returns to the same page.
func (f filterForm) ResponseURL(id string) string {
	return "/admin/responses/" + url.PathEscape(id) + "?" + f.query(f.After)
}

// TriageURL is where the triage form of response id posts, carrying the
// filter like ResponseURL.
func (f filterForm) TriageURL(id string) string {
	return "/admin/responses/" + url.PathEscape(id) + "/triage?" + f.query(f.After)
}

// ListURL is the list page this filter and position show.
func (f filterForm) ListURL() string { return "/admin/responses?" + f.query(f.After) }

// row is one line of the browser.
type responseRow struct {
	*consulta.Response
	FormTitle, Excerpt, Department string
}

type responsesData struct {
	Filter filterForm
	Rows   []responseRow
	// Total counts the matching responses; when not Exact, it is a lower bound
	// (store.EstimateResponses stops counting to answer quickly).
	Total       consulta.Estimate
	Next, First string
	// Partial: the page stopped looking at store.PageScanBudget responses
	// before it was full; ScannedTo is how far back it looked.
	Partial     bool
	ScannedTo   time.Time
	Forms       []*forms.Form
	Departments []option
	Channels    []option
	Statuses    []option
	Languages   []option
	Assignees   []option
	Orders      []option
	Replies     []option
	// CanTriage: the rows can be chosen and answered with one action,
	// new or one of Actions (published ones).
	CanTriage    bool
	Actions      []option
	IsFirstPage  bool
	ExportQuery  string
	CanExport    bool
	CanContacts  bool
	SelectedForm string
}

// option is a value and its label for a select.
type option struct{ Value, Label string }

func (w *Workspace) responsesPage(c *fiber.Ctx) error {
	p := w.newPage(c, "admin.responses.title")
	f := readFilter(c)
	rows, page, total, err := w.findResponses(c, p, f)
	if err != nil {
		return err
	}
	assignees, err := w.assignees(c)
	if err != nil {
		return err
	}
	d := responsesData{Filter: f, Rows: rows, Total: total, Partial: page.Partial, ScannedTo: page.ScannedTo,
		Forms:       w.deps.Forms.All(),
		Departments: w.departments(), Channels: channels(p), Statuses: statuses(p),
		Languages: w.languages(), Assignees: assignees, Orders: orders(p), Replies: replyStates(p),
		IsFirstPage: f.After == "", First: "?" + f.query(""),
		CanExport: auth.Can(p.User, auth.Export), CanContacts: auth.Can(p.User, auth.ViewContacts)}
	if !page.Next.IsZero() {
		d.Next = "?" + f.query(page.Next.String())
	}
	if d.CanTriage = auth.Can(p.User, auth.Triage); d.CanTriage {
		if d.Actions, err = w.recentActions(c, p); err != nil {
			return err
		}
	}
	return w.render(c, fiber.StatusOK, "responses", p, d)
}

// findResponses reads one page of responses, newest first, and their total.
func (w *Workspace) findResponses(c *fiber.Ctx, p *page, f filterForm) ([]responseRow, *consulta.ResponsePage, consulta.Estimate, error) {
	var total consulta.Estimate
	sf, err := f.store(w.deps.Location)
	if err != nil {
		return nil, nil, total, err
	}
	after, err := consulta.ParsePageKey(f.After)
	if err != nil {
		return nil, nil, total, err
	}
	ctx, cancel := reqCtx(c)
	defer cancel()
	page, total, err := w.deps.Store.Browse(ctx, sf, after, pageSize)
	if err != nil {
		return nil, nil, total, err
	}
	rows := make([]responseRow, len(page.Responses))
	for i, r := range page.Responses {
		rows[i] = w.row(p, r)
	}
	return rows, page, total, nil
}

func (w *Workspace) row(p *page, r *consulta.Response) responseRow {
	row := responseRow{Response: r, FormTitle: r.FormID}
	if f, ok := w.deps.Forms.Get(r.FormID); ok {
		row.FormTitle = p.L.T(f.TitleID())
		for _, q := range f.Questions {
			if s, ok := r.Answers[q.ID].(string); ok && (q.Type == forms.TypeTextarea || q.Type == forms.TypeText) && s != "" {
				// Scrubbed before it is cut, so that no half address shows.
				row.Excerpt = excerpt(freeText(p, s), 120)
				break
			}
		}
	}
	if d, ok := w.deps.Geo.Department(r.Department); ok {
		row.Department = d.Name
	}
	return row
}

// freeText is a citizen's free text as p's user may read it: with e-mail
// addresses, phone and DPI numbers and home addresses replaced by
// placeholders unless the user may see contact data (docs/workspace.md,
// "Who sees what").
func freeText(p *page, s string) string {
	if auth.Can(p.User, auth.ViewContacts) {
		return s
	}
	return report.Scrub(s)
}

// assignees are the accounts a response may be assigned to (every role
// but facilitators), for the browser's filter.
func (w *Workspace) assignees(c *fiber.Ctx) ([]option, error) {
	ctx, cancel := reqCtx(c)
	defer cancel()
	users, err := w.deps.Store.Users(ctx)
	if err != nil {
		return nil, err
	}
	var out []option
	for _, u := range users {
		if u.Role != auth.RoleFacilitator {
			out = append(out, option{u.ID, u.ID})
		}
	}
	return out, nil
}

// orders are the browser's two orders, newest first being the default.
func orders(p *page) []option {
	return []option{{"", p.T("admin.responses.newest_first")}, {orderOldest, p.T("admin.responses.oldest_first")}}
}

func excerpt(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func (w *Workspace) departments() []option {
	var out []option
	for _, d := range w.deps.Geo.Departments() {
		out = append(out, option{d.Code, d.Name})
	}
	return out
}

func (w *Workspace) languages() []option {
	var out []option
	for _, l := range w.deps.Translator.Languages() {
		out = append(out, option{l.Tag, l.Name})
	}
	return out
}

func channels(p *page) []option {
	var out []option
	for _, ch := range consulta.Channels {
		out = append(out, option{string(ch), p.T("report.channel." + string(ch))})
	}
	return out
}

// statusList is the triage statuses in workflow order.
var statusList = []string{consulta.StatusNew, consulta.StatusInReview, consulta.StatusAnswered,
	consulta.StatusActioned, consulta.StatusDismissed}

func statuses(p *page) []option {
	out := make([]option, len(statusList))
	for i, s := range statusList {
		out[i] = option{s, p.T("report.status." + s)}
	}
	return out
}

// answerLine is one answered question of a response, ready to show.
type answerLine struct{ Label, Value string }

type responseData struct {
	R responseRow
	// Filter is the list's filter and position the page was opened from:
	// «Volver» and the triage form carry it.
	Filter      filterForm
	Answers     []answerLine
	Triage      *consulta.Triage
	Statuses    []option
	Users       []*consulta.User
	CanTriage   bool
	CanContacts bool
	// CanReply: the user may mark the requested reply answered.
	CanReply bool
	Errors   []string
	Tags     string
}

func (w *Workspace) responsePage(c *fiber.Ctx) error {
	return w.showResponse(c, fiber.StatusOK, nil)
}

func (w *Workspace) showResponse(c *fiber.Ctx, status int, errs []string) error {
	p := w.newPage(c, "admin.response.title")
	ctx, cancel := reqCtx(c)
	defer cancel()
	r, err := w.deps.Store.Response(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	t, err := w.deps.Store.Triage(ctx, r.ID)
	if err != nil {
		return err
	}
	d := responseData{R: w.row(p, r), Filter: readFilter(c), Triage: t, Statuses: statuses(p), Errors: errs,
		CanTriage: auth.Can(p.User, auth.Triage), CanContacts: canReveal(p.User, r),
		CanReply: auth.Can(p.User, auth.Triage) && r.Reply == consulta.ReplyRequested,
		Tags:     strings.Join(t.Tags, ", ")}
	if f, ok := w.deps.Forms.Get(r.FormID); ok {
		d.Answers = w.answerLines(p, f, r.Answers)
	}
	if d.CanTriage {
		if d.Users, err = w.deps.Store.Users(ctx); err != nil {
			return err
		}
	}
	return w.render(c, status, "response", p, d)
}

// answerLines renders answers with the form's labels; answers to questions a
// newer form version dropped are shown under their ID.
func (w *Workspace) answerLines(p *page, f *forms.Form, answers map[string]any) []answerLine {
	var out []answerLine
	seen := map[string]bool{}
	for _, q := range f.Questions {
		v, ok := answers[q.ID]
		seen[q.ID] = true
		if q.Type == forms.TypeMultiple && q.Other {
			seen[q.OtherID()] = true
		}
		if !ok {
			continue
		}
		out = append(out, answerLine{Label: p.L.T(f.LabelID(q)), Value: w.answerText(p, f, q, v, answers)})
	}
	for k, v := range answers {
		if !seen[k] {
			out = append(out, answerLine{Label: k, Value: export.Format(v)})
		}
	}
	return out
}

func (w *Workspace) answerText(p *page, f *forms.Form, q *forms.Question, v any, answers map[string]any) string {
	label := func(value string) string {
		if id := f.OptionID(q, value); id != "" {
			if t := p.L.T(id); t != id {
				return t
			}
		}
		return value
	}
	switch x := v.(type) {
	case string:
		if q.Type == forms.TypeSingle {
			return label(x)
		}
		return freeText(p, x)
	case []string:
		parts := make([]string, 0, len(x))
		for _, s := range x {
			if s == "other" {
				if o, ok := answers[q.OtherID()].(string); ok {
					parts = append(parts, p.T("form.other")+": "+freeText(p, o))
					continue
				}
			}
			parts = append(parts, label(s))
		}
		return strings.Join(parts, "; ")
	case bool:
		if x {
			return p.T("form.yes")
		}
		return p.T("form.no")
	case consulta.Geo:
		dep, mun := x.Department, x.Municipality
		if d, ok := w.deps.Geo.Department(x.Department); ok {
			dep = d.Name
		}
		if m, ok := w.deps.Geo.Municipality(x.Municipality); ok {
			mun = m.Name
		}
		return mun + ", " + dep
	}
	return export.Format(v)
}

// triagePost saves status, tags, assignee, a note and the public action.
func (w *Workspace) triagePost(c *fiber.Ctx) error {
	ctx, cancel := reqCtx(c)
	defer cancel()
	r, err := w.deps.Store.Response(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	status := c.FormValue("status")
	if !validStatus(status) {
		return w.showResponse(c, fiber.StatusUnprocessableEntity, []string{w.newPage(c, "").T("admin.field.invalid_status")})
	}
	// Cleaned like citizens' answers: the action is published on /acciones,
	// and both are shown to every analyst.
	action := forms.CleanText(c.FormValue("action"), true)
	note := forms.CleanText(c.FormValue("note"), true)
	if len([]rune(action)) > 2000 || len([]rune(note)) > 5000 {
		return w.showResponse(c, fiber.StatusUnprocessableEntity, []string{w.newPage(c, "").T("admin.field.too_long")})
	}
	prev, err := w.deps.Store.Triage(ctx, r.ID)
	if err != nil {
		return err
	}
	u := consulta.TriageUpdate{Status: status, Tags: splitTags(c.FormValue("tags")),
		Assignee: strings.TrimSpace(c.FormValue("assignee")), Action: action,
		ActionLang: w.lang(c), Note: note, By: user(c).ID, At: w.deps.Now(), Said: w.said(r)}
	if _, err := w.deps.Store.SaveTriage(ctx, r, u); err != nil {
		return err
	}
	if r.Status != status {
		_ = w.audit(c, "response.status", r.ID, r.Status+" → "+status)
	}
	if prev.Action != action {
		// The audit log is read by every admin for years: no contact data in it.
		_ = w.audit(c, "response.action", r.ID, excerpt(report.Scrub(action), 200))
	}
	if before, after := strings.Join(prev.Tags, ", "), strings.Join(u.Tags, ", "); before != after {
		_ = w.audit(c, "response.tags", r.ID, before+" → "+after)
	}
	if prev.Assignee != u.Assignee {
		_ = w.audit(c, "response.assignee", r.ID, prev.Assignee+" → "+u.Assignee)
	}
	if note != "" {
		_ = w.audit(c, "response.note", r.ID, excerpt(report.Scrub(note), 200))
	}
	return redirect(c, readFilter(c).ResponseURL(r.ID)+"&notice=n_saved")
}

func validStatus(s string) bool {
	for _, v := range statusList {
		if v == s {
			return true
		}
	}
	return false
}

// splitTags reads "a, b; c" as tags, lower-cased, without repeats.
func splitTags(s string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
		t = strings.ToLower(strings.TrimSpace(t))
		if t != "" && !seen[t] && len(out) < 20 {
			seen[t] = true
			out = append(out, excerpt(t, 40))
		}
	}
	return out
}

// apiResponses is the browser as JSON: {"responses": [...], "next": "<after>"}.
func (w *Workspace) apiResponses(c *fiber.Ctx) error {
	p := w.newPage(c, "")
	f := readFilter(c)
	rows, page, total, err := w.findResponses(c, p, f)
	if err != nil {
		return err
	}
	list := make([]*consulta.Response, len(rows))
	for i, r := range rows {
		list[i] = w.apiResponse(p, r.Response)
	}
	return c.JSON(fiber.Map{"responses": list, "total": total, "next": page.Next.String()})
}
