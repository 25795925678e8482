package workspace

import (
	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/export"
)

// sheetOptions are the export page's choices for a spreadsheet: the file's
// language (headers, labels) and labels or codes.
type sheetOptions struct {
	Lang   string
	Labels bool
}

// readSheetOptions reads the choices; the language defaults to the page's.
func readSheetOptions(c *fiber.Ctx, pageLang string) sheetOptions {
	return sheetOptions{Lang: c.Query("sheet_lang", pageLang), Labels: c.Query("values", "labels") != "codes"}
}

// audit is the choices as the audit entry records them (nothing for JSON).
func (o sheetOptions) audit(format string) string {
	if format == export.FormatJSONL {
		return ""
	}
	values := "codes"
	if o.Labels {
		values = "labels"
	}
	return "lang=" + o.Lang + " values=" + values + " "
}

// sheet is the spreadsheet export that o asks for: texts in o's language (an
// unknown one falls back to Spanish, the source), times in the configured
// zone, accounts named for the assignee column.
func (w *Workspace) sheet(c *fiber.Ctx, o sheetOptions) (*export.Sheet, error) {
	l := w.deps.Translator.Localizer(o.Lang)
	s := &export.Sheet{Labels: o.Labels, Location: w.deps.Location, Places: w.deps.Geo,
		T: func(id string) string { return l.T(id) }}
	if !o.Labels {
		return s, nil
	}
	ctx, cancel := reqCtx(c)
	defer cancel()
	users, err := w.deps.Store.Users(ctx)
	if err != nil {
		return nil, err
	}
	s.People = make(map[string]string, len(users))
	for _, u := range users {
		s.People[u.ID] = u.Name
	}
	return s, nil
}
