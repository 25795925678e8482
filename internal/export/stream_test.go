package export

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/consulta/consulta/internal/consulta"
)

// job exports n copies of the test response, then fails with failure when
// it is not nil.
func job(n int, failure error) Job {
	return Job{Form: testForm(), Format: FormatCSV,
		Each: func(_ context.Context, fn func(*consulta.Response) error) error {
			for i := range n {
				r, _ := testResponse()
				r.ID = fmt.Sprintf("r%d", i)
				if err := fn(r); err != nil {
					return err
				}
			}
			return failure
		}}
}

// writeLog records each write that reaches it.
type writeLog struct{ writes []string }

func (w *writeLog) Write(p []byte) (int, error) {
	w.writes = append(w.writes, string(p))
	return len(p), nil
}

func TestJobWrite(t *testing.T) {
	storeDown := consulta.Errorf(consulta.EUNAVAILABLE, "store: down")
	t.Run("nothing sent before the first response", func(t *testing.T) {
		var w writeLog
		n, err := job(0, storeDown).Write(context.Background(), &w)
		if !errors.Is(err, storeDown) || n != 0 || len(w.writes) != 0 {
			t.Errorf("n %d err %v, writes %q", n, err, w.writes)
		}
	})
	t.Run("first response sent at once, then the failure", func(t *testing.T) {
		var w writeLog
		n, err := job(5, storeDown).Write(context.Background(), &w)
		if !errors.Is(err, storeDown) || n != 5 {
			t.Fatalf("n %d err %v", n, err)
		}
		if len(w.writes) != 1 || !strings.Contains(w.writes[0], "\nr0,") || strings.Contains(w.writes[0], "\nr1,") {
			t.Errorf("want the header and the first response in one send, got %q", w.writes)
		}
	})
	t.Run("empty export is the header row", func(t *testing.T) {
		var w writeLog
		n, err := job(0, nil).Write(context.Background(), &w)
		if err != nil || n != 0 || len(w.writes) != 1 || !strings.HasPrefix(w.writes[0], "\ufeffid,form,") {
			t.Errorf("n %d err %v writes %q", n, err, w.writes)
		}
	})
	t.Run("contact erased meanwhile", func(t *testing.T) {
		j := job(1, nil)
		j.WithContacts = true
		j.Each = func(_ context.Context, fn func(*consulta.Response) error) error {
			r, _ := testResponse()
			r.HasContact = true
			return fn(r)
		}
		j.Contact = func(context.Context, string) (*consulta.Contact, error) {
			return nil, consulta.Errorf(consulta.ENOTFOUND, "no contact")
		}
		if n, err := j.Write(context.Background(), io.Discard); n != 1 || err != nil {
			t.Errorf("n %d err %v", n, err)
		}
	})
}

func TestStream(t *testing.T) {
	storeDown := consulta.Errorf(consulta.EUNAVAILABLE, "store: down")
	write := func(j Job) WriteFunc {
		return func(w io.Writer) error { _, err := j.Write(context.Background(), w); return err }
	}
	t.Run("failure before the first byte", func(t *testing.T) {
		var aborted []error
		s := StartStream(write(job(0, storeDown)), func(err error) { aborted = append(aborted, err) })
		if err := s.Ready(); !errors.Is(err, storeDown) {
			t.Errorf("Ready: %v", err)
		}
		if len(aborted) != 0 {
			t.Errorf("aborted called: %v", aborted)
		}
	})
	t.Run("failure midway fails the reader", func(t *testing.T) {
		aborted := make(chan error, 1)
		s := StartStream(write(job(3, storeDown)), func(err error) { aborted <- err })
		if err := s.Ready(); err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(s.Body())
		if !errors.Is(err, storeDown) || !bytes.Contains(body, []byte("\nr0,")) {
			t.Errorf("read %d bytes, err %v", len(body), err)
		}
		if err := <-aborted; !errors.Is(err, storeDown) {
			t.Errorf("aborted with %v", err)
		}
	})
	t.Run("complete", func(t *testing.T) {
		s := StartStream(write(job(3, nil)), func(err error) { t.Errorf("aborted: %v", err) })
		if err := s.Ready(); err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(s.Body())
		if err != nil || bytes.Count(body, []byte("\n")) != 4 {
			t.Errorf("err %v body %q", err, body)
		}
	})
	t.Run("client gone is no failure", func(t *testing.T) {
		done := make(chan struct{})
		s := StartStream(func(w io.Writer) error {
			defer close(done)
			for {
				if _, err := w.Write([]byte("x")); err != nil {
					return err
				}
			}
		}, func(err error) { t.Errorf("aborted: %v", err) })
		if err := s.Ready(); err != nil {
			t.Fatal(err)
		}
		_ = s.Body().Close()
		<-done
	})
}

// TestGzippedFailureIsTruncated: a gzip stream cut by a failure does not
// decompress to a shorter file that looks complete.
func TestGzippedFailureIsTruncated(t *testing.T) {
	for _, failure := range []error{nil, errors.New("store: down")} {
		var buf bytes.Buffer
		err := Gzipped(func(w io.Writer) error { _, err := job(3, failure).Write(context.Background(), w); return err })(&buf)
		if !errors.Is(err, failure) {
			t.Fatalf("err %v", err)
		}
		zr, err := gzip.NewReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.ReadAll(zr)
		if complete := err == nil; complete != (failure == nil) {
			t.Errorf("failure %v: decompressing gives %v", failure, err)
		}
	}
}
