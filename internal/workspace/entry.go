package workspace

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/auth"
	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/importer"
	"github.com/consulta/consulta/internal/intake"
	"github.com/consulta/consulta/internal/report"
)

// field is one question of the batch-entry form.
type field struct {
	ID, Name, Label, Help, Type string
	Required, Personal          bool
	Options                     []choice
	Value                       string // text, number, single, yesno
	Error                       string
	Min, Max                    int
	Munis                       []muniGroup // geo
	Other                       bool
	OtherValue                  string
	YesLabel, NoLabel           string
	OtherLabel                  string
	// PersonalLabel marks a personal-data question, in words.
	PersonalLabel string
}

// fieldCtx is what the "field" template gets: the field, and whether it
// takes the focus (the first of the form, so that typing starts at once, or
// after an error the first field in error). In a group of radios the focus
// goes to the checked one, or the first when none is: focusing another would
// let Space change the answer.
type fieldCtx struct {
	F     field
	First bool
}

// Checked reports whether one of the field's options is chosen.
func (f field) Checked() bool {
	for _, o := range f.Options {
		if o.Checked {
			return true
		}
	}
	return f.Value == "true" || f.Value == "false"
}

type choice struct {
	Value, Label string
	Checked      bool
}

type muniGroup struct {
	Label string
	Munis []choice
}

type entryData struct {
	S      sessionRow
	Form   *forms.Form
	Fields []field
	Key    string
	Errors []string
	Saved  int
	Count  int64
	Focus  int // index of the field that takes the focus
}

func (w *Workspace) entryPage(c *fiber.Ctx) error {
	return w.showEntry(c, fiber.StatusOK, url.Values{}, nil)
}

// showEntry renders the batch-entry form with values and field errors kept.
func (w *Workspace) showEntry(c *fiber.Ctx, status int, values url.Values, errs []consulta.FieldError) error {
	p := w.newPage(c, "admin.entry.title")
	g := focusGroup(c)
	f, ok := w.deps.Forms.Get(g.FormID)
	if !ok {
		return consulta.Errorf(consulta.ENOTFOUND, "form %s", g.FormID)
	}
	ctx, cancel := reqCtx(c)
	defer cancel()
	n, err := w.deps.Store.CountResponses(ctx, consulta.ResponseFilter{Session: g.Code, Channel: consulta.ChannelImport})
	if err != nil {
		return err
	}
	key := values.Get("key")
	if key == "" {
		key = intake.NewKey()
	}
	byQuestion := map[string]string{}
	for _, fe := range errs {
		if _, seen := byQuestion[fe.Question]; !seen {
			byQuestion[fe.Question] = p.L.T("error.field."+fe.Code, fe.Params)
		}
	}
	d := entryData{S: w.sessionRow(p, g), Form: f, Key: key, Count: n,
		Fields: w.fields(p, f, values, byQuestion)}
	if len(errs) > 0 {
		d.Errors = entryErrors(p, f, errs)
		for i, fd := range d.Fields {
			if fd.Error != "" {
				d.Focus = i
				break
			}
		}
	}
	d.Saved, _ = strconv.Atoi(c.Query("saved"))
	p.Title = p.T("admin.entry.title", "Code", g.Code)
	return w.render(c, status, "entry", p, d)
}

// fields lays out the form's questions for the batch-entry page, in the
// workspace's language (the paper form's text is the session's).
func (w *Workspace) fields(p *page, f *forms.Form, values url.Values, errs map[string]string) []field {
	var out []field
	for _, q := range f.Questions {
		fd := field{ID: "q_" + q.ID, Name: q.ID, Label: p.L.T(f.LabelID(q)), Type: string(q.Type),
			Required: q.Required, Personal: q.Personal, Value: values.Get(q.ID), Error: errs[q.ID], Other: q.Other,
			YesLabel: p.T("form.yes"), NoLabel: p.T("form.no"), OtherLabel: p.T("form.other_specify"),
			PersonalLabel: p.T("admin.entry.personal")}
		if h := p.L.T(f.HelpID(q)); h != f.HelpID(q) {
			fd.Help = h
		}
		chosen := map[string]bool{}
		for _, v := range values[q.ID] {
			chosen[v] = true
		}
		for _, o := range q.Options {
			fd.Options = append(fd.Options, choice{Value: o.Value, Label: p.L.T(f.OptionID(q, o.Value)), Checked: chosen[o.Value]})
		}
		switch q.Type {
		case forms.TypeScale, forms.TypeRating:
			fd.Min, fd.Max = q.ScaleRange()
		case forms.TypeGeo:
			fd.Name = q.ID + "[municipality]"
			fd.Value = values.Get(fd.Name)
			fd.Munis = w.muniGroups(fd.Value)
		case forms.TypeMultiple:
			fd.OtherValue = values.Get(q.OtherID())
		}
		out = append(out, fd)
	}
	return out
}

func (w *Workspace) muniGroups(selected string) []muniGroup {
	var out []muniGroup
	for _, d := range w.deps.Geo.Departments() {
		g := muniGroup{Label: d.Name}
		for _, m := range d.Municipalities {
			g.Munis = append(g.Munis, choice{Value: m.Code, Label: m.Name, Checked: m.Code == selected})
		}
		out = append(out, g)
	}
	return out
}

// entryPost stores one paper form and shows a blank one ("save and next").
// The form's idempotency key makes a double submission store it once.
func (w *Workspace) entryPost(c *fiber.Ctx) error {
	g := focusGroup(c)
	f, ok := w.deps.Forms.Get(g.FormID)
	if !ok {
		return consulta.Errorf(consulta.ENOTFOUND, "form %s", g.FormID)
	}
	values, err := url.ParseQuery(string(c.Body()))
	if err != nil {
		return consulta.Errorf(consulta.EINVALID, "bad form body")
	}
	// Paper forms give a municipality; its department follows from the code.
	for _, q := range f.Questions {
		if q.Type != forms.TypeGeo {
			continue
		}
		if m, ok := w.deps.Geo.Municipality(values.Get(q.ID + "[municipality]")); ok {
			values.Set(q.ID+"[department]", m.Department)
		}
	}
	ctx, cancel := reqCtx(c)
	defer cancel()
	rc, err := w.entry.Submit(ctx, intake.Submission{FormID: f.ID, Answers: f.DecodeValues(values), Lang: g.Lang,
		Session: g.Code, Channel: consulta.ChannelImport, IdempotencyKey: values.Get("key")})
	if fields := consulta.FieldErrors(err); len(fields) > 0 {
		return w.showEntry(c, fiber.StatusUnprocessableEntity, values, fields)
	}
	if err != nil {
		return err
	}
	if !rc.Replayed { // a double click stores, and is recorded, once
		_ = w.audit(c, AuditSessionEntry, g.Code, "response="+rc.ID)
	}
	saved, _ := strconv.Atoi(values.Get("saved"))
	return redirect(c, fmt.Sprintf("/admin/sessions/%s/entry?saved=%d", g.Code, saved+1))
}

type importData struct {
	S       sessionRow
	Form    *forms.Form
	Headers []string
	Errors  []string
	Done    importDone
	// Codes is "Columnas y códigos aceptados"; Departments and
	// Municipalities count the places of the sheet it links to.
	Codes                       []codeColumn
	Departments, Municipalities string
}

// importDone is what the last import did, carried by the redirect after it:
// rows stored, rows of a Kobo export imported before, and the columns of a
// Kobo export that answer no question.
type importDone struct {
	Stored, Skipped int
	Ignored         string
}

// maxIgnoredShown bounds the ignored columns named after an import.
const maxIgnoredShown = 20

func (w *Workspace) importPage(c *fiber.Ctx) error {
	p := w.newPage(c, "admin.import.title")
	g := focusGroup(c)
	var done importDone
	done.Stored, _ = strconv.Atoi(c.Query("stored"))
	done.Skipped, _ = strconv.Atoi(c.Query("skipped"))
	done.Ignored = excerpt(c.Query("ignored"), 400)
	return w.showImport(c, p, g, fiber.StatusOK, nil, done)
}

func (w *Workspace) showImport(c *fiber.Ctx, p *page, g *consulta.FocusGroup, status int, errs []string, done importDone) error {
	f, ok := w.deps.Forms.Get(g.FormID)
	if !ok {
		return consulta.Errorf(consulta.ENOTFOUND, "form %s", g.FormID)
	}
	d := importData{S: w.sessionRow(p, g), Form: f, Headers: importer.Headers(f), Errors: errs, Done: done,
		Codes: w.codeColumns(p, f)}
	d.Departments, d.Municipalities = w.placeCounts()
	return w.render(c, status, "import", p, d)
}

// importPost imports a CSV or XLSX file into the session: all rows or none, with
// every bad row listed.
func (w *Workspace) importPost(c *fiber.Ctx) error {
	p := w.newPage(c, "admin.import.title")
	g := focusGroup(c)
	f, ok := w.deps.Forms.Get(g.FormID)
	if !ok {
		return consulta.Errorf(consulta.ENOTFOUND, "form %s", g.FormID)
	}
	fh, err := c.FormFile("file")
	if err != nil {
		_ = w.audit(c, "session.import.failure", g.Code, "no_file")
		return w.showImport(c, p, g, fiber.StatusUnprocessableEntity, []string{p.T("admin.import.no_file")}, importDone{})
	}
	// A refused import is recorded like a stored one: with the file's name,
	// scrubbed (people name files after themselves).
	name := "file=" + excerpt(report.Scrub(fh.Filename), 100)
	file, err := fh.Open()
	if err != nil {
		return err
	}
	defer file.Close()
	ctx, cancel := reqCtx(c)
	defer cancel()
	res, err := w.importer.Import(ctx, importer.Request{Form: f, Session: g.Code, Lang: g.Lang, File: file})
	if len(res.Errors) > 0 {
		_ = w.audit(c, "session.import.failure", g.Code, fmt.Sprintf("rows errors=%d %s", len(res.Errors), name))
		return w.showImport(c, p, g, fiber.StatusUnprocessableEntity, RowMessages(p.L.T, res.Errors), importDone{})
	}
	if err != nil {
		_ = w.audit(c, "session.import.failure", g.Code, "unreadable "+name)
		return err
	}
	_ = w.audit(c, AuditSessionImport, g.Code, fmt.Sprintf("rows=%d skipped=%d layout=%s file=%s",
		res.Stored, res.Skipped, res.Layout, excerpt(report.Scrub(fh.Filename), 100)))
	q := url.Values{"stored": {strconv.Itoa(res.Stored)}}
	if res.Skipped > 0 {
		q.Set("skipped", strconv.Itoa(res.Skipped))
	}
	if len(res.Ignored) > 0 {
		q.Set("ignored", strings.Join(res.Ignored[:min(len(res.Ignored), maxIgnoredShown)], ", "))
	}
	return redirect(c, fmt.Sprintf("/admin/sessions/%s/import?%s", g.Code, q.Encode()))
}

// RowMessages localizes an import's row errors with t (a Localizer's T):
// "Fila 3, edad: Escriba un número entre 0 y 120."
func RowMessages(t func(string, ...map[string]any) string, errs []importer.RowError) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		msgID := "admin.import.error." + e.Code
		msg := t(msgID, e.Params)
		if msg == msgID {
			msg = t("error.field."+e.Code, e.Params)
		}
		out[i] = t("admin.import.row", map[string]any{"Row": e.Row, "Column": e.Column, "Message": msg})
	}
	return out
}

// templateCSV downloads the import template of a form.
func (w *Workspace) templateCSV(c *fiber.Ctx) error {
	f, ok := w.deps.Forms.Get(c.Params("form"))
	if !ok {
		return consulta.Errorf(consulta.ENOTFOUND, "form %s", c.Params("form"))
	}
	var buf bytes.Buffer
	if err := importer.WriteTemplate(&buf, f); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+f.ID+`-plantilla.csv"`)
	return c.Send(buf.Bytes())
}

// uploadSlack is what a multipart body may add to the file it carries (the
// boundaries, headers and the CSRF field).
const uploadSlack = 64 << 10

// uploadCheckTimeout bounds the session look-up that grants a large body.
const uploadCheckTimeout = 2 * time.Second

// UploadLimit is the largest request body that method and path may carry, or
// 0 for the server's default; cookie reads the request's cookies. Only the
// CSV import takes large bodies (a file of up to importer.MaxBytes), and only
// from a signed-in user who may run sessions: the server asks before it
// reads a body, so anonymous posts and every other route keep the small
// limit and are refused early with 413, never buffered.
func (w *Workspace) UploadLimit(method, path string, cookie func(name string) string) int {
	if method != fiber.MethodPost || !isImportPath(path) {
		return 0
	}
	token := cookie(w.cookies.name(sessionCookie))
	if token == "" {
		return 0
	}
	ctx, cancel := context.WithTimeout(context.Background(), uploadCheckTimeout)
	defer cancel()
	s, err := w.deps.Auth.Authenticate(ctx, token)
	if err != nil || !auth.Can(s.User, auth.RunSessions) {
		return 0
	}
	return importer.MaxBytes + uploadSlack
}

// isImportPath reports whether path is /admin/sessions/<code>/import (as
// Fiber routes it: case-insensitive, with or without a final slash).
func isImportPath(path string) bool {
	segs := strings.Split(strings.TrimSuffix(strings.ToLower(path), "/"), "/")
	return len(segs) == 5 && segs[0] == "" && segs[1] == "admin" && segs[2] == "sessions" && segs[3] != "" && segs[4] == "import"
}

// entryErrors words the error summary of the batch entry: each message
// names its question ("¿Sobre qué tema…?: Elija una opción."), since the
// summary is read before the fields.
func entryErrors(p *page, f *forms.Form, errs []consulta.FieldError) []string {
	msgs := fieldMessages(p, errs)
	for i, fe := range errs {
		if q := f.Question(fe.Question); q != nil {
			msgs[i] = p.T("entry.error", "Question", p.L.T(f.LabelID(q)), "Message", msgs[i])
		}
	}
	return msgs
}
