package schedule

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/consulta/consulta/internal/store"
)

// RunsCollection holds one document per scheduled run: the lease that makes
// each run happen once across replicas, and the run's history. Its name is
// declared with every other collection in package store.
const RunsCollection = store.ReportRunsName

// Run statuses.
const (
	StatusRunning = "running"
	StatusDone    = "done"
	// StatusFailed is a run whose last attempt failed: it is tried again at
	// NextTry, and so on until it succeeds.
	StatusFailed = "failed"
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

// claimable selects, among the runs that exist, those a replica may take at
// now: failed ones whose next try has come (records written before next_try
// existed have none, and are due), and running ones whose lease expired (their
// replica died).
func claimable(now time.Time) bson.D {
	return bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "status", Value: StatusFailed}, {Key: "next_try", Value: bson.D{{Key: "$lte", Value: now}}}},
		bson.D{{Key: "status", Value: StatusFailed}, {Key: "next_try", Value: bson.D{{Key: "$exists", Value: false}}}},
		bson.D{{Key: "status", Value: StatusRunning}, {Key: "lease_until", Value: bson.D{{Key: "$lt", Value: now}}}},
	}}}
}

// claim makes this replica the owner of the run of p: by inserting its
// document, or, when it exists, by taking it over when claimable. errTaken
// means it is not this replica's to do now.
func (s *Scheduler) claim(ctx context.Context, p Period) (*Run, error) {
	now := s.clock.Now().UTC()
	run := &Run{
		ID: p.ID, Kind: p.Kind, From: p.From.UTC(), To: p.To.UTC(), Status: StatusRunning,
		Owner: s.cfg.Owner, Attempts: 1, LeaseUntil: now.Add(s.cfg.Lease), StartedAt: now,
	}
	opCtx, cancel := s.st.OpContext(ctx)
	_, err := s.runs.InsertOne(opCtx, run)
	cancel()
	if err == nil {
		return run, nil
	}
	if !mongo.IsDuplicateKeyError(err) {
		return nil, fmt.Errorf("schedule: claim %s: %w", p.ID, err)
	}
	filter := append(bson.D{{Key: "_id", Value: p.ID}}, claimable(now)...)
	update := bson.D{
		{Key: "$set", Value: bson.D{{Key: "status", Value: StatusRunning}, {Key: "owner", Value: s.cfg.Owner},
			{Key: "lease_until", Value: now.Add(s.cfg.Lease)}}},
		{Key: "$inc", Value: bson.D{{Key: "attempts", Value: 1}}},
	}
	opCtx, cancel = s.st.OpContext(ctx)
	defer cancel()
	var taken Run
	err = s.runs.FindOneAndUpdate(opCtx, filter, update, options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&taken)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return nil, errTaken
	case err != nil:
		return nil, fmt.Errorf("schedule: take over %s: %w", p.ID, err)
	}
	return &taken, nil
}

// renew extends the lease of a run this replica owns; false when it lost it.
func (s *Scheduler) renew(ctx context.Context, run *Run) (bool, error) {
	ctx, cancel := s.st.OpContext(ctx)
	defer cancel()
	res, err := s.runs.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: run.ID}, {Key: "owner", Value: s.cfg.Owner}, {Key: "status", Value: StatusRunning}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "lease_until", Value: s.clock.Now().UTC().Add(s.cfg.Lease)}}}})
	if err != nil {
		return false, err
	}
	return res.MatchedCount == 1, nil
}

// finish records the outcome of an attempt in run and in its document: done,
// or failed with its error and the time of the next try.
func (s *Scheduler) finish(ctx context.Context, run *Run, out outcome, failure error) error {
	now := s.clock.Now().UTC()
	run.FinishedAt, run.Reports, run.Empty = now, out.reports, out.empty
	set := bson.D{{Key: "finished_at", Value: now}, {Key: "reports", Value: out.reports}, {Key: "empty", Value: out.empty}}
	update := bson.D{}
	if failure == nil {
		run.Status, run.NextTry = StatusDone, time.Time{}
		set = append(set, bson.E{Key: "status", Value: StatusDone})
		update = append(update, bson.E{Key: "$unset", Value: bson.D{{Key: "next_try", Value: ""}}})
	} else {
		run.Status, run.NextTry = StatusFailed, now.Add(s.backoff(run.Attempts))
		run.LastError, run.LastReason = failure.Error(), reasonOf(failure)
		run.Errors = append(run.Errors, RunError{At: now, Attempt: run.Attempts, Message: run.LastError})
		run.Errors = run.Errors[max(0, len(run.Errors)-errorsKept):]
		set = append(set, bson.E{Key: "status", Value: StatusFailed}, bson.E{Key: "next_try", Value: run.NextTry},
			bson.E{Key: "last_error", Value: run.LastError}, bson.E{Key: "last_reason", Value: run.LastReason},
			bson.E{Key: "errors", Value: run.Errors})
	}
	update = append(bson.D{{Key: "$set", Value: set}}, update...)
	// Recorded even when the run was cut short by a shutdown.
	ctx, cancel := s.st.OpContext(context.WithoutCancel(ctx))
	defer cancel()
	_, err := s.runs.UpdateOne(ctx, bson.D{{Key: "_id", Value: run.ID}, {Key: "owner", Value: s.cfg.Owner}}, update)
	return err
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
