package report

import (
	"context"
	"io"

	"github.com/consulta/consulta/internal/pdf"
	"github.com/consulta/consulta/internal/reporthtml"
)

// TwinOptions are what the HTML twin of a report links to.
type TwinOptions struct {
	// PDFURL is where the PDF version is downloaded (no link when empty).
	PDFURL string
	// Stylesheets are the addresses of the house CSS (DefaultStylesheets
	// when empty).
	Stylesheets []string
}

// DefaultStylesheets are where the server serves the house CSS: the site's
// and the workspace's, which styles the twin's tables and key figures.
func DefaultStylesheets() []string { return []string{"/static/consulta.css", "/static/admin.css"} }

// GenerateTwin writes the PDF report of p to pdfW and its accessible HTML
// twin to htmlW. Both are drawn from one computed document, so they cannot
// disagree: the twin has every figure, table and note of the PDF, with
// headings, tables for charts and the document's language.
func GenerateTwin(ctx context.Context, deps Deps, p Params, pdfW, htmlW io.Writer, opt TwinOptions, progress func(done, total int64)) (*Aggregate, error) {
	a, doc, labels, err := compose(ctx, deps, p, progress)
	if err != nil {
		return nil, err
	}
	if err := pdf.Write(pdfW, doc); err != nil {
		return nil, err
	}
	if err := WriteHTML(htmlW, doc, labels, a.K, opt); err != nil {
		return nil, err
	}
	return a, nil
}

// WriteHTML writes the HTML twin of doc, a document made by Document with
// labels and suppression threshold k.
func WriteHTML(w io.Writer, doc *pdf.Document, labels Labels, k int, opt TwinOptions) error {
	return reporthtml.Write(w, doc, twinLabels(labels, k, opt))
}

// twinLabels localizes the texts the HTML page adds to the document's.
func twinLabels(l Labels, k int, opt TwinOptions) reporthtml.Labels {
	t := func(id string, data ...map[string]any) string { return l.Loc.T(id, data...) }
	css := opt.Stylesheets
	if len(css) == 0 {
		css = DefaultStylesheets()
	}
	out := reporthtml.Labels{
		Contents: t("reporthtml.contents"), Category: t("reporthtml.category"), Value: t("reporthtml.value"),
		Period: t("reporthtml.period"), Count: t("reporthtml.count"),
		Suppressed: t("reporthtml.suppressed", map[string]any{"Word": t("report.suppressed"), "K": k}),
		PDF:        t("reporthtml.pdf"), PDFURL: opt.PDFURL, Stylesheets: css,
		Languages: map[string]string{},
	}
	// Languages are named in their own tongue (the language chart): the
	// page marks those names with their language.
	for tag, name := range l.LanguageNames {
		if tag != l.Lang() {
			out.Languages[name] = tag
		}
	}
	return out
}

// GenerateHTML writes only the HTML twin of the report of p (a session
// summary shown in the browser): the same document GenerateTwin draws.
func GenerateHTML(ctx context.Context, deps Deps, p Params, w io.Writer, opt TwinOptions) (*Aggregate, error) {
	a, doc, labels, err := compose(ctx, deps, p, nil)
	if err != nil {
		return nil, err
	}
	return a, WriteHTML(w, doc, labels, a.K, opt)
}
