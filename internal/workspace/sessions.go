package workspace

import (
	"crypto/rand"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/consulta/consulta/internal/auth"
	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
)

// codeAlphabet leaves out letters and digits that read alike (0/O, 1/I/L,
// 2/Z, 5/S, 8/B) so that a code copied from a board or read aloud is typed
// right.
const (
	codeAlphabet = "ACDEFGHJKMNPQRTUVWXY34679"
	codeLength   = 6
)

// newCode draws a session code.
func newCode() string {
	b := make([]byte, codeLength)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b)
}

// inputTime is the format of datetime-local fields.
const inputTime = "2006-01-02T15:04"

// defaultSessionLength is the window the new-session form proposes.
const defaultSessionLength = 3 * time.Hour

// nextQuarter is the first quarter hour after now on loc's clock: the
// opening the new-session form proposes (never in the past). Quarters are
// counted from the local midnight, so zones with odd offsets get :00, :15...
func nextQuarter(now time.Time, loc *time.Location) time.Time {
	t := now.In(loc)
	midnight := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	q := t.Sub(midnight).Truncate(15*time.Minute) + 15*time.Minute
	return midnight.Add(q)
}

type sessionRow struct {
	*consulta.FocusGroup
	FormTitle, PlaceText string
	Open                 bool
}

type sessionsData struct {
	Rows   []sessionRow
	CanRun bool
	Paper  []paperLink
}

// paperLink is a blank paper questionnaire of one form in one language.
type paperLink struct {
	Href, Text, Lang string
}

// paperLinks lists the blank questionnaires, every form in every language.
func (w *Workspace) paperLinks(p *page) []paperLink {
	var out []paperLink
	for _, f := range w.deps.Forms.All() {
		for _, l := range w.deps.Translator.Languages() {
			out = append(out, paperLink{Href: "/admin/forms/" + url.PathEscape(f.ID) + "/questionnaire.pdf?lang=" + url.QueryEscape(l.Tag),
				Text: p.T("session.paper.link", "Form", p.L.T(f.TitleID()), "Lang", l.Name)})
		}
	}
	return out
}

func (w *Workspace) sessionsPage(c *fiber.Ctx) error {
	p := w.newPage(c, "admin.sessions.title")
	org := ""
	if p.User.Role == auth.RoleFacilitator {
		org = p.User.Org
	}
	ctx, cancel := reqCtx(c)
	defer cancel()
	list, err := w.deps.Store.FocusGroups(ctx, org)
	if err != nil {
		return err
	}
	d := sessionsData{CanRun: auth.Can(p.User, auth.RunSessions)}
	if d.CanRun {
		d.Paper = w.paperLinks(p)
	}
	for _, g := range list {
		d.Rows = append(d.Rows, w.sessionRow(p, g))
	}
	return w.render(c, fiber.StatusOK, "sessions", p, d)
}

func (w *Workspace) sessionRow(p *page, g *consulta.FocusGroup) sessionRow {
	r := sessionRow{FocusGroup: g, FormTitle: g.FormID, Open: g.Open(w.deps.Now())}
	if f, ok := w.deps.Forms.Get(g.FormID); ok {
		r.FormTitle = p.L.T(f.TitleID())
	}
	r.PlaceText = PlaceText(w.deps.Geo, g)
	return r
}

// PlaceText names where a session is held: venue, municipality, department.
func PlaceText(cat *geo.Catalog, g *consulta.FocusGroup) string {
	parts := []string{}
	if g.PlaceName != "" {
		parts = append(parts, g.PlaceName)
	}
	if m, ok := cat.Municipality(g.Place.Municipality); ok {
		parts = append(parts, m.Name)
	}
	if d, ok := cat.Department(g.Place.Department); ok {
		parts = append(parts, d.Name)
	}
	return strings.Join(parts, ", ")
}

// sessionForm is the new-session form, as typed.
type sessionForm struct {
	Org, Facilitator, Form, Lang, Date, Municipality, PlaceName, Expected, Opens, Closes string
}

type newSessionData struct {
	In           sessionForm
	Errors       []string
	Forms        []*forms.Form
	Facilitators []*consulta.User
	Departments  []geo.Department
	Languages    []option
	IsAdmin      bool
}

func (w *Workspace) newSessionPage(c *fiber.Ctx) error {
	opens := nextQuarter(w.deps.Now(), w.deps.Location)
	in := sessionForm{Lang: "es", Date: opens.Format(time.DateOnly), Expected: "20",
		Opens: opens.Format(inputTime), Closes: opens.Add(defaultSessionLength).Format(inputTime)}
	return w.showNewSession(c, fiber.StatusOK, in, nil)
}

func (w *Workspace) showNewSession(c *fiber.Ctx, status int, in sessionForm, errs []string) error {
	p := w.newPage(c, "admin.sessions.new")
	d := newSessionData{In: in, Errors: errs, Forms: w.deps.Forms.All(), Departments: w.deps.Geo.Departments(),
		Languages: w.languages(), IsAdmin: p.User.Role == auth.RoleAdmin}
	if d.IsAdmin {
		ctx, cancel := reqCtx(c)
		defer cancel()
		users, err := w.deps.Store.Users(ctx)
		if err != nil {
			return err
		}
		for _, u := range users {
			if u.Role == auth.RoleFacilitator && !u.Disabled {
				d.Facilitators = append(d.Facilitators, u)
			}
		}
	}
	return w.render(c, status, "session_new", p, d)
}

// createSession stores a new focus-group session. A facilitator's session is
// always theirs and their organisation's; an admin picks a facilitator.
func (w *Workspace) createSession(c *fiber.Ctx) error {
	in := sessionForm{Org: c.FormValue("org"), Facilitator: c.FormValue("facilitator"), Form: c.FormValue("form"),
		Lang: c.FormValue("lang"), Date: c.FormValue("date"), Municipality: c.FormValue("municipality"),
		PlaceName: strings.TrimSpace(c.FormValue("place_name")), Expected: c.FormValue("expected"),
		Opens: c.FormValue("opens"), Closes: c.FormValue("closes")}
	u := user(c)
	ctx, cancel := reqCtx(c)
	defer cancel()
	if u.Role == auth.RoleFacilitator {
		in.Org, in.Facilitator = u.Org, u.ID
	} else if in.Facilitator != "" {
		fu, err := w.deps.Store.User(ctx, in.Facilitator)
		if err != nil || fu.Role != auth.RoleFacilitator {
			return w.showNewSession(c, fiber.StatusUnprocessableEntity, in, []string{w.newPage(c, "").T("admin.problem.facilitator")})
		}
		in.Org = fu.Org
	}
	g, problems := w.parseSession(in)
	if len(problems) > 0 {
		p := w.newPage(c, "")
		msgs := make([]string, len(problems))
		for i, id := range problems {
			msgs[i] = p.T("admin.problem." + id)
		}
		return w.showNewSession(c, fiber.StatusUnprocessableEntity, in, msgs)
	}
	now := w.deps.Now()
	g.CreatedBy, g.CreatedAt, g.UpdatedAt = u.ID, now, now
	if err := w.deps.Store.CreateFocusGroup(ctx, g, newCode); err != nil {
		return err
	}
	_ = w.audit(c, "session.create", g.Code, fmt.Sprintf("org=%s form=%s opens=%s closes=%s", g.Org, g.FormID,
		g.OpensAt.Format(time.RFC3339), g.ClosesAt.Format(time.RFC3339)))
	return redirect(c, "/admin/sessions/"+g.Code+"?notice=n_session_created")
}

// parseSession checks the form and returns the session, or the message ids of
// its problems.
func (w *Workspace) parseSession(in sessionForm) (*consulta.FocusGroup, []string) {
	var problems []string
	loc := w.deps.Location
	g := &consulta.FocusGroup{Org: strings.TrimSpace(in.Org), Facilitator: in.Facilitator, FormID: in.Form,
		Lang: in.Lang, PlaceName: excerpt(in.PlaceName, 200)}
	if g.Org == "" || g.Facilitator == "" {
		problems = append(problems, "facilitator")
	}
	if _, ok := w.deps.Forms.Get(in.Form); !ok {
		problems = append(problems, "form")
	}
	if _, ok := w.deps.Translator.Language(in.Lang); !ok {
		problems = append(problems, "lang")
	}
	var err error
	if g.Date, err = time.ParseInLocation(time.DateOnly, in.Date, loc); err != nil {
		problems = append(problems, "date")
	}
	if m, ok := w.deps.Geo.Municipality(in.Municipality); ok {
		g.Place = consulta.Geo{Department: m.Department, Municipality: m.Code}
	} else {
		problems = append(problems, "place")
	}
	if g.Expected, err = strconv.Atoi(strings.TrimSpace(in.Expected)); err != nil || g.Expected < 1 || g.Expected > 10000 {
		problems = append(problems, "expected")
	}
	g.OpensAt, err = time.ParseInLocation(inputTime, in.Opens, loc)
	okOpen := err == nil
	g.ClosesAt, err = time.ParseInLocation(inputTime, in.Closes, loc)
	if !okOpen || err != nil || !g.ClosesAt.After(g.OpensAt) {
		problems = append(problems, "window")
	}
	return g, problems
}

type sessionData struct {
	S         sessionRow
	Link      string
	Responses int64
	CanRun    bool
	Opens     string
	Closes    string
	LangName  string
}

func (w *Workspace) sessionPage(c *fiber.Ctx) error {
	p := w.newPage(c, "admin.session.title")
	g := focusGroup(c)
	ctx, cancel := reqCtx(c)
	defer cancel()
	n, err := w.deps.Store.CountResponses(ctx, consulta.ResponseFilter{Session: g.Code})
	if err != nil {
		return err
	}
	d := sessionData{S: w.sessionRow(p, g), Link: w.sessionLink(c, g), Responses: n,
		CanRun: auth.CanRunSession(p.User, g), Opens: g.OpensAt.In(w.deps.Location).Format(inputTime),
		Closes: g.ClosesAt.In(w.deps.Location).Format(inputTime), LangName: g.Lang}
	if l, ok := w.deps.Translator.Language(g.Lang); ok {
		d.LangName = l.Name
	}
	p.Title = p.T("admin.session.title", "Code", g.Code)
	return w.render(c, fiber.StatusOK, "session", p, d)
}

// sessionLink is the URL participants open: the form with the code and the
// session's language.
func (w *Workspace) sessionLink(c *fiber.Ctx, g *consulta.FocusGroup) string {
	base := strings.TrimRight(w.deps.BaseURL, "/")
	if base == "" {
		base = c.BaseURL()
	}
	return base + "/f/" + url.PathEscape(g.FormID) + "?session=" + g.Code + "&lang=" + url.QueryEscape(g.Lang)
}

// windowPost changes the answering window, or closes the session now.
func (w *Workspace) windowPost(c *fiber.Ctx) error {
	g := focusGroup(c)
	loc, now := w.deps.Location, w.deps.Now()
	opens, closes := g.OpensAt, now
	if c.FormValue("close_now") != "" && c.FormValue("confirm") != "1" {
		return w.confirmClose(c, g)
	}
	if c.FormValue("close_now") == "" {
		var err1, err2 error
		opens, err1 = time.ParseInLocation(inputTime, c.FormValue("opens"), loc)
		closes, err2 = time.ParseInLocation(inputTime, c.FormValue("closes"), loc)
		if err1 != nil || err2 != nil || !closes.After(opens) {
			return consulta.Errorf(consulta.EINVALID, "bad window")
		}
	} else if now.Before(opens) {
		opens = now
	}
	ctx, cancel := reqCtx(c)
	defer cancel()
	if err := w.deps.Store.SetFocusGroupWindow(ctx, g.Code, opens, closes, now); err != nil {
		return err
	}
	_ = w.audit(c, "session.window", g.Code, opens.Format(time.RFC3339)+" → "+closes.Format(time.RFC3339))
	return redirect(c, "/admin/sessions/"+g.Code+"?notice=n_saved")
}

// confirmClose asks before closing a session now: a page of its own, so it
// works without scripts, whose form posts the close again with confirm=1.
func (w *Workspace) confirmClose(c *fiber.Ctx, g *consulta.FocusGroup) error {
	p := w.newPage(c, "")
	p.Title = p.T("session.close.title", "Code", g.Code)
	return w.render(c, fiber.StatusOK, "session_close", p, w.sessionRow(p, g))
}

// qrPNG is the QR code of the session link.
func (w *Workspace) qrPNG(c *fiber.Ctx, g *consulta.FocusGroup, size int) ([]byte, error) {
	return qrcode.Encode(w.sessionLink(c, g), qrcode.Medium, size)
}

func (w *Workspace) qrImage(c *fiber.Ctx) error {
	png, err := w.qrPNG(c, focusGroup(c), 320)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/png")
	return c.Send(png)
}
