package xlsform

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// This file is the only one that knows the XLSX format (through excelize):
// the rest of the package works on sheets of text cells.

// Limits of the files read: an XLSX is a zip, and a small one can unpack to
// gigabytes.
const (
	// MaxBytes bounds the file itself.
	MaxBytes = 8 << 20
	// maxUnzipped bounds what it unpacks to, and maxSheetXML one sheet.
	maxUnzipped = 64 << 20
	maxSheetXML = 32 << 20
	// maxRows bounds the rows of one sheet.
	maxRows = 5000
)

// sheet is one sheet of an XLSForm: its header row and the rows under it,
// every cell as the text it holds.
type sheet struct {
	name   string
	header []string
	rows   [][]string
}

// workbook is the sheets of an XLSForm by lowercase name.
type workbook map[string]*sheet

// ErrNotXLSX says the file could not be read as a spreadsheet.
var ErrNotXLSX = errors.New("xlsform: not an XLSX file")

// readWorkbook reads every sheet of an XLSX file.
func readWorkbook(r io.Reader) (workbook, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxBytes {
		return nil, fmt.Errorf("%w: larger than %d MB", ErrTooLarge, MaxBytes>>20)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxSheetXML})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotXLSX, err)
	}
	defer f.Close()
	wb := workbook{}
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("%w: sheet %s: %v", ErrNotXLSX, name, err)
		}
		if len(rows) > maxRows+1 {
			return nil, fmt.Errorf("%w: sheet %s has more than %d rows", ErrTooLarge, name, maxRows)
		}
		s := &sheet{name: name}
		if len(rows) > 0 {
			s.header, s.rows = rows[0], rows[1:]
		}
		wb[strings.ToLower(strings.TrimSpace(name))] = s
	}
	return wb, nil
}

// writeWorkbook writes sheets, in the order given, as an XLSX file.
func writeWorkbook(w io.Writer, sheets []*sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName(f.GetSheetName(0), s.name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			return err
		}
		for r, row := range append([][]string{s.header}, s.rows...) {
			cell, err := excelize.CoordinatesToCellName(1, r+1)
			if err != nil {
				return err
			}
			values := make([]any, len(row))
			for i, v := range row {
				values[i] = v
			}
			if err := f.SetSheetRow(s.name, cell, &values); err != nil {
				return err
			}
		}
	}
	_, err := f.WriteTo(w)
	return err
}
