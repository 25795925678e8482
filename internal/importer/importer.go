// Package importer reads responses from a CSV file or an Excel workbook
// (XLSX, its first sheet): paper forms typed into a form's template, or the
// CSV export of KoboToolbox for a form collected offline from its XLSForm
// (LayoutKobo, recognised by its _uuid column). An
// import is all or nothing: every row is validated first (with the same
// rules as a web submission) and, if any is wrong, nothing is stored and
// every bad row is listed. A write that fails midway is undone by deleting
// what was written, since there are no transactions to roll back.
package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/intake"
)

// MaxRows bounds one import: the rows are held in memory until all are valid.
const MaxRows = 5000

// MaxBytes bounds the size of one file. A larger one is refused whole rather
// than cut short: a truncated file would silently lose its last rows.
const MaxBytes = 16 << 20

// Store is what an import writes to; *store.Store is one.
type Store interface {
	ExistingResponses(ctx context.Context, ids []string) ([]string, error)
	InsertResponses(ctx context.Context, rs []*consulta.Response, cs []*consulta.Contact) (int, error)
	DeleteResponses(ctx context.Context, ids []string) (int64, error)
}

// Importer imports CSV files.
type Importer struct {
	Store Store
	Geo   forms.GeoChecker
	Now   func() time.Time
	// Translations lets options be written by their label in any of the
	// form's languages; nil reads them by value or Spanish label.
	Translations Translations
}

// Request is one file to import.
type Request struct {
	Form    *forms.Form
	Session string // focus-group code, "" for none
	Lang    string // language of the paper forms ("es" when empty)
	File    io.Reader
}

// RowError is one problem of the file: Row is the line in the spreadsheet
// (the header is row 1); Column is a question ID or a column name; Code is a
// forms validation code or one of this package's ("unknown_column",
// "too_many_rows", "too_large", "bad_csv", "bad_xlsx", "empty",
// "already_imported", and for Kobo exports "missing_uuid", "duplicate_uuid",
// "bad_time"). A refused choice's Params carry the cell as "Value".
type RowError struct {
	Row      int
	Column   string
	Code     string
	Params   map[string]any
	Response string // for already_imported: the stored response
}

// Result says what an import did.
type Result struct {
	Layout string // LayoutTemplate or LayoutKobo
	Rows   int    // data rows read
	Stored int
	// Skipped counts the rows of a Kobo export imported before, which are
	// left alone.
	Skipped int
	// Ignored lists the columns of a Kobo export that answer no question of
	// the form (calculations, questions the form does not have).
	Ignored []string
	Errors  []RowError
}

// Import validates every row of req.File and, when all are valid, stores them
// with channel "import". With row errors it stores nothing and returns them in
// Result.Errors with an EINVALID error. Importing the same template file again
// is refused (already_imported): each row's ID derives from the file's
// content. A Kobo export's rows take their IDs from their _uuid, so that the
// rows imported before are skipped (Result.Skipped) and a newer export of the
// same form, holding the old rows and new ones, adds only the new ones.
func (im *Importer) Import(ctx context.Context, req Request) (Result, error) {
	data, err := io.ReadAll(io.LimitReader(req.File, MaxBytes+1))
	if err != nil {
		return Result{}, err
	}
	if len(data) > MaxBytes {
		res := Result{Errors: []RowError{{Row: 1, Code: "too_large", Params: map[string]any{"MaxMB": MaxBytes >> 20}}}}
		return res, invalid(res)
	}
	rows, res := im.parse(req, data)
	if len(res.Errors) > 0 {
		return res, invalid(res)
	}
	rows, err = im.checkNotImported(ctx, rows, &res)
	if err != nil {
		return res, err
	}
	rs, cs := split(rows)
	n, err := im.Store.InsertResponses(ctx, rs, cs)
	if err != nil {
		// Undo: every ID of this import was new (checked above), so deleting them
		// all removes exactly what this call wrote, contacts included.
		ids := make([]string, len(rs))
		for i, r := range rs {
			ids[i] = r.ID
		}
		if _, derr := im.Store.DeleteResponses(context.WithoutCancel(ctx), ids); derr != nil {
			return res, errors.Join(err, fmt.Errorf("import: undo of %d stored rows failed: %w", n, derr))
		}
		return res, err
	}
	res.Stored = n
	return res, nil
}

func invalid(res Result) error {
	return consulta.Errorf(consulta.EINVALID, "import: %d problems in the file", len(res.Errors))
}

// row is one valid data row, ready to store.
type row struct {
	line     int
	response *consulta.Response
	contact  *consulta.Contact
}

func split(rows []row) ([]*consulta.Response, []*consulta.Contact) {
	rs := make([]*consulta.Response, 0, len(rows))
	var cs []*consulta.Contact
	for _, r := range rows {
		rs = append(rs, r.response)
		if r.contact != nil {
			cs = append(cs, r.contact)
		}
	}
	return rs, cs
}

// checkNotImported finds the rows stored before: a template's are errors
// (the whole file was imported), a Kobo export's are left out and counted.
// It returns the rows to store.
func (im *Importer) checkNotImported(ctx context.Context, rows []row, res *Result) ([]row, error) {
	ids := make([]string, len(rows))
	line := make(map[string]int, len(rows))
	for i, r := range rows {
		ids[i] = r.response.ID
		line[r.response.ID] = r.line
	}
	existing, err := im.Store.ExistingResponses(ctx, ids)
	if err != nil {
		return nil, err
	}
	if res.Layout == LayoutKobo {
		stored := make(map[string]bool, len(existing))
		for _, id := range existing {
			stored[id] = true
		}
		fresh := rows[:0:0]
		for _, r := range rows {
			if !stored[r.response.ID] {
				fresh = append(fresh, r)
			}
		}
		res.Skipped = len(rows) - len(fresh)
		return fresh, nil
	}
	for _, id := range existing {
		res.Errors = append(res.Errors, RowError{Row: line[id], Code: "already_imported", Response: id})
	}
	if len(res.Errors) > 0 {
		return nil, invalid(*res)
	}
	return rows, nil
}

// parse reads and validates every row.
func (im *Importer) parse(req Request, data []byte) ([]row, Result) {
	var res Result
	r, comma, rerr := open(data)
	if rerr != nil {
		res.Errors = append(res.Errors, *rerr)
		return nil, res
	}
	header, err := r.Read()
	if err != nil {
		res.Errors = append(res.Errors, RowError{Row: 1, Code: "empty"})
		return nil, res
	}
	lay := layout{name: LayoutTemplate}
	if isKobo(header) {
		lay = koboLayout(req.Form, header)
		res.Ignored = lay.ignored
	} else {
		var errs []RowError
		if lay.cols, errs = mapColumns(req.Form, header); len(errs) > 0 {
			res.Errors = errs
			return nil, res
		}
	}
	res.Layout = lay.name
	lay.cols = withOptions(lay.cols, im.options(req.Form))
	fileSum := sha256.Sum256(data)
	fileKey := hex.EncodeToString(fileSum[:12])
	now := im.now()
	var rows []row
	keys := map[string]int{} // response key → line, for a _uuid given twice
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			res.Errors = append(res.Errors, RowError{Row: line, Code: "bad_csv", Params: map[string]any{"Detail": err.Error()}})
			return nil, res
		}
		if blank(rec) {
			continue
		}
		res.Rows++
		if res.Rows > MaxRows {
			res.Errors = append(res.Errors, RowError{Row: line, Code: "too_many_rows", Params: map[string]any{"Max": MaxRows}})
			return nil, res
		}
		key, at, rerr := lay.rowMeta(rec, line, fileKey, now)
		if rerr == nil && keys[key] != 0 {
			rerr = &RowError{Row: line, Column: koboUUID, Code: "duplicate_uuid", Params: map[string]any{"First": keys[key]}}
		}
		if rerr != nil {
			res.Errors = append(res.Errors, *rerr)
			continue
		}
		keys[key] = line
		rw, errs := im.row(req, lay.cols, rec, line, key, at, comma)
		if len(errs) > 0 {
			res.Errors = append(res.Errors, errs...)
			continue
		}
		rows = append(rows, rw)
	}
	if res.Rows == 0 && len(res.Errors) == 0 {
		res.Errors = append(res.Errors, RowError{Row: 2, Code: "empty"})
	}
	return rows, res
}

func (im *Importer) now() time.Time {
	if im.Now != nil {
		return im.Now()
	}
	return time.Now()
}

// row validates one record and builds its response, whose ID derives from
// key and which was received at now.
func (im *Importer) row(req Request, cols []column, rec []string, line int, key string, now time.Time, comma rune) (row, []RowError) {
	values := url.Values{}
	for i, c := range cols {
		if i >= len(rec) {
			break
		}
		if c.field == "" {
			continue // a Kobo column that answers nothing
		}
		for _, v := range c.values(rec[i], comma) {
			values.Add(c.field, v)
		}
	}
	f := req.Form
	im.places(f, values)
	answers, personal, fieldErrs := f.Validate(f.DecodeValues(values), im.Geo)
	if len(fieldErrs) > 0 {
		errs := make([]RowError, len(fieldErrs))
		for i, fe := range fieldErrs {
			errs[i] = RowError{Row: line, Column: fe.Question, Code: fe.Code, Params: withCell(fe, cols, rec)}
		}
		return row{}, errs
	}
	lang := req.Lang
	if lang == "" {
		lang = "es"
	}
	id := intake.ResponseID(f.ID, key)
	r := &consulta.Response{ID: id, FormID: f.ID, FormVersion: f.Version, Lang: lang,
		Channel: consulta.ChannelImport, Session: req.Session, ReceivedAt: now, Answers: answers,
		Department: firstDepartment(f, answers), HasContact: len(personal) > 0, Status: consulta.StatusNew}
	if f.WantsReply(answers) {
		r.Reply = consulta.ReplyRequested
	}
	rw := row{line: line, response: r}
	if len(personal) > 0 {
		rw.contact = &consulta.Contact{ID: id, FormID: f.ID, ReceivedAt: now, Fields: personal}
	}
	return rw, nil
}

// firstDepartment is the department of the form's first answered geo question
// (as intake records it).
func firstDepartment(f *forms.Form, answers map[string]any) string {
	for _, q := range f.Questions {
		if g, ok := answers[q.ID].(consulta.Geo); ok && q.Type == forms.TypeGeo {
			return g.Department
		}
	}
	return ""
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// sniffDelimiter picks ';' when the header uses it and not ',' (what Excel
// writes in Spanish-language settings), ',' otherwise.
func sniffDelimiter(text string) rune {
	header, _, _ := strings.Cut(text, "\n")
	if strings.Contains(header, ";") && !strings.Contains(header, ",") {
		return ';'
	}
	return ','
}
