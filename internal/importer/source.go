package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Bounds of a workbook once unzipped: a small file may unzip to a great deal
// (a zip bomb), and excelize's defaults allow gigabytes.
const (
	maxUnzipped = 4 * MaxBytes
	maxSheetXML = 2 * MaxBytes
	xlsxMagic   = "PK\x03\x04"
	xlsxComma   = ';' // a workbook's cells are read as a semicolon file's
)

// source reads a file's records, header first.
type source interface {
	Read() ([]string, error)
}

// open reads data as an Excel workbook (its first sheet) when it is one, as
// CSV otherwise. comma is the CSV's separator, or for a workbook ';', so
// that choices in a cell may be separated by ',' as well as ';'.
func open(data []byte) (src source, comma rune, rerr *RowError) {
	if bytes.HasPrefix(data, []byte(xlsxMagic)) {
		rows, err := xlsxRows(data)
		if err != nil {
			return nil, 0, &RowError{Row: 1, Code: "bad_xlsx", Params: map[string]any{"Detail": err.Error()}}
		}
		return &rowList{rows: rows}, xlsxComma, nil
	}
	text := strings.TrimPrefix(decode(data), "\ufeff")
	r := csv.NewReader(bufio.NewReader(strings.NewReader(text)))
	r.Comma = sniffDelimiter(text)
	r.FieldsPerRecord = -1
	return r, r.Comma, nil
}

// xlsxRows are the rows of the workbook's first sheet as their cells'
// values (a formula's last result, never the formula; numbers as written
// in the file, "3.5", whatever the spreadsheet's language).
func xlsxRows(data []byte) ([][]string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxSheetXML})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.GetRows(f.GetSheetName(0), excelize.Options{RawCellValue: true})
}

// rowList reads rows already in memory.
type rowList struct {
	rows [][]string
	next int
}

func (l *rowList) Read() ([]string, error) {
	if l.next >= len(l.rows) {
		return nil, io.EOF
	}
	l.next++
	return l.rows[l.next-1], nil
}
