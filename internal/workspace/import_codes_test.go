package workspace_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/xuri/excelize/v2"
)

// needsSession opens a session of the form necesidades-informacion (a
// multiple question with "other", a geo question) run by facilitator.
func (e *env) needsSession(org, facilitator string) string {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	now := time.Now()
	g := &consulta.FocusGroup{Org: org, Facilitator: facilitator, FormID: "necesidades-informacion", Lang: "es", Date: now,
		Expected: 10, OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(time.Hour)}
	if err := e.store.CreateFocusGroup(ctx, g, func() string { return "NEEDSQ" }); err != nil {
		e.t.Fatal(err)
	}
	return g.Code
}

// TestImportForSpreadsheetUsers plays a facilitator's import over HTTP: the
// accepted-codes list names every column, option code and text (with
// "other"), links the sheet of municipalities, whose codes are text cells;
// a file with English labels, "Otro" and codes without zeros is stored; an
// Excel workbook too; a wrong option is told in the facilitator's words,
// naming the cell; the Excel template, filled in, imports.
func TestImportForSpreadsheetUsers(t *testing.T) {
	e := newEnv(t)
	e.addUser("fa@asoc-a.test", "facilitator", "asoc-a")
	code := e.needsSession("asoc-a", "fa@asoc-a.test")
	fac := e.login("fa@asoc-a.test")
	importPath := "/admin/sessions/" + code + "/import"

	_, page := fac.get(importPath)
	for _, want := range []string{"<code>location.department</code><br><code>location.municipality</code>",
		"<code>info_sought_other</code>", "<code>other</code> · Otro", "<code>docente</code> · Docente",
		`href="/admin/places.xlsx"`, "22 departamentos y 340 municipios", "Obligatoria."} {
		if !strings.Contains(page, want) {
			t.Errorf("the accepted-codes list lacks %q", want)
		}
	}

	res, body := fac.get("/admin/places.xlsx")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("places sheet: %d", res.StatusCode)
	}
	wb, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := wb.GetRows("Municipios", excelize.Options{RawCellValue: true})
	if err != nil || len(rows) != 341 {
		t.Fatalf("places sheet: %v, %d rows, want a header and 340", err, len(rows))
	}
	if strings.Join(rows[1], "|") != "01|Guatemala|0101|Guatemala" {
		t.Errorf("first municipality: %q", rows[1])
	}
	if typ, _ := wb.GetCellType("Municipios", "C2"); typ == excelize.CellTypeNumber {
		t.Errorf("a municipality code is a number cell: Excel drops its zero")
	}

	const header = "role;location.department;location.municipality;info_sought;info_sought_other;formats;frequency;consent\n"
	csv := header + "Teacher;1;101;\"School meals; Otro\";Becas;;;sí\n"
	res, body = fac.upload(importPath, csv)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("labels in English and Otro: %d %s", res.StatusCode, excerptOf(body, "Fila"))
	}

	res, body = fac.upload(importPath, header+"Astronauta;1;101;docentes;;;;sí\n")
	if res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "Fila 2, role: «Astronauta» no es una opción de esta pregunta") {
		t.Errorf("a wrong option: %d %s", res.StatusCode, excerptOf(body, "Fila"))
	}

	// The Excel template: the CSV's header, text columns; filled in and
	// imported back.
	if !strings.Contains(page, `href="/admin/forms/necesidades-informacion/template.xlsx"`) {
		t.Errorf("the import page does not link the Excel template")
	}
	res, body = fac.get("/admin/forms/necesidades-informacion/template.xlsx")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("Excel template: %d", res.StatusCode)
	}
	x, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	sheet := x.GetSheetName(0)
	head, _ := x.GetRows(sheet)
	if len(head) != 1 || strings.Join(head[0][:3], ",") != "role,location.department,location.municipality" {
		t.Fatalf("Excel template header: %q", head)
	}
	col := map[string]string{}
	for i, h := range head[0] {
		col[h], _ = excelize.ColumnNumberToName(i + 1)
	}
	for h, v := range map[string]string{"role": "Docente", "location.department": "03", "location.municipality": "0301",
		"info_sought": "Tasas de cobertura", "consent": "sí"} {
		if err := x.SetCellStr(sheet, col[h]+"2", v); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := x.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if res, body = fac.upload(importPath, buf.String()); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the Excel template filled in: %d %s", res.StatusCode, excerptOf(body, "Fila"))
	}
}
