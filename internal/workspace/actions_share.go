package workspace

import (
	"fmt"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/intake"
	"github.com/consulta/consulta/internal/report"
)

// One public action answering many responses (docs/workspace.md, "Shared
// actions"): the responses list's form posts the responses chosen and either
// a new text or a published action to attach them to; a preview shows the
// entry exactly as /acciones will, and publishing links the responses to it
// and sets their status to actioned.

// maxShared is how many responses one publication may answer at once.
const maxShared = 100

// shareForm is what the list's "answer with an action" form posts.
type shareForm struct {
	IDs []string
	// Text is a new action's text; Existing the ID of a published action
	// (consulta.Action.ID) to attach the responses to. One of the two.
	Text, Existing string
}

func readShare(c *fiber.Ctx) shareForm {
	f := shareForm{Text: forms.CleanText(c.FormValue("action"), true), Existing: c.FormValue("existing")}
	for _, v := range c.Request().PostArgs().PeekMulti("id") {
		if id := string(v); id != "" && !slices.Contains(f.IDs, id) {
			f.IDs = append(f.IDs, id)
		}
	}
	return f
}

// share is a checked publication: the action as it will read and the
// responses it adds.
type share struct {
	Action consulta.Action
	New    []*consulta.Response
	// Legacy: the action attached to is one response's own, which gets
	// the shared action's ID as the others do.
	Legacy bool
}

// shareData is the preview page.
type shareData struct {
	Form   shareForm
	Entry  actionRow
	Rows   []responseRow
	Errors []string
	Filter filterForm
}

// checkShare reads and checks f; a problem the user can fix comes back as
// a message ID, with a nil share.
func (w *Workspace) checkShare(c *fiber.Ctx, f shareForm) (*share, string, error) {
	switch {
	case len(f.IDs) == 0:
		return nil, "admin.actions.none_selected", nil
	case len(f.IDs) > maxShared:
		return nil, "admin.actions.too_many", nil
	case f.Text == "" && f.Existing == "":
		return nil, "admin.actions.no_text", nil
	case f.Text != "" && f.Existing != "":
		return nil, "admin.actions.both", nil
	case len([]rune(f.Text)) > 2000:
		return nil, "admin.field.too_long", nil
	}
	ctx, cancel := reqCtx(c)
	defer cancel()
	s := &share{Action: consulta.Action{Text: f.Text, Lang: w.lang(c), Date: w.deps.Now()}}
	if f.Existing != "" {
		a, err := w.deps.Store.SharedAction(ctx, f.Existing)
		if consulta.ErrorCode(err) == consulta.ENOTFOUND {
			return nil, "admin.actions.unknown", nil
		}
		if err != nil {
			return nil, "", err
		}
		s.Action, s.Legacy = *a, a.ID == a.ResponseID
	}
	for _, id := range f.IDs {
		r, err := w.deps.Store.Response(ctx, id)
		if err != nil {
			return nil, "", err
		}
		if s.Action.FormID == "" {
			s.Action.FormID = r.FormID
		}
		if r.FormID != s.Action.FormID {
			return nil, "admin.actions.one_form", nil
		}
		if slices.Contains(s.Action.ResponseIDs, r.ID) {
			continue
		}
		s.New = append(s.New, r)
		s.Action.Responses++
		s.Action.ResponseIDs = append(s.Action.ResponseIDs, r.ID)
		s.Action.Said = append(s.Action.Said, w.said(r))
	}
	return s, "", nil
}

// actionPreview shows the entry the publication will make, as /acciones
// will show it (in the portal's default language), before anything is saved.
func (w *Workspace) actionPreview(c *fiber.Ctx) error {
	p := w.newPage(c, "admin.actions.preview_title")
	f := readShare(c)
	d := shareData{Form: f, Filter: readFilter(c)}
	s, msg, err := w.checkShare(c, f)
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	if msg != "" {
		status, d.Errors = fiber.StatusUnprocessableEntity, []string{p.T(msg)}
	} else {
		d.Entry = w.previewEntry(c, s.Action)
		for _, r := range s.New {
			d.Rows = append(d.Rows, w.row(p, r))
		}
	}
	return w.render(c, status, "action_preview", p, d)
}

// previewEntry is a's /acciones entry in the portal's default language.
func (w *Workspace) previewEntry(c *fiber.Ctx, a consulta.Action) actionRow {
	pp := w.newPublicPage(c, "actions.title")
	pp.Lang, pp.L = "es", w.deps.Translator.Localizer("es")
	sc := report.NewScrubber(report.NewLabels(w.deps.Translator, pp.Lang, w.deps.Location).Placeholders())
	return w.actionRow(pp, sc, a)
}

// actionPublish saves the publication the preview showed: every response
// chosen gets the action's text and ID and the status actioned (each
// status change audited), and one entry records the publication.
func (w *Workspace) actionPublish(c *fiber.Ctx) error {
	f := readShare(c)
	s, msg, err := w.checkShare(c, f)
	if err != nil {
		return err
	}
	if msg != "" {
		p := w.newPage(c, "admin.actions.preview_title")
		return w.render(c, fiber.StatusUnprocessableEntity, "action_preview", p,
			shareData{Form: f, Filter: readFilter(c), Errors: []string{p.T(msg)}})
	}
	id := f.Existing
	if id == "" {
		id = "a" + intake.NewKey()
		s.Action.Date = w.deps.Now()
	}
	if s.Legacy {
		// The response whose own action this was joins the shared one.
		if err := w.linkAction(c, s.Action.ResponseID, s.Action, id, ""); err != nil {
			return err
		}
	}
	for _, r := range s.New {
		if err := w.linkAction(c, r.ID, s.Action, id, consulta.StatusActioned); err != nil {
			return err
		}
	}
	_ = w.audit(c, "action.publish", id, fmt.Sprintf("responses=%d %s", len(s.New), excerpt(report.Scrub(s.Action.Text), 200)))
	return redirect(c, readFilter(c).ListURL()+"&notice=n_action_published")
}

// linkAction gives response id the action a (ID actionID), keeping its
// tags, assignee and notes; status, when not empty, becomes its status.
func (w *Workspace) linkAction(c *fiber.Ctx, id string, a consulta.Action, actionID, status string) error {
	ctx, cancel := reqCtx(c)
	defer cancel()
	r, err := w.deps.Store.Response(ctx, id)
	if err != nil {
		return err
	}
	t, err := w.deps.Store.Triage(ctx, id)
	if err != nil {
		return err
	}
	said := t.Said
	if said == (consulta.Said{}) {
		said = w.said(r)
	}
	if status == "" {
		status = r.Status
	}
	u := consulta.TriageUpdate{Status: status, Tags: t.Tags, Assignee: t.Assignee, Action: a.Text, ActionLang: a.Lang,
		Said: said, ActionID: actionID, ActionAt: a.Date, By: user(c).ID, At: w.deps.Now()}
	if _, err := w.deps.Store.SaveTriage(ctx, r, u); err != nil {
		return err
	}
	if r.Status != status {
		_ = w.audit(c, "response.status", r.ID, r.Status+" → "+status)
	}
	return nil
}

// recentActions are the published actions a selection may be attached to,
// for the list's form: the newest first, each named by its date and text.
func (w *Workspace) recentActions(c *fiber.Ctx, p *page) ([]option, error) {
	ctx, cancel := reqCtx(c)
	defer cancel()
	list, err := w.deps.Store.RecentActions(ctx, 50)
	if err != nil {
		return nil, err
	}
	out := make([]option, len(list))
	for i, a := range list {
		out[i] = option{a.ID, p.Date(a.Date) + " · " + excerpt(a.Text, 60)}
	}
	return out, nil
}

// SharePreviewURL and SharePublishURL are where the list's action form and
// the preview's post, carrying the filter (whole URLs: a query string
// written after a literal "?" would be escaped into one parameter).
func (f filterForm) SharePreviewURL() string { return "/admin/actions/preview?" + f.query(f.After) }

// SharePublishURL: see SharePreviewURL.
func (f filterForm) SharePublishURL() string { return "/admin/actions?" + f.query(f.After) }
