package export

import (
	"io"

	"github.com/xuri/excelize/v2"
)

// WriteTable writes a workbook of one sheet, name, holding header and rows.
// Every cell is a text cell, so that codes keep their leading zeros ("01",
// "0101") when the sheet is opened, copied from or pasted into a template,
// and is defused by Neutralize: no cell is ever a formula.
func WriteTable(w io.Writer, name string, header []string, rows [][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), name); err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": the column stays text when edited
	if err != nil {
		return err
	}
	if err := f.SetColStyle(name, "A:"+colName(len(header)), text); err != nil {
		return err
	}
	for r, rec := range append([][]string{header}, rows...) {
		cell, err := excelize.CoordinatesToCellName(1, r+1)
		if err != nil {
			return err
		}
		values := make([]any, len(rec))
		for i, v := range rec {
			values[i] = Neutralize(v)
		}
		if err := f.SetSheetRow(name, cell, &values); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}

// colName is the letter of column n (1 is "A").
func colName(n int) string {
	name, err := excelize.ColumnNumberToName(max(n, 1))
	if err != nil {
		return "A"
	}
	return name
}
