package workspace

import (
	"bytes"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/locale"
	"github.com/consulta/consulta/internal/pdf"
)

// paperBlanks is how many lines a free-text question gets on paper.
var paperBlanks = map[forms.QuestionType]int{forms.TypeTextarea: 4, forms.TypeText: 1, forms.TypeNumber: 1,
	forms.TypeEmail: 1, forms.TypePhone: 1, forms.TypeGeo: 2}

// sessionQuestionnaire is the paper form of a session, in its language and
// carrying its code, place and date.
func (w *Workspace) sessionQuestionnaire(c *fiber.Ctx) error {
	g := focusGroup(c)
	f, ok := w.deps.Forms.Get(g.FormID)
	if !ok {
		return consulta.Errorf(consulta.ENOTFOUND, "form %s", g.FormID)
	}
	return w.sendQuestionnaire(c, f, g.Lang, g)
}

// formQuestionnaire is the paper form of a form in ?lang= (Spanish by
// default), with blanks for the session code, place and date.
func (w *Workspace) formQuestionnaire(c *fiber.Ctx) error {
	f, ok := w.deps.Forms.Get(c.Params("form"))
	if !ok {
		return consulta.Errorf(consulta.ENOTFOUND, "form %s", c.Params("form"))
	}
	lang := locale.Source
	if l, ok := w.deps.Translator.Language(c.Query("lang")); ok {
		lang = l.Tag
	}
	return w.sendQuestionnaire(c, f, lang, nil)
}

func (w *Workspace) sendQuestionnaire(c *fiber.Ctx, f *forms.Form, lang string, g *consulta.FocusGroup) error {
	q := w.questionnaire(f, w.deps.Translator.Localizer(lang), g)
	var buf bytes.Buffer
	if err := pdf.WriteQuestionnaire(&buf, q); err != nil {
		return err
	}
	name := f.ID + "-" + lang
	if g != nil {
		name = g.Code
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="cuestionario-`+url.PathEscape(name)+`.pdf"`)
	return c.Send(buf.Bytes())
}

// questionnaire lays out f on paper in l's language: the questions in the
// order of the batch-entry form (w.fields), one option a line.
func (w *Workspace) questionnaire(f *forms.Form, l *locale.Localizer, g *consulta.FocusGroup) *pdf.Questionnaire {
	title := l.T(f.TitleID())
	q := &pdf.Questionnaire{Lang: l.Lang(), Title: l.T("paper.title", map[string]any{"Form": title}),
		Created: w.deps.Now(), Heading: title, Intro: l.T("paper.intro"), PageLabel: l.T("paper.page")}
	if g != nil {
		q.Header = title + " · " + g.Code
		q.Lines = []string{l.T("paper.code", map[string]any{"Code": g.Code}),
			PlaceText(w.deps.Geo, g) + " · " + g.Date.In(w.deps.Location).Format("2006-01-02")}
	} else {
		q.Header = title
		q.Lines = []string{l.T("paper.blank_code"), l.T("paper.blank_place")}
	}
	for i, fq := range f.Questions {
		q.Questions = append(q.Questions, w.paperQuestion(f, fq, l, i+1))
	}
	return q
}

func (w *Workspace) paperQuestion(f *forms.Form, fq *forms.Question, l *locale.Localizer, n int) pdf.PaperQuestion {
	pq := pdf.PaperQuestion{Number: n, Label: l.T(f.LabelID(fq)), Blanks: paperBlanks[fq.Type]}
	if fq.Required {
		pq.Label += " *"
	}
	hint := ""
	switch fq.Type {
	case forms.TypeSingle:
		hint = l.T("paper.one")
	case forms.TypeMultiple:
		hint = l.T("paper.many")
	case forms.TypeScale, forms.TypeRating:
		lo, hi := fq.ScaleRange()
		hint = l.T("paper.range", map[string]any{"Min": lo, "Max": hi})
		for v := lo; v <= hi; v++ {
			pq.Inline = append(pq.Inline, strconv.Itoa(v))
		}
	case forms.TypeYesNo:
		pq.Inline = []string{l.T("form.yes"), l.T("form.no")}
	case forms.TypeConsent:
		pq.Inline = []string{l.T("form.yes")}
	case forms.TypeGeo:
		hint = l.T("paper.place")
	case forms.TypeNumber:
		hint = l.T("paper.number")
	}
	for _, o := range fq.Options {
		pq.Boxes = append(pq.Boxes, l.T(f.OptionID(fq, o.Value)))
	}
	if fq.Other {
		pq.Boxes = append(pq.Boxes, l.T("form.other_specify")+": ____________________")
	}
	if h := l.T(f.HelpID(fq)); h != f.HelpID(fq) {
		hint = joinHint(hint, h)
	}
	if fq.Personal {
		hint = joinHint(hint, l.T("paper.personal"))
	}
	pq.Hint = hint
	return pq
}

func joinHint(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}
