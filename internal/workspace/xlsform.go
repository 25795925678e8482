package workspace

import (
	"bytes"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/xlsform"
)

// xlsxType is the media type of an XLSX file.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// xlsformDownload sends a form as an XLSForm, in every language it is
// translated into, for offline collection with ODK Collect or KoboCollect
// (docs/integrations.md). Kobo's CSV export of what was collected imports
// back on a session's import page or with consulta import.
func (w *Workspace) xlsformDownload(c *fiber.Ctx) error {
	f, ok := w.deps.Forms.Get(c.Params("form"))
	if !ok {
		return consulta.Errorf(consulta.ENOTFOUND, "form %s", c.Params("form"))
	}
	var buf bytes.Buffer
	if err := xlsform.Export(&buf, f, w.xlsformOptions()); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, xlsxType)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s-v%d.xlsx"`, f.ID, f.Version))
	return c.Send(buf.Bytes())
}

// xlsformOptions gives the export the languages, their current
// translations and the catalog of departments.
func (w *Workspace) xlsformOptions() xlsform.ExportOptions {
	tr := w.deps.Translator
	opt := xlsform.ExportOptions{Geo: w.deps.Geo, Text: func(lang, id string) (string, bool) {
		text, got := tr.Localizer(lang).TL(id)
		return text, got == lang && text != id
	}}
	for _, l := range tr.Languages() {
		opt.Languages = append(opt.Languages, xlsform.Language{Tag: l.Tag, Name: l.Name, EnglishName: l.EnglishName})
	}
	return opt
}
