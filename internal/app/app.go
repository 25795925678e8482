// Package app wires Consulta together: configuration, the store (MongoDB or the
// embedded FerretDB), forms, translations, the HTTP server and background jobs.
// main stays thin; tests boot the whole program through New and Run.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/consulta/consulta/internal/abuse"
	"github.com/consulta/consulta/internal/config"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
	"github.com/consulta/consulta/internal/intake"
	"github.com/consulta/consulta/internal/locale"
	"github.com/consulta/consulta/internal/server"
)

// shutdownGrace bounds how long in-flight requests may take to finish on stop.
const shutdownGrace = 20 * time.Second

// App is the running service.
type App struct {
	cfg    *config.Config
	logger *slog.Logger
	env    *Env
	server *server.Server
	ln     net.Listener
}

// New opens the store, loads forms and translations, records form versions and
// binds the HTTP listener. Anything wrong stops here, with a clear error.
func New(ctx context.Context, cfg *config.Config, logger *slog.Logger) (*App, error) {
	env, err := OpenEnv(ctx, cfg, logger, true)
	if err != nil {
		return nil, err
	}
	a := &App{cfg: cfg, logger: logger, env: env}
	if err := a.init(ctx); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

func (a *App) init(ctx context.Context) error {
	if err := a.env.RecordFormVersions(ctx); err != nil {
		return err
	}
	svc := &intake.Service{Forms: a.env.Forms, Geo: a.env.Geo, Store: a.env.Store, Now: time.Now}
	srv, err := server.New(server.Deps{
		Forms: a.env.Forms, Geo: a.env.Geo, Translator: a.env.Translator,
		Intake: svc, Store: a.env.Store, Logger: a.logger,
		Abuse: abuse.New(abuse.Config{Secret: a.env.SecretKey, RateLimit: a.cfg.RateLimit, MinFillTime: a.cfg.MinFillTime}),
	}, server.Options{BodyLimit: a.cfg.BodyLimit, BaseURL: a.cfg.BaseURL})
	if err != nil {
		return fmt.Errorf("http: %w", err)
	}
	a.server = srv
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return fmt.Errorf("config: CONSULTA_ADDR = %q: %v", a.cfg.Addr, err)
	}
	a.ln = ln
	return nil
}

// Addr is the address the HTTP server listens on (useful with port 0).
func (a *App) Addr() net.Addr { return a.ln.Addr() }

// Run serves until ctx is cancelled, then drains requests in flight.
func (a *App) Run(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- a.server.Serve(a.ln) }()
	a.logger.Info("consulta listening", "addr", a.ln.Addr().String(), "store", a.env.StoreDescription(),
		"forms", len(a.env.Forms.All()))
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := a.server.Shutdown(sctx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// Close releases the store (flushing pending writes) and the embedded server.
func (a *App) Close() error {
	if a.ln != nil {
		a.ln.Close()
	}
	return a.env.Close()
}

// Forms returns the loaded forms.
func (a *App) Forms() *forms.Registry { return a.env.Forms }

// Geo returns the geographic catalog.
func (a *App) Geo() *geo.Catalog { return a.env.Geo }

// Translator returns the translations.
func (a *App) Translator() *locale.Translator { return a.env.Translator }
