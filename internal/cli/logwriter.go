package cli

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// flushingWriter buffers log output and writes it out every interval (and when
// the buffer fills, and on Close). One line per request, each written with its
// own system call, cost the form pages a quarter of their throughput; buffering
// risks at most an interval of log lines if the process is killed.
type flushingWriter struct {
	mu   sync.Mutex
	buf  *bufio.Writer
	stop chan struct{}
	done chan struct{}
}

func newFlushingWriter(w io.Writer, interval time.Duration) *flushingWriter {
	f := &flushingWriter{buf: bufio.NewWriterSize(w, 64<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go f.loop(interval)
	return f
}

func (f *flushingWriter) loop(interval time.Duration) {
	defer close(f.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			f.flush()
		case <-f.stop:
			f.flush()
			return
		}
	}
}

// Write buffers p (slog calls it once per record).
func (f *flushingWriter) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.buf.Write(p)
}

func (f *flushingWriter) flush() {
	f.mu.Lock()
	defer f.mu.Unlock()
	_ = f.buf.Flush()
}

// Close writes out what is buffered and stops the flusher.
func (f *flushingWriter) Close() error {
	close(f.stop)
	<-f.done
	return nil
}
