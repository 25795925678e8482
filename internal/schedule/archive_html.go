package schedule

import (
	"context"
	"io"
	"net/url"

	"github.com/consulta/consulta/internal/consulta"
)

// PDFPath and HTMLPath are where the workspace serves a stored report and
// its HTML twin (sign-in required), relative to the public base URL.
func PDFPath(id string) string { return "/admin/reports/download?id=" + url.QueryEscape(id) }

// HTMLPath is where the workspace serves the HTML twin of report id.
func HTMLPath(id string) string { return "/admin/reports/html?id=" + url.QueryEscape(id) }

// SaveTwin stores a report and its accessible HTML twin under id, the twin
// first and then the PDF (marked HTML), so that a stored PDF always has its
// twin. A twin left without its PDF by a failure in between is replaced by
// the next try. Saving an id whose PDF exists is an ECONFLICT error.
func (a *Archive) SaveTwin(ctx context.Context, id string, meta StoredReport, pdf, html []byte) error {
	if has, err := a.Has(ctx, id); err != nil {
		return err
	} else if has {
		return consulta.Errorf(consulta.ECONFLICT, "archive: report %s already stored", id)
	}
	if err := a.saveHTML(ctx, id, meta, html); err != nil {
		return err
	}
	meta.HTML = true
	return a.Save(ctx, id, meta, pdf)
}

func (a *Archive) saveHTML(ctx context.Context, id string, meta StoredReport, html []byte) error {
	name := meta.FormID + "-" + meta.From.Format("2006-01-02") + "-" + meta.Lang + ".html"
	return a.st.ReplaceReportHTML(ctx, id, name, html)
}

// OpenHTML returns the HTML twin of a stored report and the report's
// description. A missing report, or one stored without a twin, is an
// ENOTFOUND error. The caller closes the reader.
func (a *Archive) OpenHTML(ctx context.Context, id string) (io.ReadCloser, StoredReport, error) {
	meta, err := a.Get(ctx, id)
	if err != nil {
		return nil, StoredReport{}, err
	}
	if !meta.HTML {
		return nil, meta, consulta.Errorf(consulta.ENOTFOUND, "archive: report %s has no html twin", id)
	}
	rc, err := a.st.OpenReportHTML(ctx, id)
	if err != nil {
		return nil, meta, err
	}
	return rc, meta, nil
}
