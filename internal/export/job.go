package export

import (
	"bufio"
	"context"
	"io"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
)

// Job is one export: the responses of Form that Each walks, written in
// Format, with each response's contact data when WithContacts.
type Job struct {
	Form         *forms.Form
	Format       string
	WithContacts bool
	// Each calls fn for every response to export, in order, and stops with
	// fn's first error.
	Each func(ctx context.Context, fn func(*consulta.Response) error) error
	// Contact reads the contact data of a response; used only WithContacts.
	// ENOTFOUND means there is none (retention deleted it meanwhile).
	Contact func(ctx context.Context, id string) (*consulta.Contact, error)
	// Sheet, when set, makes the export for a spreadsheet (CSV or XLSX);
	// without it the CSV is the machine one.
	Sheet *Sheet
}

// Source is where an export reads responses and their contact data;
// *store.Store is one.
type Source interface {
	EachResponse(ctx context.Context, f consulta.ResponseFilter, fields []string, fn func(*consulta.Response) error) error
	Contact(ctx context.Context, id string) (*consulta.Contact, error)
}

// Responses is the export of the responses to f that filter selects, read
// from src: the one way `consulta export` and the workspace's downloads make
// theirs. The filter's form is f whatever it said: the columns are f's.
func Responses(src Source, f *forms.Form, filter consulta.ResponseFilter, format string, withContacts bool) Job {
	filter.FormID = f.ID
	return Job{Form: f, Format: format, WithContacts: withContacts, Contact: src.Contact,
		Each: func(ctx context.Context, fn func(*consulta.Response) error) error {
			return src.EachResponse(ctx, filter, nil, fn)
		}}
}

// bufferSize is what the export holds before passing it on: big enough for
// the byte-order mark and header row of any form, so that nothing reaches
// the destination before the first response.
const bufferSize = 32 << 10

// sendEvery is how old the last send may be, at a response boundary, before
// what is buffered is sent on: the first response goes out at once (a
// download starts as soon as there is something to download), a slow filtered
// export keeps its connection busy, and a fast one goes out in full buffers.
const sendEvery = time.Second

// flusher is a destination that buffers too (gzip.Writer).
type flusher interface{ Flush() error }

// Write writes the export to w and returns how many responses it wrote.
// Nothing reaches w before the first response, or before the end when there
// is none: a failure to start leaves w untouched. When w has a Flush method,
// each send flushes it too.
func (j Job) Write(ctx context.Context, w io.Writer) (int, error) {
	bw := bufio.NewWriterSize(w, bufferSize)
	ew, err := j.writer(bw)
	if err != nil {
		return 0, err
	}
	n := 0
	var sent time.Time
	err = j.Each(ctx, func(r *consulta.Response) error {
		contact, err := j.contact(ctx, r)
		if err != nil {
			return err
		}
		if err := ew.Write(r, contact); err != nil {
			return err
		}
		n++
		if time.Since(sent) < sendEvery {
			return nil
		}
		sent = time.Now()
		return send(ew, bw, w)
	})
	if err == nil {
		err = ew.Close()
	}
	if err == nil {
		err = send(ew, bw, w)
	}
	return n, err
}

// writer is the Writer of the job's format and kind.
func (j Job) writer(w io.Writer) (Writer, error) {
	if j.Sheet != nil {
		return NewSheet(j.Format, w, j.Form, j.WithContacts, j.Sheet)
	}
	return New(j.Format, w, j.Form, j.WithContacts)
}

// contact is the contact data to export with r, if any.
func (j Job) contact(ctx context.Context, r *consulta.Response) (*consulta.Contact, error) {
	if !j.WithContacts || !r.HasContact {
		return nil, nil
	}
	c, err := j.Contact(ctx, r.ID)
	if consulta.ErrorCode(err) == consulta.ENOTFOUND {
		return nil, nil
	}
	return c, err
}

// send passes everything buffered on to w, and through w when it buffers.
func send(ew Writer, bw *bufio.Writer, w io.Writer) error {
	if err := ew.Flush(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if f, ok := w.(flusher); ok {
		return f.Flush()
	}
	return nil
}
