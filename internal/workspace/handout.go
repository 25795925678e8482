package workspace

import (
	"bytes"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/jung-kurt/gofpdf"

	fonts "github.com/consulta/consulta/web/fonts"
)

// handoutPDF is a printable page for the room: the QR code, the link, the
// code and how to answer, in the session's language.
func (w *Workspace) handoutPDF(c *fiber.Ctx) error {
	g := focusGroup(c)
	l := w.deps.Translator.Localizer(g.Lang)
	t := func(id string, data ...map[string]any) string { return l.T(id, data...) }
	png, err := w.qrPNG(c, g, 600)
	if err != nil {
		return err
	}
	regular, err := fonts.FS.ReadFile(fonts.Regular)
	if err != nil {
		return err
	}
	bold, err := fonts.FS.ReadFile(fonts.Bold)
	if err != nil {
		return err
	}
	formTitle := g.FormID
	if f, ok := w.deps.Forms.Get(g.FormID); ok {
		formTitle = l.T(f.TitleID())
	}
	pdf := gofpdf.New("P", "mm", "Letter", "")
	pdf.SetCreationDate(w.deps.Now())
	pdf.SetTitle(t("handout.title", map[string]any{"Code": g.Code}), true)
	pdf.AddUTF8FontFromBytes("dejavu", "", regular)
	pdf.AddUTF8FontFromBytes("dejavu", "B", bold)
	pdf.SetMargins(20, 20, 20)
	pdf.AddPage()
	pdf.SetFont("dejavu", "B", 22)
	pdf.MultiCell(0, 10, formTitle, "", "C", false)
	pdf.Ln(2)
	pdf.SetFont("dejavu", "", 13)
	when := fmt.Sprintf("%s · %s", placeText(w.deps.Geo, g), g.OpensAt.In(w.deps.Location).Format("2006-01-02 15:04"))
	pdf.MultiCell(0, 7, when, "", "C", false)
	pdf.RegisterImageOptionsReader("qr", gofpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(png))
	pdf.ImageOptions("qr", 58, pdf.GetY()+4, 100, 100, false, gofpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	pdf.SetY(pdf.GetY() + 108)
	pdf.SetFont("dejavu", "", 13)
	pdf.MultiCell(0, 7, t("handout.scan"), "", "C", false)
	pdf.SetFont("dejavu", "", 11)
	link := w.sessionLink(c, g)
	pdf.SetTextColor(0, 0, 160)
	pdf.CellFormat(0, 7, link, "", 1, "C", false, 0, link)
	pdf.SetTextColor(0, 0, 0)
	pdf.Ln(4)
	pdf.SetFont("dejavu", "", 13)
	pdf.MultiCell(0, 7, t("handout.code_label"), "", "C", false)
	pdf.SetFont("dejavu", "B", 34)
	pdf.MultiCell(0, 16, spaced(g.Code), "", "C", false)
	pdf.Ln(4)
	pdf.SetFont("dejavu", "", 12)
	for _, id := range []string{"handout.step1", "handout.step2", "handout.step3"} {
		pdf.MultiCell(0, 6.5, "• "+t(id, map[string]any{"Code": g.Code}), "", "L", false)
	}
	pdf.Ln(2)
	pdf.SetFont("dejavu", "", 10)
	pdf.MultiCell(0, 5.5, t("handout.privacy"), "", "L", false)
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="sesion-`+g.Code+`.pdf"`)
	return c.Send(buf.Bytes())
}

// spaced writes a code with spaces between characters, easier to read aloud.
func spaced(code string) string {
	out := make([]rune, 0, 2*len(code))
	for i, r := range code {
		if i > 0 {
			out = append(out, ' ')
		}
		out = append(out, r)
	}
	return string(out)
}
