package workspace

import (
	"fmt"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/auth"
	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/export"
	"github.com/consulta/consulta/internal/forms"
)

// Replies to citizens (docs/workspace.md, "Replies"): a response that asked
// for a reply shows so, and whether a contact was left, to everyone who
// reads responses; its contact itself is shown only on an explicit POST by
// someone holding auth.RevealContact, after the audit log recorded it.

// canReveal reports whether u may reveal r's contact: admins any response's;
// analysts allowed to reply only the contact of a citizen who asked for a
// reply (the consent covers replying, nothing else).
func canReveal(u *consulta.User, r *consulta.Response) bool {
	if !r.HasContact || !auth.Can(u, auth.RevealContact) {
		return false
	}
	return u.Role == auth.RoleAdmin || r.Reply != ""
}

// replyStates are the reply filter's options.
func replyStates(p *page) []option {
	return []option{{consulta.ReplyRequested, p.T("admin.reply.requested")},
		{consulta.ReplyAnswered, p.T("admin.reply.answered")}}
}

type contactData struct {
	R      responseRow
	Fields []answerLine
	Filter filterForm
}

// revealContact shows one response's contact. It is a POST (no link, no
// prefetch, no history entry to reopen it), written to the audit log (who,
// when, which response) before anything is shown; without the permission
// it is refused before the response is read.
func (w *Workspace) revealContact(c *fiber.Ctx) error {
	p := w.newPage(c, "admin.contact.title")
	ctx, cancel := reqCtx(c)
	defer cancel()
	r, err := w.deps.Store.Response(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	if !canReveal(p.User, r) {
		return consulta.Errorf(consulta.EFORBIDDEN, "reveal contact of %s", r.ID)
	}
	ct, err := w.deps.Store.Contact(ctx, r.ID)
	if err != nil {
		return err
	}
	if err := w.audit(c, "contact.view", r.ID, r.FormID); err != nil {
		return err
	}
	d := contactData{R: w.row(p, r), Filter: readFilter(c)}
	if f, ok := w.deps.Forms.Get(r.FormID); ok {
		d.Fields = w.contactLines(p, f, ct.Fields)
	}
	return w.render(c, fiber.StatusOK, "contact", p, d)
}

// contactLines are a contact's fields with the form's labels, unscrubbed:
// the reader is here to reply.
func (w *Workspace) contactLines(p *page, f *forms.Form, fields map[string]any) []answerLine {
	var out []answerLine
	for _, q := range f.Questions {
		v, ok := fields[q.ID]
		if !ok {
			continue
		}
		value := export.Format(v)
		if _, isText := v.(string); !isText {
			value = w.answerText(p, f, q, v, fields)
		}
		out = append(out, answerLine{Label: p.L.T(f.LabelID(q)), Value: value})
	}
	return out
}

// replyPost marks a response's requested reply as answered (audited). A
// response still new or in review moves to the status "answered" with it.
func (w *Workspace) replyPost(c *fiber.Ctx) error {
	ctx, cancel := reqCtx(c)
	defer cancel()
	r, err := w.deps.Store.Response(ctx, c.Params("id"))
	if err != nil {
		return err
	}
	if r.Reply == "" {
		return w.showResponse(c, fiber.StatusUnprocessableEntity, []string{w.newPage(c, "").T("admin.reply.not_asked")})
	}
	if r.Reply != consulta.ReplyAnswered {
		if err := w.deps.Store.SetReply(ctx, r.ID, consulta.ReplyAnswered); err != nil {
			return err
		}
		_ = w.audit(c, "response.reply", r.ID, "")
	}
	if r.Status == consulta.StatusNew || r.Status == consulta.StatusInReview {
		if err := w.setStatus(c, r, consulta.StatusAnswered); err != nil {
			return err
		}
	}
	return redirect(c, readFilter(c).ResponseURL(r.ID)+"&notice=n_saved")
}

// setStatus changes r's triage status alone, keeping the rest of its
// triage, and audits the change.
func (w *Workspace) setStatus(c *fiber.Ctx, r *consulta.Response, status string) error {
	ctx, cancel := reqCtx(c)
	defer cancel()
	t, err := w.deps.Store.Triage(ctx, r.ID)
	if err != nil {
		return err
	}
	u := consulta.TriageUpdate{Status: status, Tags: t.Tags, Assignee: t.Assignee, Action: t.Action,
		ActionLang: t.ActionLang, Said: t.Said, By: user(c).ID, At: w.deps.Now()}
	if _, err := w.deps.Store.SaveTriage(ctx, r, u); err != nil {
		return err
	}
	return w.audit(c, "response.status", r.ID, r.Status+" → "+status)
}

// setReplies records whether account id may reveal contacts to reply; only
// analysts hold it (admins always may, facilitators never).
func (w *Workspace) setReplies(c *fiber.Ctx, prev *consulta.User, role string, replies bool) error {
	replies = replies && role == auth.RoleAnalyst
	if prev.Replies == replies {
		return nil
	}
	ctx, cancel := reqCtx(c)
	defer cancel()
	if err := w.deps.Store.SetUserReplies(ctx, prev.ID, replies, w.deps.Now()); err != nil {
		return err
	}
	return w.audit(c, "user.replies", prev.ID, fmt.Sprintf("%t→%t", prev.Replies, replies))
}

// PostURL is where a form about response id posts (what: "reply",
// "contact"), carrying the filter like ResponseURL so that «Volver» after
// it returns to the same list.
func (f filterForm) PostURL(id, what string) string {
	return "/admin/responses/" + url.PathEscape(id) + "/" + what + "?" + f.query(f.After)
}
