package workspace

import (
	"bufio"
	"context"
	"fmt"
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

type exportData struct {
	Forms       []*forms.Form
	Filter      filterForm
	CanContacts bool
}

func (w *Workspace) exportPage(c *fiber.Ctx) error {
	p := w.newPage(c, "admin.export.title")
	return w.render(c, fiber.StatusOK, "export", p, exportData{Forms: w.deps.Forms.All(),
		Filter: readFilter(c), CanContacts: auth.Can(p.User, auth.ViewContacts)})
}

// exportDownload streams the responses of a form matching the browser's
// filters as CSV or JSON Lines: one response in memory at a time. Contact
// columns come only for admins who ask; every export is audited first.
func (w *Workspace) exportDownload(c *fiber.Ctx) error {
	filter := readFilter(c)
	f, ok := w.deps.Forms.Get(filter.Form)
	if !ok {
		return consulta.Errorf(consulta.EINVALID, "export: choose a form")
	}
	format := c.Query("format", export.FormatCSV)
	if format != export.FormatCSV && format != export.FormatJSONL {
		return consulta.Errorf(consulta.EINVALID, "export: unknown format")
	}
	contacts := c.Query("contacts") == "1"
	if contacts && !auth.Can(user(c), auth.ViewContacts) {
		return errForbidden
	}
	sf, err := filter.store(w.deps.Location)
	if err != nil {
		return err
	}
	detail := fmt.Sprintf("format=%s contacts=%t filter=%s", format, contacts, filter.query(""))
	if err := w.audit(c, "export", f.ID, detail); err != nil {
		return err
	}
	name := fmt.Sprintf("%s-%s.%s", f.ID, w.deps.Now().In(w.deps.Location).Format("20060102-1504"), format)
	if format == export.FormatCSV {
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	} else {
		c.Set(fiber.HeaderContentType, "application/jsonl; charset=utf-8")
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	st, logger := w.deps.Store, w.deps.Logger
	c.Context().SetBodyStreamWriter(func(bw *bufio.Writer) {
		ctx, cancel := context.WithTimeout(context.Background(), exportTimeout)
		defer cancel()
		ew, err := export.New(format, bw, f, contacts)
		if err == nil {
			err = st.EachResponse(ctx, sf, nil, func(r *consulta.Response) error {
				var ct *consulta.Contact
				if contacts && r.HasContact {
					ct, err = st.Contact(ctx, r.ID)
					if err != nil && consulta.ErrorCode(err) != consulta.ENOTFOUND {
						return err
					}
				}
				if err := ew.Write(r, ct); err != nil {
					return err
				}
				return bw.Flush()
			})
		}
		if err == nil {
			err = ew.Close()
		}
		if err != nil {
			// The status is already sent: the truncated file is all we can give.
			logger.Error("export stream failed", "form", f.ID, "err", err)
		}
		_ = bw.Flush()
	})
	return nil
}
