package workspace

import (
	"bytes"
	"cmp"
	"math"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/report"
)

// liveRefresh is how often the live view reloads itself, in seconds.
const liveRefresh = 10

// liveK is the suppression threshold of the live view. The room sees its own
// answers as they come in, so small counts are shown (k = 1): the view is not
// published, and it holds no contact data. Words of free text are another
// matter (a name written twice is still someone's): the view lists only those
// the configured k answers use. The summary PDF, which leaves the room,
// applies the configured k to everything.
const liveK = 1

// results aggregates a session's responses with the report module, in lang.
func (w *Workspace) results(c *fiber.Ctx, g *consulta.FocusGroup, lang string) (*report.Aggregate, error) {
	f, ok := w.deps.Forms.Get(g.FormID)
	if !ok {
		return nil, consulta.Errorf(consulta.ENOTFOUND, "form %s", g.FormID)
	}
	ctx, cancel := reqCtx(c)
	defer cancel()
	o := report.Options{K: liveK, TextK: cmp.Or(w.deps.K, report.DefaultK), Location: w.deps.Location, Geo: w.deps.Geo}
	a, err := report.Summary(ctx, w.deps.Store, f, g.Code, o)
	if err != nil {
		return nil, err
	}
	return report.Localize(a, report.NewLabels(w.deps.Translator, lang, w.deps.Location)), nil
}

// bar is one option of a question in the live view.
type bar struct {
	Label   string
	N       int64
	Percent int
}

type liveQuestion struct {
	Label    string
	Answered int64
	Bars     []bar
	Mean     string
}

type liveData struct {
	S         sessionRow
	Responses int64
	Expected  int
	Questions []liveQuestion
	Refresh   int // seconds between updates (web/static/admin-live.js)
	Lang      string
	Projector bool // ?projector=1: no workspace header, for the room's screen
}

// livePage shows the room its results as bars. A small script updates them
// in place and can be paused (a timed meta refresh cannot, which WCAG 2.2.1
// forbids); without scripts, a <noscript> meta refresh reloads the page, so
// it still works on any projector browser.
func (w *Workspace) livePage(c *fiber.Ctx) error {
	p := w.newPage(c, "")
	g := focusGroup(c)
	// The room reads the view in the session's language; the workspace's
	// own words fall back to Spanish for languages it is not written in.
	p.Lang = workspaceLang(g.Lang)
	p.L = w.deps.Translator.Localizer(p.Lang)
	p.Bare = c.Query("projector") == "1"
	a, err := w.results(c, g, g.Lang)
	if err != nil {
		return err
	}
	d := liveData{S: w.sessionRow(p, g), Responses: a.Responses.N, Expected: g.Expected, Refresh: liveRefresh,
		Lang: g.Lang, Projector: p.Bare}
	for _, q := range a.Questions {
		if !q.Categorical() || q.Parent != "" {
			continue
		}
		lq := liveQuestion{Label: q.Label, Answered: q.Answered.N}
		for _, o := range q.Options {
			if o.N == 0 && q.Type == forms.TypeGeo {
				continue // 22 departments, most of them empty in one room
			}
			pct, _ := o.Percent(q.Answered)
			lq.Bars = append(lq.Bars, bar{Label: o.Label, N: o.N, Percent: int(math.Round(pct))})
		}
		if q.Mean != nil {
			lq.Mean = p.T("admin.live.mean", "Mean", math.Round(*q.Mean*10)/10, "Max", q.Max)
		}
		d.Questions = append(d.Questions, lq)
	}
	p.Title = p.T("admin.live.title", "Code", g.Code)
	p.Refresh = liveRefresh
	return w.render(c, fiber.StatusOK, "live", p, d)
}

// apiResults is the live view's data as JSON (the aggregate, localized in
// the session's language).
func (w *Workspace) apiResults(c *fiber.Ctx) error {
	g := focusGroup(c)
	a, err := w.results(c, g, g.Lang)
	if err != nil {
		return err
	}
	return c.JSON(a)
}

// summaryPDF is the session summary the facilitator hands the ministry,
// drawn by the report module with the configured suppression threshold.
func (w *Workspace) summaryPDF(c *fiber.Ctx) error {
	g := focusGroup(c)
	ctx, cancel := reqCtx(c)
	defer cancel()
	var buf bytes.Buffer
	if _, err := report.Generate(ctx, w.reportDeps(), report.Params{FormID: g.FormID, Session: g.Code, Lang: w.lang(c)}, &buf, nil); err != nil {
		return err
	}
	_ = w.audit(c, "session.summary", g.Code, "")
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="resumen-`+g.Code+`.pdf"`)
	return c.Send(buf.Bytes())
}
