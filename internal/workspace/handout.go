package workspace

import (
	"bytes"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/pdf"
)

// handoutPDF is a printable page for the room: the QR code, the link, the
// code and how to answer, in the session's language, drawn by internal/pdf.
func (w *Workspace) handoutPDF(c *fiber.Ctx) error {
	g := focusGroup(c)
	l := w.deps.Translator.Localizer(g.Lang)
	png, err := w.qrPNG(c, g, 600)
	if err != nil {
		return err
	}
	formTitle := g.FormID
	if f, ok := w.deps.Forms.Get(g.FormID); ok {
		formTitle = l.T(f.TitleID())
	}
	code := map[string]any{"Code": g.Code}
	h := &pdf.Handout{Lang: g.Lang, Title: l.T("handout.title", code), Created: w.deps.Now(), Heading: formTitle,
		When: PlaceText(w.deps.Geo, g) + " · " + g.OpensAt.In(w.deps.Location).Format("2006-01-02 15:04"),
		QR:   png, Scan: l.T("handout.scan"), Link: w.sessionLink(c, g), CodeLabel: l.T("handout.code_label"),
		Code: g.Code, Privacy: l.T("handout.privacy")}
	for _, id := range []string{"handout.step1", "handout.step2", "handout.step3"} {
		h.Steps = append(h.Steps, l.T(id, code))
	}
	var buf bytes.Buffer
	if err := pdf.WriteHandout(&buf, h); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="sesion-`+g.Code+`.pdf"`)
	return c.Send(buf.Bytes())
}
