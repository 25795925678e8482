package workspace

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/consulta"
)

type auditData struct {
	Entries                 []auditRow
	Actor, Action, From, To string
	Next                    string
	Actions                 []string
}

// The audit actions of a session's paper forms, typed in one by one or
// imported: session summaries read them to say who entered the forms.
const (
	AuditSessionEntry  = "session.entry"
	AuditSessionImport = "session.import"
)

// auditActions are the kinds of entries the workspace writes (the filter's list).
var auditActions = []string{"login.success", "login.failure", "logout", "user.create", "user.update",
	"user.password", "user.password.failure", "user.password.reset", "export", "contact.view", "response.status", "response.action",
	"response.tags", "response.assignee", "response.note", "response.reply", "user.replies", "action.publish",
	"session.create", "session.window", AuditSessionEntry, AuditSessionImport, "session.import.failure", "session.summary",
	"report.generate", "report.download",
	"mail.list.create", "mail.list.update", "mail.list.delete", "mail.retry",
	"webhook.create", "webhook.update", "webhook.enable", "webhook.disable", "webhook.secret", "webhook.delete"}

// auditPage lists the audit log, newest first, with filters and paging.
func (w *Workspace) auditPage(c *fiber.Ctx) error {
	p := w.newPage(c, "admin.audit.title")
	d := auditData{Actor: c.Query("actor"), Action: c.Query("action"), From: c.Query("from"), To: c.Query("to"),
		Actions: auditActions}
	f := consulta.AuditFilter{Actor: d.Actor, Action: d.Action, BeforeID: c.Query("before"), Limit: 100}
	if d.Action == "login.failure" && strings.Contains(d.Actor, "@") {
		// Failed logins keep a keyed hash of the e-mail typed: look that up.
		f.Actor = w.deps.Auth.EmailHash(d.Actor)
	}
	days, err := consulta.ParseDays(d.From, d.To, w.deps.Location)
	if err != nil {
		return err
	}
	f.From, f.To = days.From, days.To
	ctx, cancel := reqCtx(c)
	defer cancel()
	entries, err := w.deps.Store.AuditEntries(ctx, f)
	if err != nil {
		return err
	}
	d.Entries = w.auditRows(p, entries)
	if len(entries) == f.Limit {
		d.Next = entries[len(entries)-1].ID
	}
	return w.render(c, fiber.StatusOK, "audit", p, d)
}
