package workspace

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/auth"
	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/export"
	"github.com/consulta/consulta/internal/forms"
)

// exportTimeout bounds a whole export stream; each store round trip has its
// own, shorter deadline.
const exportTimeout = 30 * time.Minute

// ExportSource is where exports read responses and their contact data:
// the store (*store.Store is one).
type ExportSource = export.Source

type exportData struct {
	Languages []option
	Lang      string
	Zone      string
	Forms     []*forms.Form
	Filter    filterForm
	// Carried is the filter but its form, sent again with the download;
	// Described is the same for people to read.
	Carried     []param
	Described   []answerLine
	CanContacts bool
}

// exportPage offers the download of the responses the browser's filter
// selects: its form preselected, the rest of it shown and carried along.
func (w *Workspace) exportPage(c *fiber.Ctx) error {
	p := w.newPage(c, "admin.export.title")
	f := readFilter(c)
	return w.render(c, fiber.StatusOK, "export", p, exportData{Forms: w.deps.Forms.All(),
		Filter: f, Carried: f.carried(), Described: w.describe(p, f),
		Languages: w.languages(), Lang: p.L.Lang(), Zone: w.deps.Location.String(),
		CanContacts: auth.Can(p.User, auth.ViewContacts)})
}

// exportDownload streams the responses of a form matching the browser's
// filters as CSV or JSON Lines, one response in memory at a time; contact
// columns come only for admins who ask, and every export is audited first.
// Nothing fails silently: a failure before the first byte is answered with
// an error page, one after it aborts the transfer (see export.Stream), so the
// browser shows a failed download rather than a file that looks complete.
func (w *Workspace) exportDownload(c *fiber.Ctx) error {
	job, name, err := w.exportJob(c)
	if err != nil {
		return err
	}
	gz := exportEncoding(c)
	s := export.StartStream(exportWrite(job, gz), func(err error) { w.exportFailed(job.Form.ID, export.FailedMidway, err) })
	if err := s.Ready(); err != nil {
		w.exportFailed(job.Form.ID, export.FailedBeforeFirstByte, err)
		return w.failAs(c, err, "admin.export.failed")
	}
	setDownloadHeaders(c, name, job.Format, gz)
	c.Context().SetBodyStream(s.Body(), -1) // -1: chunked, so an abort shows
	return nil
}

// exportJob reads the export asked for, checks it and audits it; name is the
// file's name.
func (w *Workspace) exportJob(c *fiber.Ctx) (job export.Job, name string, err error) {
	filter := readFilter(c)
	f, ok := w.deps.Forms.Get(filter.Form)
	if !ok {
		return job, "", consulta.Errorf(consulta.EINVALID, "export: choose a form")
	}
	format := c.Query("format", export.FormatXLSX)
	if !export.ValidFormat(format) && !export.ValidSheetFormat(format) {
		return job, "", consulta.Errorf(consulta.EINVALID, "export: unknown format")
	}
	contacts := c.Query("contacts") == "1"
	if contacts && !auth.Can(user(c), auth.ViewContacts) {
		return job, "", errForbidden
	}
	sf, err := filter.store(w.deps.Location)
	if err != nil {
		return job, "", err
	}
	so := readSheetOptions(c, w.lang(c))
	detail := fmt.Sprintf("format=%s contacts=%t %sfilter=%s", format, contacts, so.audit(format), filter.query(""))
	if err := w.audit(c, "export", f.ID, detail); err != nil {
		return job, "", err
	}
	job = export.Responses(w.deps.Exports, f, sf, format, contacts)
	if format != export.FormatJSONL {
		if job.Sheet, err = w.sheet(c, so); err != nil {
			return job, "", err
		}
	}
	name = fmt.Sprintf("%s-%s.%s", f.ID, w.deps.Now().In(w.deps.Location).Format("20060102-1504"), format)
	return job, name, nil
}

// exportEncoding tells whether the export is sent gzipped (the client takes
// it) or as is. The workspace compresses exports itself because the server's
// compression would end a broken body normally; the request is made to look
// as if it accepted no encoding, so that the server leaves the body alone.
func exportEncoding(c *fiber.Ctx) (gz bool) {
	h := &c.Context().Request.Header
	gz = h.HasAcceptEncoding("gzip")
	h.Del(fiber.HeaderAcceptEncoding)
	return gz
}

// exportWrite runs job, gzipped when gz.
func exportWrite(job export.Job, gz bool) export.WriteFunc {
	write := func(out io.Writer) error {
		// The request's context ends when the handler returns, long before
		// the stream does.
		ctx, cancel := context.WithTimeout(context.Background(), exportTimeout)
		defer cancel()
		_, err := job.Write(ctx, out)
		return err
	}
	if gz {
		return export.Gzipped(write)
	}
	return write
}

func setDownloadHeaders(c *fiber.Ctx, name, format string, gz bool) {
	switch format {
	case export.FormatCSV:
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	case export.FormatXLSX:
		c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	default:
		c.Set(fiber.HeaderContentType, "application/jsonl; charset=utf-8")
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	if gz {
		c.Set(fiber.HeaderContentEncoding, "gzip")
	}
}

// exportFailed logs a failed export and counts it in the metrics.
func (w *Workspace) exportFailed(formID, stage string, err error) {
	w.deps.Logger.Error("export failed", "form", formID, "stage", stage, "err", err)
	w.deps.ExportFailed(stage)
}
