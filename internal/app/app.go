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
	"net/http"
	"os"
	"time"

	"github.com/go-co-op/gocron/v2"

	"github.com/consulta/consulta/internal/abuse"
	"github.com/consulta/consulta/internal/auth"
	"github.com/consulta/consulta/internal/config"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
	"github.com/consulta/consulta/internal/intake"
	"github.com/consulta/consulta/internal/locale"
	"github.com/consulta/consulta/internal/metrics"
	"github.com/consulta/consulta/internal/opendata"
	"github.com/consulta/consulta/internal/report"
	"github.com/consulta/consulta/internal/retention"
	"github.com/consulta/consulta/internal/schedule"
	"github.com/consulta/consulta/internal/server"
	"github.com/consulta/consulta/internal/store"
	"github.com/consulta/consulta/internal/workspace"
)

// shutdownGrace bounds how long in-flight requests may take to finish on stop.
const shutdownGrace = 20 * time.Second

// jobsStopTimeout bounds how long the scheduler's shutdown waits for running
// jobs (a report run cut short is retried by the catch-up).
const jobsStopTimeout = 30 * time.Second

// App is the running service.
type App struct {
	cfg    *config.Config
	logger *slog.Logger
	env    *Env
	server *server.Server
	ln     net.Listener
	// metrics is this app's Prometheus registry and instruments.
	metrics *metrics.Metrics
	// scheduler is the process's one gocron scheduler: retention, expired
	// login sessions and the scheduled reports' jobs; nil when cfg.Scheduler
	// is off.
	scheduler gocron.Scheduler
	// reports runs the scheduled reports, as jobs of scheduler; nil when
	// cfg.Scheduler is off.
	reports *schedule.Scheduler
	// openData makes the files of /datos in the background; nil when
	// cfg.Scheduler is off.
	openData *opendata.Materializer
	// auth is the workspace's account service (its records expire hourly).
	auth *auth.Service
	// integrations are the e-mailed reports and webhooks (integrations.go).
	integrations *integrations
	// metricsLn and metricsSrv serve /metrics apart from the application
	// port; nil when CONSULTA_METRICS_ADDR is empty.
	metricsLn  net.Listener
	metricsSrv *http.Server
}

// loginCleanup deletes expired login sessions and, with them, expired login
// attempt records, in the hourly session job.
type loginCleanup struct {
	store *store.Store
	auth  *auth.Service
}

// DeleteExpiredLoginSessions implements retention.LoginSessionDeleter.
func (l loginCleanup) DeleteExpiredLoginSessions(ctx context.Context, now time.Time) (int64, error) {
	n, err := l.store.DeleteExpiredLoginSessions(ctx, now)
	if err != nil {
		return n, err
	}
	m, err := l.auth.DeleteExpired(ctx, now)
	return n + m, err
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
	guard := abuse.New(abuse.Config{Secret: a.env.SecretKey, RateLimit: a.cfg.RateLimit,
		MinFillTime: a.cfg.MinFillTime, TokenMaxAge: a.cfg.TokenMaxAge})
	m, err := metrics.New(guard)
	if err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	a.metrics = m
	if err := a.newIntegrations(); err != nil {
		return err
	}
	svc := &intake.Service{Forms: a.env.Forms, Geo: a.env.Geo, Store: m.WrapWriter(a.env.Store), Now: time.Now,
		Sessions: a.env.Store, PageHosts: a.cfg.KeptPageHosts(), Observer: m}
	ws, err := a.newWorkspace(ctx, svc)
	if err != nil {
		return err
	}
	srv, err := server.New(server.Deps{
		Forms: a.env.Forms, Geo: a.env.Geo, Translator: a.env.Translator,
		Intake: svc, Store: m.WrapPinger(a.env.Store), Logger: a.logger,
		Abuse:       guard,
		FocusGroups: a.env.Store,
		Observe: m.Middleware(&metrics.RequestLog{
			Logger: a.logger, Slow: a.cfg.LogSlow, SampleEvery: a.cfg.LogSample,
		}),
		Workspace:   ws.Mount,
		UploadLimit: ws.UploadLimit,
		OpenData:    a.env.Store,
	}, server.Options{BodyLimit: a.cfg.BodyLimit, BaseURL: a.cfg.BaseURL,
		SuppressionK: a.cfg.SuppressionK, Location: a.cfg.Timezone, TrustedProxies: a.cfg.TrustedProxies,
		OrgName: a.cfg.OrgName, OrgLogo: a.env.OrgLogo})
	if err != nil {
		return fmt.Errorf("http: %w", err)
	}
	a.server = srv
	if err := a.newScheduler(); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return fmt.Errorf("config: CONSULTA_ADDR = %q: %v", a.cfg.Addr, err)
	}
	a.ln = ln
	return a.listenMetrics()
}

// listenMetrics binds the metrics listener when CONSULTA_METRICS_ADDR is set.
// /metrics is never served on the application port.
func (a *App) listenMetrics() error {
	if a.cfg.MetricsAddr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", a.cfg.MetricsAddr)
	if err != nil {
		return fmt.Errorf("config: CONSULTA_METRICS_ADDR = %q: %v", a.cfg.MetricsAddr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.metrics.HTTPHandler())
	a.metricsLn = ln
	a.metricsSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	return nil
}

// MetricsAddr is the address of the metrics listener (nil when off).
func (a *App) MetricsAddr() net.Addr {
	if a.metricsLn == nil {
		return nil
	}
	return a.metricsLn.Addr()
}

// metricsAddr describes the metrics listener for the start-up log line.
func metricsAddr(a net.Addr) string {
	if a == nil {
		return "off"
	}
	return a.String()
}

// newWorkspace prepares the /admin workspace: its collections, accounts with
// login throttling, and the focus-group session checks of submissions.
func (a *App) newWorkspace(ctx context.Context, svc *intake.Service) (*workspace.Workspace, error) {
	rules := auth.Policy{SessionIdle: a.cfg.SessionIdle, SessionMax: a.cfg.SessionMax}
	authn := &auth.Service{Store: a.env.Store, Now: time.Now, Secret: []byte(a.env.SecretKey), Policy: rules}
	rules = authn.Rules()
	authn.Throttle = auth.NewThrottle(rules.ClientAttempts, rules.Window)
	authn.Checks = auth.NewCheckLimiter(auth.DefaultCheckSlots(), rules.CheckWait)
	a.auth = authn
	ws, err := workspace.New(workspace.Deps{
		Store: a.env.Store, Auth: authn, Forms: a.env.Forms, Geo: a.env.Geo, Translator: a.env.Translator,
		Intake: svc, BaseURL: a.cfg.BaseURL, Secret: a.env.SecretKey, K: a.cfg.SuppressionK,
		Location: a.cfg.Timezone, Logger: a.logger, Now: time.Now, Reports: a.ReportDeps(),
		ExportFailed: a.metrics.ExportFailed,
		Mailing:      a.integrations.mailing, Webhooks: a.integrations.webhooks,
		Schedule: workspace.ReportSchedule{Monthly: a.cfg.MonthlyCron, Biannual: a.cfg.BiannualCron},
		// The logo file is read (and checked) with the server's, just after.
		OrgName: a.cfg.OrgName, OrgLogo: a.cfg.OrgLogoFile != "",
	})
	if err != nil {
		return nil, fmt.Errorf("workspace: %w", err)
	}
	return ws, nil
}

// newScheduler prepares the background jobs when this replica runs them
// (CONSULTA_SCHEDULER). Run starts them and stops them on shutdown.
func (a *App) newScheduler() error {
	if !a.cfg.Scheduler {
		return nil
	}
	s, err := gocron.NewScheduler(gocron.WithLocation(a.cfg.Timezone), gocron.WithStopTimeout(jobsStopTimeout))
	if err != nil {
		return fmt.Errorf("scheduler: %w", err)
	}
	a.scheduler = s
	job := &retention.Job{Store: a.env.Store, Period: a.cfg.ContactRetention, Logger: a.logger, Metrics: a.metrics}
	if _, err := job.Schedule(s, ""); err != nil {
		return fmt.Errorf("scheduler: retention: %w", err)
	}
	logins := &retention.SessionJob{Store: loginCleanup{a.env.Store, a.auth}, Logger: a.logger}
	if _, err := logins.Schedule(s, ""); err != nil {
		return fmt.Errorf("scheduler: login sessions: %w", err)
	}
	reports, err := schedule.New(a.env.Store, a.ReportDeps(), schedule.Config{
		Monthly: a.cfg.MonthlyCron, Biannual: a.cfg.BiannualCron, Location: a.cfg.Timezone, Logger: a.logger,
		Observe: func(kind schedule.Kind, took time.Duration, err error) { a.metrics.ReportRun(string(kind), took, err) },
		Stored:  a.reportsStored, LangsFor: a.integrations.mailing.LangsFor,
	})
	if err == nil {
		err = reports.Schedule(s)
	}
	if err != nil {
		return fmt.Errorf("scheduler: reports: %w", err)
	}
	a.reports = reports
	if err := a.newIntegrationWorkers(); err != nil {
		return fmt.Errorf("scheduler: e-mail and webhooks: %w", err)
	}
	if a.openData, err = a.newOpenData(); err != nil {
		return err
	}
	return nil
}

// Reports returns the scheduled reports, or nil when this replica does not
// run scheduled jobs (CONSULTA_SCHEDULER=false).
func (a *App) Reports() *schedule.Scheduler { return a.reports }

// ReportDeps is what report generation needs from this app (Env.ReportDeps).
func (a *App) ReportDeps() report.Deps { return a.env.ReportDeps() }

// ReportDeps is what report generation needs: the store as the source of
// responses and of published "you said, we did" actions, forms, translations,
// the catalog, the time zone and the suppression threshold.
func (e *Env) ReportDeps() report.Deps {
	return report.Deps{Source: e.Store, Forms: e.Forms, Translator: e.Translator, Geo: e.Geo,
		Location: e.Config.Timezone, K: e.Config.SuppressionK, Actions: reportActions{e.Store}.Between,
		PageHosts: e.Config.KeptPageHosts(), Org: e.Config.OrgName, OrgLogo: e.OrgLogo,
		Session: sessionLookup{e.Store, e.Geo}.info, SessionK: e.Config.SessionK}
}

// reportActions adapts the store's published actions to the report's.
type reportActions struct{ store *store.Store }

// Between lists the actions of formID published in [from, to), oldest first.
func (r reportActions) Between(ctx context.Context, formID string, from, to time.Time) ([]report.Action, error) {
	acts, err := r.store.ActionsBetween(ctx, formID, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]report.Action, len(acts))
	for i, act := range acts {
		out[i] = report.Action{Date: act.Date, Text: act.Text}
	}
	return out, nil
}

// Metrics returns the app's metrics (report runs are recorded through it).
func (a *App) Metrics() *metrics.Metrics { return a.metrics }

// Addr is the address the HTTP server listens on (useful with port 0).
func (a *App) Addr() net.Addr { return a.ln.Addr() }

// Run serves until ctx is cancelled, then drains requests in flight.
func (a *App) Run(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- a.server.Serve(a.ln) }()
	if a.metricsSrv != nil {
		go func() { _ = a.metricsSrv.Serve(a.metricsLn) }()
		defer a.metricsSrv.Close()
	}
	if a.scheduler != nil {
		a.scheduler.Start()
		a.openData.Start(ctx)
		a.startIntegrations(ctx)
	}
	a.logger.Info("consulta listening", "addr", a.ln.Addr().String(), "metrics", metricsAddr(a.MetricsAddr()), "store", a.env.StoreDescription(),
		"forms", len(a.env.Forms.All()))
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err := a.server.Shutdown(sctx)
	a.stopScheduler()
	if errors.Is(err, context.DeadlineExceeded) {
		// A connection that never sent a request (or a client that will not
		// finish) must not keep the process alive: what was acknowledged is
		// already stored, and Close still flushes the store.
		a.logger.Warn("shutdown grace exceeded; remaining connections are dropped", "grace", shutdownGrace)
		return nil
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	a.logger.Info("stopped: requests drained")
	return nil
}

// stopScheduler stops scheduling and waits for jobs that are running to finish
// (a report interrupted by the wait's end is retried later, see schedule).
func (a *App) stopScheduler() {
	a.stopOpenData()
	a.stopIntegrations()
	if a.scheduler == nil {
		return
	}
	s := a.scheduler
	a.scheduler = nil
	if err := s.Shutdown(); err != nil {
		a.logger.Error("scheduler did not stop cleanly", "err", err)
		return
	}
	a.logger.Info("scheduler stopped")
}

// Close releases the store (flushing pending writes) and the embedded server.
func (a *App) Close() error {
	a.stopScheduler()
	if a.ln != nil {
		a.ln.Close()
	}
	if a.metricsLn != nil {
		a.metricsLn.Close()
	}
	return a.env.Close()
}

// Forms returns the loaded forms.
func (a *App) Forms() *forms.Registry { return a.env.Forms }

// Geo returns the geographic catalog.
func (a *App) Geo() *geo.Catalog { return a.env.Geo }

// Translator returns the translations.
func (a *App) Translator() *locale.Translator { return a.env.Translator }

// maxLogoSize bounds CONSULTA_ORG_LOGO_FILE: a header logo is a few KB, and
// every first visit loads it.
const maxLogoSize = 64 << 10

// readLogo reads the organisation's logo once at start-up ("" is none).
func readLogo(path string) ([]byte, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	switch {
	case err != nil:
		return nil, fmt.Errorf("config: CONSULTA_ORG_LOGO_FILE: %w", err)
	case len(b) > maxLogoSize:
		return nil, fmt.Errorf("config: CONSULTA_ORG_LOGO_FILE = %s: %d bytes, more than %d: use a smaller PNG or an SVG", path, len(b), maxLogoSize)
	}
	return b, nil
}
