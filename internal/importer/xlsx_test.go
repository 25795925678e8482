package importer

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/consulta/consulta/internal/consulta"
)

// workbook writes rows into the first sheet of an XLSX file, each cell as
// typed (a number cell stays a number, as Excel stores "0101" typed in).
func workbook(t *testing.T, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestXLSXImport reads the template filled in Excel and saved as a
// workbook: codes that became numbers, labels and names, choices separated
// by ',' in a cell, a blank row; a misspelt column and a file that only
// looks like a workbook are refused.
func TestXLSXImport(t *testing.T) {
	fx := newFixture(t)
	f := fx.form(t, "necesidades-informacion")
	data := workbook(t,
		[]any{"role", "location.department", "location.municipality", "info_sought"},
		[]any{"Docente", 1, 101, "Matrícula y estudiantes, presupuesto"},
		[]any{},
		[]any{"Madre, padre o encargado", "Sacatepéquez", "Antigua Guatemala", "docentes"},
	)
	rows, res := fx.im.parse(Request{Form: f}, data)
	if len(res.Errors) > 0 || len(rows) != 2 {
		t.Fatalf("problems %v, %d rows", problems(res.Errors), len(rows))
	}
	a := rows[0].response.Answers
	if a["role"] != "docente" || a["location"] != (consulta.Geo{Department: "01", Municipality: "0101"}) ||
		!reflect.DeepEqual(a["info_sought"], []string{"matricula", "presupuesto"}) {
		t.Errorf("row 2: %#v", a)
	}
	if rows[1].line != 4 || rows[1].response.Answers["role"] != "madre_padre_encargado" {
		t.Errorf("row 4: line %d, %#v", rows[1].line, rows[1].response.Answers)
	}

	_, res = fx.im.parse(Request{Form: f}, workbook(t, []any{"role", "edad"}, []any{"docente", 3}))
	if got := problems(res.Errors); !reflect.DeepEqual(got, []problem{{1, "edad", "unknown_column"}}) {
		t.Errorf("a misspelt column in a workbook: %v", got)
	}
	_, res = fx.im.parse(Request{Form: f}, []byte("PK\x03\x04 not a zip at all"))
	if got := problems(res.Errors); !reflect.DeepEqual(got, []problem{{1, "", "bad_xlsx"}}) {
		t.Errorf("a broken workbook: %v", got)
	}
}
