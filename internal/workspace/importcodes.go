package workspace

import (
	"bytes"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/export"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/importer"
)

// codeColumn is one question in the import page's "Columnas y códigos
// aceptados": the template's columns that answer it, the question as the
// form asks it, what a cell may hold and, for choices, each option's code
// and text.
type codeColumn struct {
	Columns  []string
	Question string
	Accepts  string
	Options  []option
	// Places links to the sheet of departments and municipalities.
	Places bool
}

// codeColumns lists what the import accepts for each question of f, in p's
// language (the import takes the texts in any of the form's languages).
func (w *Workspace) codeColumns(p *page, f *forms.Form) []codeColumn {
	out := make([]codeColumn, 0, len(f.Questions))
	for _, q := range f.Questions {
		c := codeColumn{Columns: importer.QuestionHeaders(q), Question: p.L.T(f.LabelID(q)), Places: q.Type == forms.TypeGeo}
		switch q.Type {
		case forms.TypeSingle, forms.TypeMultiple:
			for _, o := range q.Options {
				c.Options = append(c.Options, option{Value: o.Value, Label: p.L.T(f.OptionID(q, o.Value))})
			}
			if q.Type == forms.TypeMultiple && q.Other {
				c.Options = append(c.Options, option{Value: forms.OtherValue, Label: p.T("form.other")})
			}
			c.Accepts = p.T("admin.import.accepts." + string(q.Type))
			if q.Type == forms.TypeMultiple && q.Other {
				c.Accepts += " " + p.T("admin.import.accepts.other", "Column", q.OtherID())
			}
		case forms.TypeScale, forms.TypeRating:
			lo, hi := q.ScaleRange()
			c.Accepts = p.T("admin.import.accepts.scale", "Min", lo, "Max", hi)
		case forms.TypeGeo:
			c.Accepts = p.T("admin.import.accepts.geo", "Department", c.Columns[0], "Municipality", c.Columns[1])
		default:
			c.Accepts = p.T("admin.import.accepts." + string(q.Type))
		}
		if q.Required {
			c.Accepts += " " + p.T("admin.import.accepts.required")
		}
		out = append(out, c)
	}
	return out
}

// placesSheet downloads the departments and municipalities with their INE
// codes as an Excel workbook whose cells are text, so that "01" and "0101"
// keep their zeros: what an import's geo columns accept.
func (w *Workspace) placesSheet(c *fiber.Ctx) error {
	p := w.newPage(c, "")
	var rows [][]string
	for _, d := range w.deps.Geo.Departments() {
		for _, m := range d.Municipalities {
			rows = append(rows, []string{d.Code, d.Name, m.Code, m.Name})
		}
	}
	header := []string{p.T("admin.places.department_code"), p.T("admin.places.department"),
		p.T("admin.places.municipality_code"), p.T("admin.places.municipality")}
	var buf bytes.Buffer
	if err := export.WriteTable(&buf, p.T("admin.places.sheet"), header, rows); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, xlsxType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="municipios-ine.xlsx"`)
	return c.Send(buf.Bytes())
}

// placeCounts are the catalog's numbers of departments and municipalities,
// for the link to the sheet.
func (w *Workspace) placeCounts() (deps, muns string) {
	n := 0
	for _, d := range w.deps.Geo.Departments() {
		n += len(d.Municipalities)
	}
	return strconv.Itoa(len(w.deps.Geo.Departments())), strconv.Itoa(n)
}

// templateXLSX downloads the import template of a form as an Excel
// workbook: the same header as the CSV's, every column formatted as text, so
// that codes typed into it keep their leading zeros.
func (w *Workspace) templateXLSX(c *fiber.Ctx) error {
	f, ok := w.deps.Forms.Get(c.Params("form"))
	if !ok {
		return consulta.Errorf(consulta.ENOTFOUND, "form %s", c.Params("form"))
	}
	p := w.newPage(c, "")
	var buf bytes.Buffer
	if err := export.WriteTable(&buf, p.T("admin.import.sheet"), importer.Headers(f), nil); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, xlsxType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+f.ID+`-plantilla.xlsx"`)
	return c.Send(buf.Bytes())
}
