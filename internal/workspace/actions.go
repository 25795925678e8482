package workspace

import (
	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/report"
)

// publicActions is how many actions /acciones lists.
const publicActions = 200

type actionRow struct {
	FormTitle, Text, Lang string
	Date                  string
}

// actionsPage is the public "you said, we did" log. The texts are written by
// the ministry for the public; they are scrubbed of personal data all the
// same, with the page language's placeholders, in case a quotation carried
// some.
func (w *Workspace) actionsPage(c *fiber.Ctx) error {
	lang := w.deps.Translator.Match(c.Query("lang"), c.Get(fiber.HeaderAcceptLanguage))
	p := w.newPage(c, "actions.title")
	p.Lang, p.L = lang, w.deps.Translator.Localizer(lang)
	p.Title = p.L.T("actions.title")
	p.User = nil // a public page: no workspace chrome
	ctx, cancel := reqCtx(c)
	defer cancel()
	list, err := w.deps.Store.RecentActions(ctx, publicActions)
	if err != nil {
		return err
	}
	sc := report.NewScrubber(report.NewLabels(w.deps.Translator, lang, w.deps.Location).Placeholders())
	rows := make([]actionRow, len(list))
	for i, a := range list {
		rows[i] = actionRow{FormTitle: a.FormID, Text: sc.Scrub(a.Text), Lang: a.Lang, Date: p.Date(a.Date)}
		if f, ok := w.deps.Forms.Get(a.FormID); ok {
			rows[i].FormTitle = p.L.T(f.TitleID())
		}
	}
	return w.render(c, fiber.StatusOK, "acciones", p, struct {
		Rows      []actionRow
		Languages []option
	}{rows, w.languages()})
}
