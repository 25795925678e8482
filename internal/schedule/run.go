package schedule

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// RunsCollection holds one document per scheduled run: the lease that makes
// each run happen once across replicas, and the run's history.
const RunsCollection = "report_runs"

// Run statuses.
const (
	StatusRunning = "running"
	StatusDone    = "done"
	StatusFailed  = "failed"
)

// Run is the record of one scheduled run. Its _id is the period's ID, so two
// replicas firing for the same period try to insert the same document and
// exactly one succeeds (STORAGE.md: uniqueness through inserts).
type Run struct {
	ID         string     `bson:"_id" json:"id"`
	Kind       Kind       `bson:"kind" json:"kind"`
	From       time.Time  `bson:"from" json:"from"`
	To         time.Time  `bson:"to" json:"to"`
	Status     string     `bson:"status" json:"status"`
	Owner      string     `bson:"owner" json:"owner"`
	Attempts   int        `bson:"attempts" json:"attempts"`
	LeaseUntil time.Time  `bson:"lease_until" json:"lease_until"`
	StartedAt  time.Time  `bson:"started_at" json:"started_at"`
	FinishedAt time.Time  `bson:"finished_at,omitempty" json:"finished_at,omitzero"`
	Errors     []RunError `bson:"errors,omitempty" json:"errors,omitempty"`
	Reports    []string   `bson:"reports,omitempty" json:"reports,omitempty"`
}

// RunError is one failed attempt.
type RunError struct {
	At      time.Time `bson:"at" json:"at"`
	Attempt int       `bson:"attempt" json:"attempt"`
	Message string    `bson:"message" json:"message"`
}

// errTaken says another replica holds the run, or it is done.
var errTaken = errors.New("schedule: run taken or done")

// claim makes this replica the owner of the run of p: by inserting its
// document, or, when it exists, by taking over a failed run with attempts
// left or a running one whose lease expired (its replica died). errTaken
// means someone else has it or it is done.
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
	filter := bson.D{
		{Key: "_id", Value: p.ID},
		{Key: "$or", Value: bson.A{
			bson.D{{Key: "status", Value: StatusFailed}, {Key: "attempts", Value: bson.D{{Key: "$lt", Value: s.cfg.Attempts}}}},
			bson.D{{Key: "status", Value: StatusRunning}, {Key: "lease_until", Value: bson.D{{Key: "$lt", Value: now}}}},
		}},
	}
	update := bson.D{
		{Key: "$set", Value: bson.D{{Key: "status", Value: StatusRunning}, {Key: "owner", Value: s.cfg.Owner}, {Key: "lease_until", Value: now.Add(s.cfg.Lease)}}},
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

// finish records the outcome of an attempt.
func (s *Scheduler) finish(ctx context.Context, run *Run, reports []string, failure error) error {
	now := s.clock.Now().UTC()
	set := bson.D{{Key: "finished_at", Value: now}, {Key: "reports", Value: reports}}
	update := bson.D{}
	if failure == nil {
		set = append(set, bson.E{Key: "status", Value: StatusDone})
	} else {
		set = append(set, bson.E{Key: "status", Value: StatusFailed})
		update = append(update, bson.E{Key: "$push", Value: bson.D{{Key: "errors", Value: RunError{At: now, Attempt: run.Attempts, Message: failure.Error()}}}})
	}
	update = append(bson.D{{Key: "$set", Value: set}}, update...)
	ctx, cancel := s.st.OpContext(context.WithoutCancel(ctx))
	defer cancel()
	_, err := s.runs.UpdateOne(ctx, bson.D{{Key: "_id", Value: run.ID}, {Key: "owner", Value: s.cfg.Owner}}, update)
	return err
}

// Runs returns the run history, newest first (at most limit; 0 = all).
func (s *Scheduler) Runs(ctx context.Context, limit int) ([]Run, error) {
	ctx, cancel := s.st.OpContext(ctx)
	defer cancel()
	opts := options.Find().SetSort(bson.D{{Key: "started_at", Value: -1}})
	if limit > 0 {
		opts.SetLimit(int64(limit))
	}
	cur, err := s.runs.Find(ctx, bson.D{}, opts)
	if err != nil {
		return nil, fmt.Errorf("schedule: runs: %w", err)
	}
	var runs []Run
	if err := cur.All(ctx, &runs); err != nil {
		return nil, fmt.Errorf("schedule: runs: %w", err)
	}
	return runs, nil
}

// Run returns the record of one run (nil, nil when there is none).
func (s *Scheduler) Run(ctx context.Context, id string) (*Run, error) {
	ctx, cancel := s.st.OpContext(ctx)
	defer cancel()
	var r Run
	err := s.runs.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&r)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("schedule: run %s: %w", id, err)
	}
	return &r, nil
}
