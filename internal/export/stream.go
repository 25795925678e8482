package export

import (
	"compress/gzip"
	"errors"
	"io"
)

// Where an export failed, for logs and metrics.
const (
	// FailedBeforeFirstByte: nothing was sent; the client gets an error status.
	FailedBeforeFirstByte = "before_first_byte"
	// FailedMidway: the response had begun; the transfer is aborted.
	FailedMidway = "midway"
)

// Stream runs an export in its own goroutine and hands what it writes to an
// HTTP response body through a pipe, so that a failure is never mistaken for
// a complete file: before the first byte the caller still answers with an
// error status (Ready); after it, the body's reader fails with the export's
// error, and the HTTP server aborts the transfer instead of ending it.
type Stream struct {
	body    *io.PipeReader
	started chan struct{} // closed when the first byte is handed over
	done    chan error    // the export's outcome
}

// WriteFunc writes a whole export to w.
type WriteFunc func(w io.Writer) error

// StartStream starts write. aborted, when not nil, is called from write's
// goroutine with write's error when it fails after its first byte was handed
// over; a reader that went away (the client left) is not a failure.
func StartStream(write WriteFunc, aborted func(error)) *Stream {
	pr, pw := io.Pipe()
	s := &Stream{body: pr, started: make(chan struct{}), done: make(chan error, 1)}
	go s.run(write, pw, aborted)
	return s
}

func (s *Stream) run(write WriteFunc, pw *io.PipeWriter, aborted func(error)) {
	fw := &firstByte{w: pw, started: s.started}
	err := write(fw)
	// With nil the reader sees the end of the body; with an error it fails.
	_ = pw.CloseWithError(err)
	if err != nil && fw.wrote && aborted != nil && !errors.Is(err, io.ErrClosedPipe) {
		aborted(err)
	}
	s.done <- err
}

// Ready waits until the export has handed over its first byte (nil: send
// Body) or has ended without any: its error, or nil for an empty body.
func (s *Stream) Ready() error {
	select {
	case <-s.started:
		return nil
	case err := <-s.done:
		if err != nil {
			_ = s.body.Close()
		}
		return err
	}
}

// Body is the response body; the HTTP server closes it.
func (s *Stream) Body() io.ReadCloser { return s.body }

// firstByte signals the first non-empty write.
type firstByte struct {
	w       io.Writer
	started chan struct{}
	wrote   bool
}

func (f *firstByte) Write(p []byte) (int, error) {
	if !f.wrote && len(p) > 0 {
		f.wrote = true
		close(f.started)
	}
	return f.w.Write(p)
}

// Gzipped compresses what write writes. The gzip stream is completed only when
// write succeeds: a failure leaves it truncated, never a valid shorter file.
func Gzipped(write WriteFunc) WriteFunc {
	return func(w io.Writer) error {
		zw := gzip.NewWriter(w)
		if err := write(zw); err != nil {
			return err
		}
		return zw.Close()
	}
}
