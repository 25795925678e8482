// Package schedule runs Consulta's periodic reports with gocron v2: monthly
// (on the 1st, for the past month) and biannual (in January and July, for the
// past semester), in America/Guatemala by default, with configurable cron
// specs. Each run happens once however many replicas fire it, through a run
// document in MongoDB whose _id is the period; failed runs are retried and
// recorded, and the reports are stored in GridFS (see Archive).
package schedule

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jonboulle/clockwork"
	"github.com/robfig/cron/v3"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/consulta/consulta/internal/report"
	"github.com/consulta/consulta/internal/store"
)

// Default cron specs (minute hour day month weekday), in Config.Location.
const (
	DefaultMonthly  = "0 6 1 * *"      // 06:00 on the 1st of every month
	DefaultBiannual = "0 6 1 1,7 *"    // 06:00 on 1 January and 1 July
	DefaultCatchUp  = "17 * * * *"     // hourly: missed, failed and abandoned runs
	defaultLease    = 10 * time.Minute // renewed every third of it while running
)

// Config tunes the scheduler. The zero value gives the defaults.
type Config struct {
	// Monthly and Biannual are cron specs; "-" turns that report off.
	Monthly, Biannual string
	// CatchUp is the cron spec of the check that starts missed runs (all
	// replicas were down at the time), retries failed ones and takes over
	// those whose replica died.
	CatchUp string
	// Location is the time zone of the specs and periods (America/Guatemala).
	Location *time.Location
	// Forms lists the forms to report on (all forms when empty); Langs the
	// languages of each report (Spanish when empty).
	Forms []string
	Langs []string
	// Attempts bounds the tries of one run (default 3); RetryDelay is the
	// wait before a retry (default 15 minutes).
	Attempts   int
	RetryDelay time.Duration
	// Lease is how long a replica may hold a run without renewing it.
	Lease time.Duration
	// Owner names this replica in run records (default host-pid-random).
	Owner string
	// Clock is the scheduler's clock (tests use a fake one).
	Clock  clockwork.Clock
	Logger *slog.Logger
	// Observe, when set, is told of every attempt this replica makes at a
	// run: its kind, how long it took and its error (nil when it succeeded).
	// The app records it in metrics.
	Observe func(kind Kind, took time.Duration, err error)
}

func (c Config) withDefaults() (Config, error) {
	if c.Monthly == "" {
		c.Monthly = DefaultMonthly
	}
	if c.Biannual == "" {
		c.Biannual = DefaultBiannual
	}
	if c.CatchUp == "" {
		c.CatchUp = DefaultCatchUp
	}
	if c.Location == nil {
		loc, err := time.LoadLocation(report.DefaultTimeZone)
		if err != nil {
			return c, fmt.Errorf("schedule: time zone: %w", err)
		}
		c.Location = loc
	}
	if len(c.Langs) == 0 {
		c.Langs = []string{"es"}
	}
	if c.Attempts <= 0 {
		c.Attempts = 3
	}
	if c.RetryDelay <= 0 {
		c.RetryDelay = 15 * time.Minute
	}
	if c.Lease <= 0 {
		c.Lease = defaultLease
	}
	if c.Owner == "" {
		host, _ := os.Hostname()
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		c.Owner = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
	}
	if c.Clock == nil {
		c.Clock = clockwork.NewRealClock()
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	for _, spec := range []string{c.Monthly, c.Biannual, c.CatchUp} {
		if spec == "-" {
			continue
		}
		if _, err := cron.ParseStandard(spec); err != nil {
			return c, fmt.Errorf("schedule: cron spec %q: %w", spec, err)
		}
	}
	return c, nil
}

// Scheduler fires the scheduled reports. Create it with New, then Start;
// Stop on shutdown.
type Scheduler struct {
	cfg     Config
	st      *store.Store
	deps    report.Deps
	clock   clockwork.Clock
	sched   gocron.Scheduler
	runs    *mongo.Collection
	archive *Archive
	log     *slog.Logger
}

// New prepares a scheduler that generates reports with deps and stores them
// and its run records in st. A bad cron spec is an error.
func New(st *store.Store, deps report.Deps, cfg Config) (*Scheduler, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if deps.Forms == nil || deps.Translator == nil || deps.Source == nil {
		return nil, errors.New("schedule: report dependencies missing (forms, translator, source)")
	}
	if deps.Location == nil {
		deps.Location = cfg.Location
	}
	sched, err := gocron.NewScheduler(gocron.WithLocation(cfg.Location), gocron.WithClock(cfg.Clock),
		gocron.WithStopTimeout(30*time.Second))
	if err != nil {
		return nil, fmt.Errorf("schedule: %w", err)
	}
	s := &Scheduler{cfg: cfg, st: st, deps: deps, clock: cfg.Clock, sched: sched,
		runs: st.DB().Collection(RunsCollection), archive: NewArchive(st), log: cfg.Logger}
	for _, job := range []struct {
		spec string
		name string
		task any
	}{
		{cfg.Monthly, "report-monthly", func(ctx context.Context) { s.fire(ctx, Monthly) }},
		{cfg.Biannual, "report-biannual", func(ctx context.Context) { s.fire(ctx, Biannual) }},
		{cfg.CatchUp, "report-catch-up", s.catchUp},
	} {
		if job.spec == "-" {
			continue
		}
		_, err := sched.NewJob(gocron.CronJob(job.spec, false), gocron.NewTask(job.task),
			gocron.WithName(job.name), gocron.WithSingletonMode(gocron.LimitModeReschedule))
		if err != nil {
			return nil, fmt.Errorf("schedule: %s: %w", job.name, err)
		}
	}
	return s, nil
}

// Start starts firing the jobs.
func (s *Scheduler) Start() { s.sched.Start() }

// Stop stops the jobs and waits for running ones (their context is
// cancelled; an interrupted run is retried later by a replica).
func (s *Scheduler) Stop() error { return s.sched.Shutdown() }

// Archive returns the archive where the reports are stored.
func (s *Scheduler) Archive() *Archive { return s.archive }

// fire is the task of a report job: the run of the period just ended.
func (s *Scheduler) fire(ctx context.Context, kind Kind) {
	p, err := PeriodBefore(kind, s.clock.Now(), s.cfg.Location)
	if err != nil {
		s.log.Error("schedule: period", "kind", kind, "err", err)
		return
	}
	run, err := s.Execute(ctx, p)
	switch {
	case err != nil:
		s.log.Error("schedule: run failed", "run", p.ID, "err", err)
	case run == nil:
		s.log.Info("schedule: run left to another replica", "run", p.ID, "owner", s.cfg.Owner)
	}
}

// Execute runs the reports of period p unless another replica has (or is
// doing it): it claims the run, generates a report per form and language,
// stores each in the archive and records the outcome. It returns the run
// record, or (nil, nil) when the run was not this replica's to do. On failure
// it schedules a retry while attempts are left.
func (s *Scheduler) Execute(ctx context.Context, p Period) (*Run, error) {
	run, err := s.claim(ctx, p)
	if errors.Is(err, errTaken) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	s.log.Info("schedule: run started", "run", run.ID, "attempt", run.Attempts, "owner", s.cfg.Owner)
	started := s.clock.Now()
	stopLease := s.keepLease(ctx, run)
	reports, genErr := s.generate(ctx, run, p)
	stopLease()
	if s.cfg.Observe != nil {
		s.cfg.Observe(p.Kind, s.clock.Since(started), genErr)
	}
	if err := s.finish(ctx, run, reports, genErr); err != nil {
		return run, fmt.Errorf("schedule: record run %s: %w", run.ID, err)
	}
	if genErr != nil {
		if run.Attempts < s.cfg.Attempts {
			s.retryLater(p)
		}
		return run, genErr
	}
	run.Status, run.Reports = StatusDone, reports
	s.log.Info("schedule: run done", "run", run.ID, "reports", len(reports))
	return run, nil
}

// keepLease renews the run's lease while it runs; the returned func stops it.
func (s *Scheduler) keepLease(ctx context.Context, run *Run) func() {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		ticker := s.clock.NewTicker(s.cfg.Lease / 3)
		defer ticker.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-ticker.Chan():
				if ok, err := s.renew(ctx, run); err != nil || !ok {
					s.log.Warn("schedule: lease not renewed", "run", run.ID, "err", err)
				}
			}
		}
	}()
	return func() { cancel(); <-done }
}

// retryLater schedules one more attempt of p after the retry delay.
func (s *Scheduler) retryLater(p Period) {
	at := s.clock.Now().Add(s.cfg.RetryDelay)
	_, err := s.sched.NewJob(gocron.OneTimeJob(gocron.OneTimeJobStartDateTime(at)),
		gocron.NewTask(func(ctx context.Context) {
			if _, err := s.Execute(ctx, p); err != nil {
				s.log.Error("schedule: retry failed", "run", p.ID, "err", err)
			}
		}), gocron.WithName("report-retry-"+p.ID))
	if err != nil {
		s.log.Error("schedule: cannot schedule a retry", "run", p.ID, "err", err)
	}
}

// generate makes and stores every report of the run; reports already stored
// by an earlier attempt are kept, not made again.
func (s *Scheduler) generate(ctx context.Context, run *Run, p Period) ([]string, error) {
	forms := s.cfg.Forms
	if len(forms) == 0 {
		for _, f := range s.deps.Forms.All() {
			forms = append(forms, f.ID)
		}
	}
	var ids []string
	for _, formID := range forms {
		for _, lang := range s.cfg.Langs {
			id := run.ID + ":" + formID + ":" + lang
			has, err := s.archive.Has(ctx, id)
			if err != nil {
				return ids, err
			}
			if !has {
				if err := s.generateOne(ctx, run, p, id, formID, lang); err != nil {
					return ids, err
				}
			}
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func (s *Scheduler) generateOne(ctx context.Context, run *Run, p Period, id, formID, lang string) error {
	deps := s.deps
	deps.Now = s.clock.Now
	var buf bytes.Buffer
	a, err := report.Generate(ctx, deps, report.Params{FormID: formID, From: p.From, To: p.To, Lang: lang}, &buf, nil)
	if err != nil {
		return fmt.Errorf("report %s: %w", id, err)
	}
	meta := StoredReport{
		Kind: string(p.Kind), Run: run.ID, FormID: formID, Lang: lang, From: p.From.UTC(), To: p.To.UTC(),
		Responses: a.Responses.N, Suppressed: a.Responses.Suppressed, K: a.K,
		GeneratedAt: s.clock.Now().UTC(), GeneratedBy: s.cfg.Owner,
	}
	return s.archive.Save(ctx, id, meta, buf.Bytes())
}

// catchUp starts the run of the latest period of each kind when its time has
// come and it has no record (all replicas were down when it should have
// fired), and retries failed or abandoned ones: claim decides.
func (s *Scheduler) catchUp(ctx context.Context) {
	now := s.clock.Now()
	for _, k := range []struct {
		kind Kind
		spec string
	}{{Monthly, s.cfg.Monthly}, {Biannual, s.cfg.Biannual}} {
		if k.spec == "-" {
			continue
		}
		p, err := PeriodBefore(k.kind, now, s.cfg.Location)
		if err != nil || !s.due(k.spec, p, now) {
			continue
		}
		if _, err := s.Execute(ctx, p); err != nil {
			s.log.Error("schedule: catch-up run failed", "run", p.ID, "err", err)
		}
	}
}

// due reports whether the job of spec has fired (or should have) for period
// p by now: its first firing after p ended is past.
func (s *Scheduler) due(spec string, p Period, now time.Time) bool {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return false
	}
	first := sched.Next(p.To.In(s.cfg.Location).Add(-time.Second))
	return !first.After(now)
}
