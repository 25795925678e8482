package export

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestWriteTable: codes come back as the text written, zeros included, a
// cell starting with "=" is no formula, and the columns are formatted as
// text so that Excel keeps what is typed into them.
func TestWriteTable(t *testing.T) {
	var buf bytes.Buffer
	rows := [][]string{{"01", "Guatemala", "0101"}, {"03", "=HYPERLINK(\"x\")", "0301"}}
	if err := WriteTable(&buf, "Municipios", []string{"dep", "name", "mun"}, rows); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := f.GetRows("Municipios", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got[1], []string{"01", "Guatemala", "0101"}) || got[2][0] != "03" {
		t.Errorf("rows %q", got)
	}
	if formula, _ := f.GetCellFormula("Municipios", "B3"); formula != "" || got[2][1] == rows[1][1] {
		t.Errorf("a cell became a formula or was not defused: %q %q", formula, got[2][1])
	}
	if typ, _ := f.GetCellType("Municipios", "C2"); typ == excelize.CellTypeNumber {
		t.Errorf("a code is a number cell")
	}
}
