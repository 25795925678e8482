package schedule

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/consulta/consulta/internal/store"
)

// History reads the run records, on any replica, whether it runs the
// scheduler or not (the workspace's reports page).
type History struct {
	st   *store.Store
	runs *mongo.Collection
}

// NewHistory returns the run history of st.
func NewHistory(st *store.Store) *History {
	return &History{st: st, runs: st.DB().Collection(RunsCollection)}
}

// Recent returns the runs, the latest started first (at most limit; 0 = all).
func (h *History) Recent(ctx context.Context, limit int) ([]Run, error) {
	opts := options.Find().SetSort(bson.D{{Key: "started_at", Value: -1}})
	if limit > 0 {
		opts.SetLimit(int64(limit))
	}
	return h.find(ctx, bson.D{}, opts)
}

// Overview returns what the reports page shows: every run not done (failed
// and waiting for its next try, or running) and the doneLimit latest done
// ones, the latest period first.
func (h *History) Overview(ctx context.Context, doneLimit int) ([]Run, error) {
	open, err := h.find(ctx, bson.D{{Key: "status", Value: bson.D{{Key: "$ne", Value: StatusDone}}}}, options.Find())
	if err != nil {
		return nil, err
	}
	done, err := h.find(ctx, bson.D{{Key: "status", Value: StatusDone}},
		options.Find().SetSort(bson.D{{Key: "from", Value: -1}}).SetLimit(int64(doneLimit)))
	if err != nil {
		return nil, err
	}
	runs := append(open, done...)
	slices.SortStableFunc(runs, func(a, b Run) int { return b.From.Compare(a.From) })
	return runs, nil
}

// due returns the runs that a replica may take at now (see claimable).
func (h *History) due(ctx context.Context, now time.Time) ([]Run, error) {
	return h.find(ctx, claimable(now.UTC()), options.Find())
}

// Get returns the record of one run (nil, nil when there is none).
func (h *History) Get(ctx context.Context, id string) (*Run, error) {
	ctx, cancel := h.st.OpContext(ctx)
	defer cancel()
	var r Run
	err := h.runs.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&r)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("schedule: run %s: %w", id, err)
	}
	return &r, nil
}

func (h *History) find(ctx context.Context, filter bson.D, opts *options.FindOptionsBuilder) ([]Run, error) {
	ctx, cancel := h.st.OpContext(ctx)
	defer cancel()
	cur, err := h.runs.Find(ctx, filter, opts)
	if err != nil {
		return nil, fmt.Errorf("schedule: runs: %w", err)
	}
	var runs []Run
	if err := cur.All(ctx, &runs); err != nil {
		return nil, fmt.Errorf("schedule: runs: %w", err)
	}
	return runs, nil
}
