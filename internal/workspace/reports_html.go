package workspace

import (
	"bytes"
	"fmt"
	"io"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/report"
	"github.com/consulta/consulta/internal/schedule"
)

// reportHTML shows the accessible HTML twin of a stored report, beside its
// PDF (docs/reports.md); every view is audited first, as a download is.
func (w *Workspace) reportHTML(c *fiber.Ctx) error {
	id := c.Query("id")
	if id == "" {
		return consulta.Errorf(consulta.ENOTFOUND, "reports: no id")
	}
	rc, _, err := schedule.NewArchive(w.deps.Store).OpenHTML(c.UserContext(), id)
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := w.audit(c, "report.download", id, "html"); err != nil {
		return err
	}
	body, err := io.ReadAll(rc)
	if err != nil {
		return fmt.Errorf("reports: read html %s: %w", id, err)
	}
	return sendHTML(c, body)
}

// summaryHTML is the session summary as an accessible HTML page: the same
// document as summary.pdf, drawn by the HTML renderer.
func (w *Workspace) summaryHTML(c *fiber.Ctx) error {
	g := focusGroup(c)
	ctx, cancel := reqCtx(c)
	defer cancel()
	var buf bytes.Buffer
	opt := report.TwinOptions{PDFURL: "/admin/sessions/" + g.Code + "/summary.pdf"}
	if _, err := report.GenerateHTML(ctx, w.reportDeps(), report.Params{FormID: g.FormID, Session: g.Code, Lang: w.lang(c)}, &buf, opt); err != nil {
		return err
	}
	_ = w.audit(c, "session.summary", g.Code, "html")
	return sendHTML(c, buf.Bytes())
}

// sendHTML sends a report's page; it is private (sign-in required).
func sendHTML(c *fiber.Ctx, body []byte) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(body)
}

// reportStored tells the webhooks of a report stored on demand
// (report.stored, as for scheduled runs). The report is stored whatever
// happens here: a failure is logged for operators, not shown as the
// generation's.
func (w *Workspace) reportStored(c *fiber.Ctx, id string) {
	if w.deps.Webhooks == nil {
		return
	}
	if err := w.deps.Webhooks.ReportsStored(c.UserContext(), nil, []string{id}); err != nil {
		w.deps.Logger.Error("report.stored not enqueued", "report", id, "err", err)
	}
}
