package retention

import (
	"context"
	"log/slog"
	"time"

	"github.com/go-co-op/gocron/v2"
)

// DefaultSessionsSchedule runs the login-session cleanup every hour, at minute 40.
const DefaultSessionsSchedule = "40 * * * *"

// sessionsTimeout bounds one cleanup run.
const sessionsTimeout = 2 * time.Minute

// LoginSessionDeleter deletes workspace login sessions that expired before a
// time (store.Store).
type LoginSessionDeleter interface {
	DeleteExpiredLoginSessions(ctx context.Context, now time.Time) (int64, error)
}

// SessionJob deletes expired workspace login sessions. Signing in already
// refuses them; the cleanup keeps the collection from growing without bound,
// since the embedded store has no TTL indexes to do it.
type SessionJob struct {
	Store  LoginSessionDeleter
	Now    func() time.Time // default time.Now
	Logger *slog.Logger     // default: discards
}

// Run deletes the sessions that expired before now and returns how many.
func (j *SessionJob) Run(ctx context.Context) (int64, error) {
	now := time.Now
	if j.Now != nil {
		now = j.Now
	}
	ctx, cancel := context.WithTimeout(ctx, sessionsTimeout)
	defer cancel()
	log := j.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	n, err := j.Store.DeleteExpiredLoginSessions(ctx, now())
	if err != nil {
		log.Error("retention: deleting expired login sessions failed", "err", err)
		return n, err
	}
	log.Info("retention: expired login sessions deleted", "count", n)
	return n, nil
}

// Schedule adds the job to s on the cron spec (DefaultSessionsSchedule when
// empty). Several replicas running it at once is harmless.
func (j *SessionJob) Schedule(s gocron.Scheduler, spec string) (gocron.Job, error) {
	return scheduleCron(s, spec, DefaultSessionsSchedule, "login-sessions", j.Run)
}
