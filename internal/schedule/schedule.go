// Package schedule runs Consulta's periodic reports as jobs of the process's
// one gocron v2 scheduler: monthly (for the past month) and biannual (for the
// past semester), at the times of their cron specs (CONSULTA_MONTHLY_CRON and
// CONSULTA_BIANNUAL_CRON, whose defaults config holds) in the configured time
// zone. Each run happens once however many replicas fire it, through a run
// document in MongoDB whose _id is the period. A failed run is retried with
// exponential backoff until it succeeds, and its record says why it failed
// and when it is tried next (History; the workspace's reports page shows
// it). The reports are stored in GridFS (see Archive); a form with no
// responses in the period gets none.
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
	"slices"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jonboulle/clockwork"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/report"
)

// DefaultCatchUp is the cron spec (minute hour day month weekday) of the
// catch-up: every five minutes, off the minute the reports fire at, it starts
// missed runs, retries that are due and abandoned runs.
const DefaultCatchUp = "2-59/5 * * * *"

// Default timings.
const (
	DefaultRetryDelay    = 5 * time.Minute  // after a first failure
	DefaultMaxRetryDelay = 6 * time.Hour    // between two tries, however many failed
	defaultLease         = 10 * time.Minute // renewed every third of it while running
)

// Config tunes the scheduler. The zero value gives the defaults.
type Config struct {
	// Monthly and Biannual are cron specs, required (the app passes
	// config's, which holds their defaults); "-" turns that report off.
	Monthly, Biannual string
	// CatchUp is the cron spec of the check that starts missed runs (all
	// replicas were down at the time), retries failed ones whose next try has
	// come and takes over those whose replica died.
	CatchUp string
	// Location is the time zone of the specs and periods
	// (consulta.DefaultLocation when nil).
	Location *time.Location
	// Forms lists the forms to report on (all forms when empty); Langs the
	// languages of each report (Spanish when empty).
	Forms []string
	Langs []string
	// RetryDelay is the wait before trying a failed run again; it doubles
	// with each failure that follows, up to MaxRetryDelay. A run is tried
	// until it succeeds.
	RetryDelay, MaxRetryDelay time.Duration
	// Lease is how long a replica may hold a run without renewing it.
	Lease time.Duration
	// Owner names this replica in run records (default host-pid-random).
	Owner string
	// Clock is the scheduler's clock (tests use a fake one).
	Clock  clockwork.Clock
	Logger *slog.Logger
	// Observe, when set, is told of every attempt this replica makes at a
	// run: its kind, how long it took and its error (nil when it succeeded;
	// an attempt that could not even claim or record its run failed too).
	// The app records it in metrics.
	Observe func(kind Kind, took time.Duration, err error)
	// LangsFor, when set, adds languages to the reports of a form in runs of
	// a kind: those its e-mail distribution lists are in.
	LangsFor func(ctx context.Context, kind Kind, formID string) ([]string, error)
	// Stored, when set, is told of every run whose reports are all stored,
	// with their ids, before the run is recorded done: the e-mails and
	// webhooks of the reports are enqueued there. Its error fails the
	// attempt, and the retry calls it again, so it must be idempotent.
	Stored func(ctx context.Context, run *Run, reports []string) error
}

func (c Config) withDefaults() (Config, error) {
	if c.Monthly == "" || c.Biannual == "" {
		return c, errors.New(`schedule: the monthly and biannual reports need a cron spec each ("-" turns one off)`)
	}
	if c.CatchUp == "" {
		c.CatchUp = DefaultCatchUp
	}
	if c.Location == nil {
		c.Location = consulta.DefaultLocation()
	}
	if len(c.Langs) == 0 {
		c.Langs = []string{"es"}
	}
	if c.RetryDelay <= 0 {
		c.RetryDelay = DefaultRetryDelay
	}
	if c.MaxRetryDelay <= 0 {
		c.MaxRetryDelay = DefaultMaxRetryDelay
	}
	c.MaxRetryDelay = max(c.MaxRetryDelay, c.RetryDelay)
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
	return c, nil
}

// Scheduler fires the scheduled reports. Create it with New, then add its
// jobs to the process's gocron scheduler with Schedule.
type Scheduler struct {
	cfg   Config
	st    Store
	deps  report.Deps
	clock clockwork.Clock
	// jobs are the report jobs and the catch-up, each with its spec parsed
	// once; the catch-up asks the report jobs' specs when they were due.
	jobs    []job
	history *History
	archive *Archive
	log     *slog.Logger
}

// New prepares a scheduler that generates reports with deps and stores them
// and its run records in st. A missing or bad cron spec is an error.
func New(st Store, deps report.Deps, cfg Config) (*Scheduler, error) {
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
	s := &Scheduler{cfg: cfg, st: st, deps: deps, clock: cfg.Clock,
		history: NewHistory(st), archive: NewArchive(st), log: cfg.Logger}
	for _, j := range []struct {
		kind Kind
		spec string
		name string
		task func(context.Context)
	}{
		{Monthly, cfg.Monthly, "report-monthly", func(ctx context.Context) { s.fire(ctx, Monthly) }},
		{Biannual, cfg.Biannual, "report-biannual", func(ctx context.Context) { s.fire(ctx, Biannual) }},
		{"", cfg.CatchUp, "report-catch-up", s.catchUp},
	} {
		if j.spec == "-" {
			continue
		}
		spec, err := parseSpec(j.spec, cfg.Location, s.clock.Now())
		if err != nil {
			return nil, fmt.Errorf("schedule: %s: %w", j.name, err)
		}
		s.jobs = append(s.jobs, job{kind: j.kind, name: j.name, spec: spec, task: j.task})
	}
	return s, nil
}

// Schedule adds the report jobs and the catch-up to jobs, the process's one
// gocron scheduler, whose owner starts it and shuts it down (Shutdown waits
// for a run in progress; one cut short is retried by the catch-up).
func (s *Scheduler) Schedule(jobs gocron.Scheduler) error {
	for _, j := range s.jobs {
		_, err := jobs.NewJob(gocron.CronJob(j.spec.text, false), gocron.NewTask(j.task),
			gocron.WithCronImplementation(j.spec), gocron.WithName(j.name),
			gocron.WithSingletonMode(gocron.LimitModeReschedule))
		if err != nil {
			return fmt.Errorf("schedule: %s: %w", j.name, err)
		}
	}
	return nil
}

// Archive returns the archive where the reports are stored.
func (s *Scheduler) Archive() *Archive { return s.archive }

// fire is the task of a report job: the run of the period just ended.
func (s *Scheduler) fire(ctx context.Context, kind Kind) {
	p, err := PeriodBefore(kind, s.clock.Now(), s.cfg.Location)
	if err != nil {
		s.log.Error("schedule: period", "kind", kind, "err", err)
		return
	}
	// Execute logs a failure itself.
	if run, err := s.Execute(ctx, p); run == nil && err == nil {
		s.log.Info("schedule: run left to another replica", "run", p.ID, "owner", s.cfg.Owner)
	}
}

// Execute runs the reports of period p unless another replica has (or is
// doing it), or its next try has not come: it claims the run, generates a
// report per form and language, stores each in the archive and records the
// outcome. It returns the run record, or (nil, nil) when the run was not
// this replica's to do now. A failed run is recorded with its next try,
// which the catch-up honours; every failure is logged and observed.
func (s *Scheduler) Execute(ctx context.Context, p Period) (*Run, error) {
	started := s.clock.Now()
	run, err := s.claim(ctx, p)
	if errors.Is(err, errTaken) {
		return nil, nil
	}
	if err == nil {
		err = s.attempt(ctx, run, p)
	}
	if err != nil {
		s.logFailure(p, run, err)
	}
	if s.cfg.Observe != nil {
		s.cfg.Observe(p.Kind, s.clock.Since(started), err)
	}
	return run, err
}

// logFailure logs a failed attempt; run is nil when it could not be claimed.
func (s *Scheduler) logFailure(p Period, run *Run, err error) {
	if run == nil {
		s.log.Error("schedule: run not started", "run", p.ID, "err", err)
		return
	}
	s.log.Error("schedule: run failed", "run", run.ID, "attempt", run.Attempts, "reason", run.LastReason,
		"next_try", run.NextTry, "err", err)
}

// attempt generates the reports of a claimed run and records the outcome.
func (s *Scheduler) attempt(ctx context.Context, run *Run, p Period) error {
	s.log.Info("schedule: run started", "run", run.ID, "attempt", run.Attempts, "owner", s.cfg.Owner)
	stopLease := s.keepLease(ctx, run)
	out, genErr := s.generate(ctx, run, p)
	if genErr == nil && s.cfg.Stored != nil && len(out.reports) > 0 {
		genErr = s.cfg.Stored(ctx, run, out.reports)
	}
	stopLease()
	if err := s.finish(ctx, run, out, genErr); err != nil {
		return fmt.Errorf("schedule: record run %s: %w", run.ID, errors.Join(err, genErr))
	}
	if genErr != nil {
		return genErr
	}
	s.log.Info("schedule: run done", "run", run.ID, "reports", len(out.reports), "empty", out.empty)
	return nil
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

// outcome is what an attempt made: the reports stored, and the forms that
// had no responses in the period.
type outcome struct{ reports, empty []string }

// generate makes and stores every report of the run. Reports stored by an
// earlier attempt are kept, not made again, and forms it found empty stay so.
func (s *Scheduler) generate(ctx context.Context, run *Run, p Period) (outcome, error) {
	out := outcome{empty: run.Empty}
	for _, formID := range s.forms() {
		if slices.Contains(out.empty, formID) {
			continue
		}
		ids, empty, err := s.generateForm(ctx, run, p, formID)
		out.reports = append(out.reports, ids...)
		if err != nil {
			return out, err
		}
		if empty {
			out.empty = append(out.empty, formID)
		}
	}
	return out, nil
}

// forms are the forms the scheduled reports cover.
func (s *Scheduler) forms() []string {
	if len(s.cfg.Forms) > 0 {
		return s.cfg.Forms
	}
	var ids []string
	for _, f := range s.deps.Forms.All() {
		ids = append(ids, f.ID)
	}
	return ids
}

// generateForm makes and stores the reports of one form, one per language,
// and returns their ids; empty when the form had no responses in the period,
// and then nothing is stored.
func (s *Scheduler) generateForm(ctx context.Context, run *Run, p Period, formID string) (ids []string, empty bool, err error) {
	if _, ok := s.deps.Forms.Get(formID); !ok {
		return nil, false, fmt.Errorf("%w: %q", errNoForm, formID)
	}
	langs, err := s.langs(ctx, run.Kind, formID)
	if err != nil {
		return nil, false, err
	}
	for _, lang := range langs {
		id := run.ID + ":" + formID + ":" + lang
		has, err := s.archive.Has(ctx, id)
		if err != nil {
			return ids, false, err
		}
		if !has {
			stored, err := s.generateOne(ctx, run, p, id, formID, lang)
			if err != nil {
				return ids, false, err
			}
			if !stored {
				return nil, true, nil // the count is the same in every language
			}
		}
		ids = append(ids, id)
	}
	return ids, false, nil
}

// langs are the languages of a form's reports in runs of kind: the
// configured ones, then those LangsFor adds.
func (s *Scheduler) langs(ctx context.Context, kind Kind, formID string) ([]string, error) {
	langs := slices.Clone(s.cfg.Langs)
	if s.cfg.LangsFor == nil {
		return langs, nil
	}
	more, err := s.cfg.LangsFor(ctx, kind, formID)
	if err != nil {
		return nil, fmt.Errorf("schedule: languages of %s: %w", formID, err)
	}
	for _, l := range more {
		if !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	return langs, nil
}

// generateOne makes one report and its HTML twin and stores them, unless the form had no
// responses in the period: a PDF of nothing would look like a real report.
func (s *Scheduler) generateOne(ctx context.Context, run *Run, p Period, id, formID, lang string) (bool, error) {
	deps := s.deps
	deps.Now = s.clock.Now
	var buf, html bytes.Buffer
	a, err := report.GenerateTwin(ctx, deps, report.Params{FormID: formID, From: p.From, To: p.To, Lang: lang}, &buf, &html,
		report.TwinOptions{PDFURL: PDFPath(id)}, nil)
	if err != nil {
		return false, fmt.Errorf("report %s: %w", id, err)
	}
	if a.Responses.N == 0 && !a.Responses.Suppressed {
		return false, nil
	}
	meta := StoredReport{
		Kind: string(p.Kind), Run: run.ID, FormID: formID, Lang: lang, From: p.From.UTC(), To: p.To.UTC(),
		Responses: a.Responses.N, Suppressed: a.Responses.Suppressed, K: a.K,
		GeneratedAt: s.clock.Now().UTC(), GeneratedBy: GeneratedAutomatically,
	}
	digest := report.DigestOf(a, deps.Translator, lang, deps.Location)
	meta.Digest = &digest
	return true, s.archive.SaveTwin(ctx, id, meta, buf.Bytes(), html.Bytes())
}

// catchUp starts the run of the latest period of each kind when its time has
// come and it has no record (all replicas were down when it should have
// fired), retries failed runs whose next try has come, of any period, and
// takes over abandoned ones: claim decides.
func (s *Scheduler) catchUp(ctx context.Context) {
	for _, p := range s.catchUpPeriods(ctx) {
		_, _ = s.Execute(ctx, p) // Execute logs a failure itself
	}
}

// catchUpPeriods are the periods the catch-up tries: the latest of each kind
// that is due, then those of the runs a replica may take now.
func (s *Scheduler) catchUpPeriods(ctx context.Context) []Period {
	now := s.clock.Now()
	var periods []Period
	for _, j := range s.jobs {
		if j.kind == "" {
			continue // the catch-up itself
		}
		if p, err := PeriodBefore(j.kind, now, s.cfg.Location); err == nil && due(j.spec, p, now) {
			periods = append(periods, p)
		}
	}
	runs, err := s.history.due(ctx, now)
	if err != nil {
		s.log.Error("schedule: catch-up", "err", err)
	}
	for _, r := range runs {
		if !slices.ContainsFunc(periods, func(p Period) bool { return p.ID == r.ID }) {
			periods = append(periods, r.period())
		}
	}
	return periods
}

// due reports whether the job of spec has fired (or should have) for period
// p by now: its first firing after p ended is past.
func due(spec gocron.Cron, p Period, now time.Time) bool {
	return !spec.Next(p.To.Add(-time.Second)).After(now)
}
