package schedule

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

// Run statuses.
const (
	StatusRunning = consulta.RunRunning
	StatusDone    = consulta.RunDone
	// StatusFailed is a run whose last attempt failed: it is tried again at
	// NextTry, and so on until it succeeds.
	StatusFailed = consulta.RunFailed
)

// Run is the record of one scheduled run. Its _id is the period's ID, so two
// replicas firing for the same period try to insert the same document and
// exactly one succeeds (uniqueness through inserts, docs/storage.md).
type Run struct {
	ID         string    `bson:"_id" json:"id"`
	Kind       Kind      `bson:"kind" json:"kind"`
	From       time.Time `bson:"from" json:"from"`
	To         time.Time `bson:"to" json:"to"`
	Status     string    `bson:"status" json:"status"`
	Owner      string    `bson:"owner" json:"owner"`
	Attempts   int       `bson:"attempts" json:"attempts"`
	LeaseUntil time.Time `bson:"lease_until" json:"lease_until"`
	StartedAt  time.Time `bson:"started_at" json:"started_at"`
	FinishedAt time.Time `bson:"finished_at,omitempty" json:"finished_at,omitzero"`
	// NextTry is when a failed run is tried again; zero otherwise.
	NextTry time.Time `bson:"next_try,omitempty" json:"next_try,omitzero"`
	// LastError and LastReason describe the last failed attempt: the error as
	// logged, and its Reason for people.
	LastError  string `bson:"last_error,omitempty" json:"last_error,omitempty"`
	LastReason Reason `bson:"last_reason,omitempty" json:"last_reason,omitempty"`
	// Errors are the latest failed attempts, oldest first (at most
	// errorsKept).
	Errors []RunError `bson:"errors,omitempty" json:"errors,omitempty"`
	// Reports are the ids of the stored reports; Empty the forms that had no
	// responses in the period, which get no report.
	Reports []string `bson:"reports,omitempty" json:"reports,omitempty"`
	Empty   []string `bson:"empty,omitempty" json:"empty,omitempty"`
}

// RunError is one failed attempt.
type RunError struct {
	At      time.Time `bson:"at" json:"at"`
	Attempt int       `bson:"attempt" json:"attempt"`
	Message string    `bson:"message" json:"message"`
}

// errorsKept bounds a run's error history: a run retried for days keeps a
// small record.
const errorsKept = 10

// period is the period the run reports on.
func (r *Run) period() Period { return Period{Kind: r.Kind, ID: r.ID, From: r.From, To: r.To} }

// errTaken says another replica holds the run, or it is done, or its next
// try has not come.
var errTaken = errors.New("schedule: run taken, done or not due")

// claim makes this replica the owner of the run of p: by inserting its
// record, or, when it exists, by taking it over when a replica may (failed
// with its next try come, or running with its lease expired; the store's
// TakeOverReportRun). errTaken means it is not this replica's to do now.
func (s *Scheduler) claim(ctx context.Context, p Period) (*Run, error) {
	now := s.clock.Now().UTC()
	run := &Run{
		ID: p.ID, Kind: p.Kind, From: p.From.UTC(), To: p.To.UTC(), Status: StatusRunning,
		Owner: s.cfg.Owner, Attempts: 1, LeaseUntil: now.Add(s.cfg.Lease), StartedAt: now,
	}
	err := s.st.InsertReportRun(ctx, run.ID, run)
	if err == nil {
		return run, nil
	}
	if consulta.ErrorCode(err) != consulta.ECONFLICT {
		return nil, fmt.Errorf("schedule: claim %s: %w", p.ID, err)
	}
	var taken Run
	err = s.st.TakeOverReportRun(ctx, p.ID, s.cfg.Owner, now, now.Add(s.cfg.Lease), &taken)
	switch {
	case consulta.ErrorCode(err) == consulta.ENOTFOUND:
		return nil, errTaken
	case err != nil:
		return nil, fmt.Errorf("schedule: take over %s: %w", p.ID, err)
	}
	return &taken, nil
}

// renew extends the lease of a run this replica owns; false when it lost it.
func (s *Scheduler) renew(ctx context.Context, run *Run) (bool, error) {
	return s.st.RenewReportRun(ctx, run.ID, s.cfg.Owner, s.clock.Now().UTC().Add(s.cfg.Lease))
}

// finish records the outcome of an attempt in run and in its record (unless
// another replica took the run over): done, or failed with its error and the
// time of the next try. The record is written even when the run was cut
// short by a shutdown.
func (s *Scheduler) finish(ctx context.Context, run *Run, out outcome, failure error) error {
	now := s.clock.Now().UTC()
	run.FinishedAt, run.Reports, run.Empty = now, out.reports, out.empty
	if failure == nil {
		run.Status, run.NextTry = StatusDone, time.Time{}
	} else {
		run.Status, run.NextTry = StatusFailed, now.Add(s.backoff(run.Attempts))
		run.LastError, run.LastReason = failure.Error(), reasonOf(failure)
		run.Errors = append(run.Errors, RunError{At: now, Attempt: run.Attempts, Message: run.LastError})
		run.Errors = run.Errors[max(0, len(run.Errors)-errorsKept):]
	}
	return s.st.ReplaceReportRun(ctx, run.ID, s.cfg.Owner, run)
}

// backoff is the wait after the attempts-th failed attempt: RetryDelay,
// doubled after each further failure, at most MaxRetryDelay.
func (s *Scheduler) backoff(attempts int) time.Duration {
	d := s.cfg.RetryDelay
	for i := 1; i < attempts && d < s.cfg.MaxRetryDelay; i++ {
		d *= 2
	}
	return min(d, s.cfg.MaxRetryDelay)
}

// Runs returns the run history, newest first (at most limit; 0 = all).
func (s *Scheduler) Runs(ctx context.Context, limit int) ([]Run, error) {
	return NewHistory(s.st).Recent(ctx, limit)
}

// Run returns the record of one run (nil, nil when there is none).
func (s *Scheduler) Run(ctx context.Context, id string) (*Run, error) {
	return NewHistory(s.st).Get(ctx, id)
}
