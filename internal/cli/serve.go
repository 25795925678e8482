package cli

import (
	"context"

	"github.com/consulta/consulta/internal/app"
)

func runServe(ctx context.Context, args []string, io IO) error {
	cfg, _, err := parse("serve", args, io, nil)
	if err != nil {
		return err
	}
	logger := newLogger(cfg, io.Stderr)
	a, err := app.New(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer a.Close()
	return a.Run(ctx)
}
