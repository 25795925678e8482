package schedule

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/store"
)

// HTMLBucket is the GridFS bucket of the reports' HTML twins (declared in
// package store with every other collection).
const HTMLBucket = store.ReportHTMLBucket

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
	ctx, cancel := a.st.OpContext(ctx)
	defer cancel()
	// A twin of an earlier attempt whose PDF was never stored.
	if err := a.html.Delete(ctx, id); err != nil && !errors.Is(err, mongo.ErrFileNotFound) {
		return fmt.Errorf("archive: replace html %s: %w", id, err)
	}
	name := meta.FormID + "-" + meta.From.Format("2006-01-02") + "-" + meta.Lang + ".html"
	if err := a.html.UploadFromStreamWithID(ctx, id, name, bytes.NewReader(html)); err != nil {
		return fmt.Errorf("archive: store html %s: %w", id, err)
	}
	return nil
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
	ctx, cancel := context.WithTimeout(ctx, downloadTimeout)
	ds, err := a.html.OpenDownloadStream(ctx, id)
	if err != nil {
		cancel()
		if errors.Is(err, mongo.ErrFileNotFound) {
			return nil, meta, consulta.Errorf(consulta.ENOTFOUND, "archive: no html twin of %s", id)
		}
		return nil, meta, fmt.Errorf("archive: open html %s: %w", id, err)
	}
	return download{ds, cancel}, meta, nil
}
