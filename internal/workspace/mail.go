package workspace

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/mailing"
)

// failuresListed is how many failed and retrying messages the pages show.
const failuresListed = 100

type mailData struct {
	Enabled  bool // an SMTP server is configured
	Lists    []*consulta.MailList
	Forms    []*forms.Form
	Titles   map[string]string // form ID -> title, for the lists table
	Kinds    []string
	Langs    []string
	In       mailing.ListInput
	Editing  string // the id of the list being edited; "" for a new one
	Errors   []string
	Failed   []*consulta.OutboxItem
	Retrying []*consulta.OutboxItem
}

// mailPage lists the distribution lists, the form for a new one, and the
// messages that failed.
func (w *Workspace) mailPage(c *fiber.Ctx) error {
	return w.showMail(c, fiber.StatusOK, "mail", mailing.ListInput{Kind: "biannual", Lang: "es"}, "", nil)
}

func (w *Workspace) showMail(c *fiber.Ctx, status int, tmpl string, in mailing.ListInput, editing string, errs []string) error {
	p := w.newPage(c, "admin.mail.title")
	ctx, cancel := reqCtx(c)
	defer cancel()
	svc := w.deps.Mailing
	d := mailData{Enabled: svc.Enabled(), Forms: w.deps.Forms.All(), Kinds: mailing.Kinds(), Langs: mailing.Langs(),
		In: in, Editing: editing, Errors: errs}
	d.Titles = formTitles(p, d.Forms)
	var err error
	if d.Lists, err = w.deps.Store.MailLists(ctx); err != nil {
		return err
	}
	if d.Failed, d.Retrying, err = svc.Failures(ctx, failuresListed); err != nil {
		return err
	}
	return w.render(c, status, tmpl, p, d)
}

// listInput reads the list form.
func listInput(c *fiber.Ctx) mailing.ListInput {
	return mailing.ListInput{Name: c.FormValue("name"), Kind: c.FormValue("kind"), Form: c.FormValue("form"),
		Lang: c.FormValue("list_lang"), Recipients: c.FormValue("recipients")}
}

// createList adds a distribution list.
func (w *Workspace) createList(c *fiber.Ctx) error {
	in := listInput(c)
	ctx, cancel := reqCtx(c)
	defer cancel()
	l, err := w.deps.Mailing.CreateList(ctx, in, user(c).ID)
	if fields := consulta.FieldErrors(err); len(fields) > 0 {
		return w.showMail(c, fiber.StatusUnprocessableEntity, "mail", in, "", fieldMessages(w.newPage(c, ""), fields))
	}
	if err != nil {
		return err
	}
	_ = w.audit(c, "mail.list.create", l.ID, listDetail(l))
	return redirect(c, "/admin/mail?notice=n_list_created")
}

// listPage is the form of one list.
func (w *Workspace) listPage(c *fiber.Ctx) error {
	ctx, cancel := reqCtx(c)
	defer cancel()
	l, err := w.deps.Store.MailList(ctx, c.Params("list"))
	if err != nil {
		return err
	}
	return w.showMail(c, fiber.StatusOK, "mail_list", mailing.Input(l), l.ID, nil)
}

// updateList replaces a list.
func (w *Workspace) updateList(c *fiber.Ctx) error {
	id, in := c.Params("list"), listInput(c)
	ctx, cancel := reqCtx(c)
	defer cancel()
	l, err := w.deps.Mailing.UpdateList(ctx, id, in, user(c).ID)
	if fields := consulta.FieldErrors(err); len(fields) > 0 {
		return w.showMail(c, fiber.StatusUnprocessableEntity, "mail_list", in, id, fieldMessages(w.newPage(c, ""), fields))
	}
	if err != nil {
		return err
	}
	_ = w.audit(c, "mail.list.update", l.ID, listDetail(l))
	return redirect(c, "/admin/mail?notice=n_saved")
}

// deleteList removes a list.
func (w *Workspace) deleteList(c *fiber.Ctx) error {
	id := c.Params("list")
	ctx, cancel := reqCtx(c)
	defer cancel()
	if err := w.deps.Store.DeleteMailList(ctx, id); err != nil {
		return err
	}
	_ = w.audit(c, "mail.list.delete", id, "")
	return redirect(c, "/admin/mail?notice=n_deleted")
}

// retryMessage makes a failed message due now.
func (w *Workspace) retryMessage(c *fiber.Ctx) error {
	id := c.FormValue("id")
	ctx, cancel := reqCtx(c)
	defer cancel()
	if err := w.deps.Mailing.Retry(ctx, id); err != nil {
		return err
	}
	_ = w.audit(c, "mail.retry", id, "")
	return redirect(c, "/admin/mail?notice=n_retry")
}

// listDetail is what the audit log keeps of a list: its settings and its
// recipients.
func listDetail(l *consulta.MailList) string {
	return fmt.Sprintf("name=%q kind=%s form=%s lang=%s recipients=%s", l.Name, l.Kind, l.FormID, l.Lang,
		strings.Join(l.Recipients, ","))
}
