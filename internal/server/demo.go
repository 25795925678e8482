package server

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/forms"
)

// demoWidget is one widget of the demo page: a form and how it is embedded.
type demoWidget struct {
	Form  *formView
	Mode  string // "inline" or "button"
	Where string // "article" (after the page's text), "section" (its own section) or "tab"
}

// demoPage serves GET /demo: a page like the portal's, embedding every shipped
// form the way the portal would: page feedback inline after the article, the
// suggestion box as a floating tab opening a dialog, assessments and surveys
// inline in a section of their own. It is for people evaluating Consulta and
// for the browser tests.
//
// It sends the strictest policy a host page could have (nothing inline, no
// connections, scripts and frames only from the widget's origin), to show that
// the loader asks a host for nothing more. The widget's origin is the base URL
// when one is configured, so that the page, opened under another host name,
// embeds the widgets across origins as a real portal does.
func (s *Server) demoPage(c *fiber.Ctx) error {
	lang := s.requestLang(c, "")
	p := s.newPage(c, lang, "")
	p.Title = p.T("demo.title")
	origin := s.baseOrigin
	var widgets []demoWidget
	for _, f := range s.deps.Forms.All() {
		v, _ := s.views.get(f.ID, lang)
		w := demoWidget{Form: v, Mode: "inline", Where: "section"}
		switch f.Kind {
		case forms.KindPageFeedback:
			w.Where = "article"
		case forms.KindSuggestion:
			w.Mode, w.Where = "button", "tab"
		}
		widgets = append(widgets, w)
	}
	shown := origin // the origin written in the snippets people copy
	if shown == "" {
		shown = c.BaseURL()
	}
	c.Set(fiber.HeaderContentSecurityPolicy, demoCSP(origin))
	return s.render(c, fiber.StatusOK, "demo", struct {
		*page
		Script, Snippet, Base string
		Widgets               []demoWidget
	}{p, origin + "/embed.js", shown + "/embed.js", shown, widgets})
}

// demoCSP is a strict host page's policy: the widget's origin for scripts and
// frames, and nothing else from anywhere.
func demoCSP(widgetOrigin string) string {
	from := strings.TrimSpace("'self' " + widgetOrigin)
	return "default-src 'none'; script-src " + from + "; frame-src " + from +
		"; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
}
