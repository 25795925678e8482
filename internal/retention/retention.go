// Package retention deletes contact data (the answers to `personal: true`
// questions) once it is older than the configured retention period. Responses stay:
// they hold no personal data. The job runs daily on the app's gocron scheduler;
// running it on several replicas at once is harmless (the delete is idempotent).
package retention

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/go-co-op/gocron/v2"
)

// DefaultSchedule runs the job every day at 03:15 in the scheduler's time zone,
// away from the monthly and biannual reports.
const DefaultSchedule = "15 3 * * *"

// runTimeout bounds one run; a delete over a large collection can take a while.
const runTimeout = 10 * time.Minute

// ContactDeleter deletes the contacts received before a time (store.Store).
type ContactDeleter interface {
	DeleteContactsBefore(ctx context.Context, t time.Time) (int64, error)
}

// Recorder counts deleted contacts (metrics.Metrics); optional.
type Recorder interface {
	ContactsDeleted(n int64)
}

// Job deletes contacts older than Period.
type Job struct {
	Store   ContactDeleter
	Period  time.Duration
	Now     func() time.Time // default time.Now
	Logger  *slog.Logger     // default: discards
	Metrics Recorder         // may be nil
}

// Run deletes the contacts received before now minus Period and returns how many.
func (j *Job) Run(ctx context.Context) (int64, error) {
	if j.Period <= 0 {
		return 0, fmt.Errorf("retention: period must be positive, got %s", j.Period)
	}
	now := time.Now
	if j.Now != nil {
		now = j.Now
	}
	cutoff := now().Add(-j.Period)
	ctx, cancel := context.WithTimeout(ctx, runTimeout)
	defer cancel()
	n, err := j.Store.DeleteContactsBefore(ctx, cutoff)
	if err != nil {
		j.logger().Error("retention: deleting contacts failed", "before", cutoff.UTC(), "err", err)
		return n, err
	}
	if j.Metrics != nil {
		j.Metrics.ContactsDeleted(n)
	}
	j.logger().Info("retention: contacts deleted", "count", n, "before", cutoff.UTC())
	return n, nil
}

// Schedule adds the job to s on the cron spec (DefaultSchedule when empty), so that
// it runs while s runs and stops when s shuts down.
func (j *Job) Schedule(s gocron.Scheduler, spec string) (gocron.Job, error) {
	return scheduleCron(s, spec, DefaultSchedule, "retention", j.Run)
}

// scheduleCron adds a cleanup to s on spec (def when empty). A run still going
// when the next is due makes it skip, not overlap; errors are logged by run.
func scheduleCron(s gocron.Scheduler, spec, def, name string, run func(context.Context) (int64, error)) (gocron.Job, error) {
	if spec == "" {
		spec = def
	}
	return s.NewJob(gocron.CronJob(spec, false),
		gocron.NewTask(func(ctx context.Context) { _, _ = run(ctx) }),
		gocron.WithName(name),
		gocron.WithSingletonMode(gocron.LimitModeReschedule))
}

func (j *Job) logger() *slog.Logger {
	if j.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return j.Logger
}
