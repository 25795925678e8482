package embedded

import (
	"context"
	"log/slog"
)

// quietLogger derives FerretDB's logger from the application's: errors only. At lower
// levels FerretDB writes a line per connection and a long warning for every error
// reply it sends, including one on every client disconnect (endSessions), which would
// drown the application's own logs.
func quietLogger(logger *slog.Logger) *slog.Logger {
	h := minLevelHandler{next: logger.Handler(), min: slog.LevelError}
	return slog.New(h).With(slog.String("component", "ferretdb"))
}

// minLevelHandler passes on only records at or above min.
type minLevelHandler struct {
	next slog.Handler
	min  slog.Level
}

func (h minLevelHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return level >= h.min && h.next.Enabled(ctx, level)
}

func (h minLevelHandler) Handle(ctx context.Context, r slog.Record) error {
	return h.next.Handle(ctx, r)
}

func (h minLevelHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return minLevelHandler{next: h.next.WithAttrs(attrs), min: h.min}
}

func (h minLevelHandler) WithGroup(name string) slog.Handler {
	return minLevelHandler{next: h.next.WithGroup(name), min: h.min}
}
