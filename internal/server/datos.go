package server

import (
	"errors"
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/opendata"
	"github.com/consulta/consulta/internal/report"
)

// Open data (/datos): aggregated counts of every form by published semester,
// with the reports' suppression, as CSV and JSON. The files are made in the
// background (package opendata); a request reads one stored snapshot by _id
// and never aggregates. See docs/reports.md.
const (
	// openDataMaxAge is how long clients and proxies may keep a file. A
	// published semester changes only with late data (an import, a triage).
	openDataMaxAge = time.Hour
	// openDataRetryAfter is what a client asking for a file still being
	// prepared is told to wait.
	openDataRetryAfter = time.Minute
)

// openData serves /datos from the snapshots.
type openData struct {
	s   *Server
	lib *opendata.Library
}

// openDataRoutes registers GET /datos and GET /datos/{form}.csv|.json.
func (s *Server) openDataRoutes() {
	od := &openData{s: s, lib: &opendata.Library{Snapshots: s.deps.OpenData, Forms: s.deps.Forms, Location: s.location()}}
	s.app.Get("/datos", od.index)
	s.app.Get("/datos/:file", od.file)
}

// index is the page that lists, in the person's language, every form with
// its published semesters and their files.
func (od *openData) index(c *fiber.Ctx) error {
	s := od.s
	list, err := od.lib.Index(c.UserContext())
	if err != nil {
		return err
	}
	lang := s.requestLang(c, "")
	p := s.newPage(c, lang, "")
	p.Title = p.T("opendata.title")
	return s.render(c, fiber.StatusOK, "datos", struct {
		*page
		Forms   []openDataForm
		K       int
		Columns []openDataColumn
	}{page: p, Forms: od.forms(list, lang), K: s.suppressionK(), Columns: openDataColumns(p)})
}

// file serves /datos/{form}.csv or .json for ?period=YYYY-SN (the latest
// published semester without it). The ETag is a hash of the bytes, so
// If-None-Match answers 304 exactly when nothing changed.
func (od *openData) file(c *fiber.Ctx) error {
	formID, format, ok := strings.Cut(c.Params("file"), ".")
	if !ok || (format != opendata.FormatCSV && format != opendata.FormatJSON && format != opendata.FormatHTML) {
		return fiber.ErrNotFound
	}
	if c.Query("from") != "" || c.Query("to") != "" {
		return od.refuse(c, formID, fiber.StatusBadRequest, "opendata.error.range")
	}
	f, err := od.lib.File(c.UserContext(), formID, c.Query("period"), od.s.requestLang(c, ""), format)
	var refusal *opendata.Refusal
	switch {
	case errors.As(err, &refusal) && refusal.Preparing:
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(openDataRetryAfter.Seconds())))
		return od.refusalPage(c, fiber.StatusServiceUnavailable, "opendata.error.preparing", "")
	case errors.As(err, &refusal):
		return od.refuse(c, formID, fiber.StatusNotFound, "opendata.error.period")
	case err != nil:
		return err
	}
	return sendOpenDataFile(c, f)
}

// refuse answers status with the message msgID and a paragraph that says
// how periods are published and which semesters of formID are; an unknown
// form is a plain 404.
func (od *openData) refuse(c *fiber.Ctx, formID string, status int, msgID string) error {
	if _, ok := od.s.deps.Forms.Get(formID); !ok {
		return fiber.ErrNotFound
	}
	published, err := od.lib.Published(c.UserContext(), formID)
	if err != nil {
		return err
	}
	var ids []string
	for _, p := range published {
		ids = append(ids, p.String())
	}
	return od.refusalPage(c, status, msgID, strings.Join(ids, ", "))
}

// refusalPage renders why no file is served: the message msgID and, unless
// the files are only being prepared (503), how semesters are published and
// which of the form's are (periods, "" for none).
func (od *openData) refusalPage(c *fiber.Ctx, status int, msgID, periods string) error {
	p := od.s.newPage(c, od.s.requestLang(c, ""), "")
	p.Title = p.T(msgID)
	var detail template.HTML
	if status != fiber.StatusServiceUnavailable {
		if periods == "" {
			periods = p.T("opendata.periods.none")
		}
		detail = p.TH("opendata.error.semesters", "Periods", periods)
	}
	return od.s.render(c, status, "datos_refused", struct {
		*page
		Message string
		Detail  template.HTML
	}{page: p, Message: p.Title, Detail: detail})
}

// sendOpenDataFile writes a file with its caching headers, or 304 when the
// client has it already.
func sendOpenDataFile(c *fiber.Ctx, f *opendata.File) error {
	c.Set(fiber.HeaderETag, f.ETag)
	c.Set(fiber.HeaderCacheControl, fmt.Sprintf("public, max-age=%d", int(openDataMaxAge.Seconds())))
	c.Set(fiber.HeaderVary, "Accept-Language")
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), f.ETag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	switch f.Format {
	case opendata.FormatJSON:
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
		c.Set(fiber.HeaderContentDisposition, `inline; filename="`+f.Name()+`"`)
	case opendata.FormatHTML: // a page to read, not a download
		c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	default:
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+f.Name()+`"`)
	}
	return c.Send(f.Body)
}

// openDataForm is one form of the index page.
type openDataForm struct {
	ID, Title string
	// Known is false until the materializer has looked at the form.
	Known   bool
	Periods []openDataPeriod
}

// openDataPeriod is one published semester of the index page.
type openDataPeriod struct {
	ID, Label, CSV, JSON, HTML string
	Ready                      bool
}

// forms prepares the index page's rows in lang.
func (od *openData) forms(list []opendata.FormPeriods, lang string) []openDataForm {
	s := od.s
	labels := report.NewLabels(s.deps.Translator, lang, s.location())
	var out []openDataForm
	for _, fp := range list {
		f := openDataForm{ID: fp.FormID, Title: fp.FormID, Known: fp.Known}
		if v, ok := s.views.get(fp.FormID, lang); ok {
			f.Title = v.Title
		}
		for _, p := range fp.Periods {
			from, to := p.Semester.Bounds(s.location())
			query := "?" + url.Values{"period": {p.Semester.String()}, "lang": {lang}}.Encode()
			f.Periods = append(f.Periods, openDataPeriod{ID: p.Semester.String(), Label: labels.Period(from, to),
				Ready: p.Ready, CSV: "/datos/" + fp.FormID + ".csv" + query, JSON: "/datos/" + fp.FormID + ".json" + query,
				HTML: "/datos/" + fp.FormID + ".html" + query})
		}
		out = append(out, f)
	}
	return out
}

// openDataColumn is one documented CSV column.
type openDataColumn struct {
	Name    string
	Meaning template.HTML
}

// openDataColumns are the CSV columns, as report.CSVHeader gives them; each
// has its meaning under opendata.column.<name>.
func openDataColumns(p *page) []openDataColumn {
	var out []openDataColumn
	for _, c := range report.CSVHeader() {
		out = append(out, openDataColumn{Name: c, Meaning: p.TH("opendata.column." + c)})
	}
	return out
}

// etagMatches reports whether an If-None-Match header names etag (or is *).
func etagMatches(header, etag string) bool {
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == etag || tag == "*" {
			return true
		}
	}
	return false
}

// suppressionK is the k of published counts.
func (s *Server) suppressionK() int {
	if s.opts.SuppressionK > 0 {
		return s.opts.SuppressionK
	}
	return report.DefaultK
}

// location is the time zone of published periods.
func (s *Server) location() *time.Location {
	if s.opts.Location != nil {
		return s.opts.Location
	}
	return consulta.DefaultLocation()
}
