package cli

import (
	"context"
	"time"

	"github.com/consulta/consulta/internal/app"
)

// logFlushInterval is how long a log line may wait in the buffer.
const logFlushInterval = 200 * time.Millisecond

func runServe(ctx context.Context, args []string, io IO) error {
	cfg, _, err := parse("serve", args, io, nil)
	if err != nil {
		return err
	}
	logs := newFlushingWriter(io.Stderr, logFlushInterval)
	defer logs.Close()
	logger := newLogger(cfg, logs)
	a, err := app.New(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer a.Close()
	return a.Run(ctx)
}
