package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
)

// FormatXLSX is an Excel workbook; only Sheet exports are written in it.
const FormatXLSX = "xlsx"

// sheetTime is how a Sheet's CSV writes a time: local, with its offset.
const sheetTime = "2006-01-02 15:04:05-07:00"

// xlsxTime is the number format of times in a workbook (the offset is in
// the column's header: a spreadsheet's date has none).
const xlsxTime = "yyyy-mm-dd hh:mm:ss"

// NewSheet returns a Writer of s's export of f in format: CSV or XLSX.
func NewSheet(format string, w io.Writer, f *forms.Form, withContacts bool, s *Sheet) (Writer, error) {
	cols := s.columns(f, withContacts)
	switch format {
	case FormatCSV:
		return newSheetCSV(w, cols)
	case FormatXLSX:
		return newXLSX(w, cols, s)
	}
	return nil, fmt.Errorf("export: unknown spreadsheet format %q (csv or xlsx)", format)
}

// row is the cells of one response.
func row(cols []sheetColumn, r *consulta.Response, contact *consulta.Contact) []any {
	var fields map[string]any
	if contact != nil {
		fields = contact.Fields
	}
	out := make([]any, len(cols))
	for i, c := range cols {
		out[i] = c.value(r, fields)
	}
	return out
}

type sheetCSV struct {
	w    *csv.Writer
	cols []sheetColumn
}

func newSheetCSV(w io.Writer, cols []sheetColumn) (*sheetCSV, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, err
	}
	sc := &sheetCSV{w: csv.NewWriter(w), cols: cols}
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = Neutralize(c.header)
	}
	return sc, sc.w.Write(header)
}

func (sc *sheetCSV) Write(r *consulta.Response, contact *consulta.Contact) error {
	cells := row(sc.cols, r, contact)
	rec := make([]string, len(cells))
	for i, v := range cells {
		switch x := v.(type) {
		case string:
			rec[i] = Neutralize(x)
		case float64:
			rec[i] = strconv.FormatFloat(x, 'f', -1, 64)
		case time.Time:
			rec[i] = x.Format(sheetTime)
		}
	}
	return sc.w.Write(rec)
}

func (sc *sheetCSV) Flush() error {
	sc.w.Flush()
	return sc.w.Error()
}

func (sc *sheetCSV) Close() error { return sc.Flush() }

// xlsxWriter streams rows into a workbook with excelize's StreamWriter,
// which keeps what it has written in a temporary file past a few megabytes
// rather than in memory. A workbook is a zip archive written whole at the
// end: nothing reaches the destination before Close.
type xlsxWriter struct {
	out       io.Writer
	file      *excelize.File
	sw        *excelize.StreamWriter
	cols      []sheetColumn
	timeStyle int
	next      int // the next row's number
}

func newXLSX(out io.Writer, cols []sheetColumn, s *Sheet) (_ *xlsxWriter, err error) {
	f := excelize.NewFile()
	defer func() {
		if err != nil {
			_ = f.Close()
		}
	}()
	name := s.T("export.sheet")
	if err = f.SetSheetName("Sheet1", name); err != nil {
		return nil, err
	}
	x := &xlsxWriter{out: out, file: f, cols: cols, next: 1}
	if x.timeStyle, err = f.NewStyle(&excelize.Style{CustomNumFmt: ptr(xlsxTime)}); err != nil {
		return nil, err
	}
	if x.sw, err = f.NewStreamWriter(name); err != nil {
		return nil, err
	}
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = Neutralize(c.header)
	}
	return x, x.setRow(header)
}

func ptr[T any](v T) *T { return &v }

func (x *xlsxWriter) setRow(cells []any) error {
	cell, err := excelize.CoordinatesToCellName(1, x.next)
	if err != nil {
		return err
	}
	x.next++
	return x.sw.SetRow(cell, cells)
}

// Write adds a response's row. Every text cell is a string cell (codes keep
// their leading zeros) defused by Neutralize like the CSV's: a string cell
// is never evaluated, but one edited and confirmed in Excel would be.
// No cell is ever written as a formula.
func (x *xlsxWriter) Write(r *consulta.Response, contact *consulta.Contact) error {
	cells := row(x.cols, r, contact)
	for i, v := range cells {
		switch val := v.(type) {
		case string:
			cells[i] = Neutralize(val)
		case time.Time:
			cells[i] = excelize.Cell{StyleID: x.timeStyle, Value: val}
		}
	}
	return x.setRow(cells)
}

// Flush has nothing to pass on: the workbook is written whole by Close.
func (x *xlsxWriter) Flush() error { return nil }

// Close ends the sheet and writes the workbook.
func (x *xlsxWriter) Close() error {
	defer x.file.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	_, err := x.file.WriteTo(x.out)
	return err
}
