package metrics

import (
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
)

// RequestLog decides which requests get a log line; its settings are
// CONSULTA_LOG_SLOW and CONSULTA_LOG_SAMPLE (internal/config holds their
// defaults). Every request is counted in
// consulta_http_request_duration_seconds by method, route and status whatever
// the log says; a line per request cost the heaviest form page a quarter of
// its throughput (docs/performance.md), so the log keeps what a person reads a
// log for:
//
//   - every request answered with a status of 400 or more (warn from 500);
//   - every request slower than Slow (warn; 0 turns this off);
//   - one ordinary request in SampleEvery, with the field sample=SampleEvery
//     so that a reader can scale counts up; 1 logs every request and 0 none;
//   - at the debug level, every request.
type RequestLog struct {
	Logger      *slog.Logger
	Slow        time.Duration
	SampleEvery int

	seen atomic.Uint64 // ordinary requests so far, for the sampling
}

// requestLine is what is known of a request once it is answered.
type requestLine struct {
	route  string
	status int
	took   time.Duration
}

// log writes the request's line if the policy keeps it.
func (l *RequestLog) log(c *fiber.Ctx, r requestLine) {
	if l == nil || l.Logger == nil {
		return
	}
	level, sample, ok := l.level(c, r)
	if !ok {
		return
	}
	path := maskPath(c.Path())
	if len(path) > maxLoggedPath {
		path = path[:maxLoggedPath]
	}
	attrs := []slog.Attr{
		slog.String("method", c.Method()), slog.String("path", path), slog.String("route", r.route),
		slog.Int("status", r.status), slog.Duration("took", r.took),
		slog.Int("bytes", len(c.Response().Body())),
	}
	if sample > 1 {
		attrs = append(attrs, slog.Int("sample", sample))
	}
	l.Logger.LogAttrs(c.Context(), level, "request", attrs...)
}

// level says at which level a request is logged, and whether it is.
func (l *RequestLog) level(c *fiber.Ctx, r requestLine) (level slog.Level, sample int, ok bool) {
	switch {
	case r.status >= fiber.StatusInternalServerError:
		return slog.LevelWarn, 0, true
	case l.Slow > 0 && r.took >= l.Slow:
		return slog.LevelWarn, 0, true
	case r.status >= fiber.StatusBadRequest:
		return slog.LevelInfo, 0, true
	case l.SampleEvery > 0 && l.seen.Add(1)%uint64(l.SampleEvery) == 0:
		return slog.LevelInfo, l.SampleEvery, true
	case l.Logger.Enabled(c.Context(), slog.LevelDebug):
		return slog.LevelDebug, 0, true
	}
	return 0, 0, false
}
