package store

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/consulta/consulta/internal/consulta"
)

// The records of the scheduled report runs (package schedule): one document
// per run, whose _id is the period, so that two replicas firing for the same
// period try to insert the same document and exactly one succeeds. The record
// type is schedule's; these methods take and fill it as any value the driver
// encodes, and know only the fields a claim reads: status, owner, next_try,
// lease_until, started_at and from.

func (s *Store) reportRuns() *mongo.Collection { return s.db.Collection(ReportRunsName) }

// InsertReportRun stores a new run record; ECONFLICT when the run has one.
func (s *Store) InsertReportRun(ctx context.Context, id string, run any) error {
	return s.insertUnique(ctx, s.reportRuns(), run, "report run "+id)
}

// claimableRuns selects the runs a replica may take at now: failed ones
// whose next try has come (records written before next_try existed have
// none, and are due), and running ones whose lease expired (their replica
// died).
func claimableRuns(now time.Time) bson.D {
	return bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "status", Value: consulta.RunFailed}, {Key: "next_try", Value: bson.D{{Key: "$lte", Value: now}}}},
		bson.D{{Key: "status", Value: consulta.RunFailed}, {Key: "next_try", Value: bson.D{{Key: "$exists", Value: false}}}},
		bson.D{{Key: "status", Value: consulta.RunRunning}, {Key: "lease_until", Value: bson.D{{Key: "$lt", Value: now}}}},
	}}}
}

// TakeOverReportRun makes owner the holder of run id, leased until
// leaseUntil, when a replica may take it at now (see claimableRuns), counts
// the attempt and decodes the record as it is then into out. ENOTFOUND when
// the run is not to be taken: held by another replica, done, or its next try
// not come.
func (s *Store) TakeOverReportRun(ctx context.Context, id, owner string, now, leaseUntil time.Time, out any) error {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	filter := append(bson.D{{Key: fieldID, Value: id}}, claimableRuns(now.UTC())...)
	update := bson.D{
		{Key: "$set", Value: bson.D{{Key: "status", Value: consulta.RunRunning}, {Key: "owner", Value: owner},
			{Key: "lease_until", Value: leaseUntil.UTC()}}},
		{Key: "$inc", Value: bson.D{{Key: "attempts", Value: 1}}},
	}
	err := s.reportRuns().FindOneAndUpdate(ctx, filter, update,
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(out)
	return wrap(err, "take over report run %s", id)
}

// RenewReportRun extends the lease of run id while owner holds it running;
// false when it lost it.
func (s *Store) RenewReportRun(ctx context.Context, id, owner string, leaseUntil time.Time) (bool, error) {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	res, err := s.reportRuns().UpdateOne(ctx,
		bson.D{{Key: fieldID, Value: id}, {Key: "owner", Value: owner}, {Key: "status", Value: consulta.RunRunning}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "lease_until", Value: leaseUntil.UTC()}}}})
	if err != nil {
		return false, wrap(err, "renew report run %s", id)
	}
	return res.MatchedCount == 1, nil
}

// ReplaceReportRun writes run in place of the record of run id while owner
// holds it; a replica whose run another took over changes nothing. The
// write is made even when ctx is cancelled (a shutdown in the middle of a
// run still records how far it got), within the operation deadline.
func (s *Store) ReplaceReportRun(ctx context.Context, id, owner string, run any) error {
	ctx, cancel := s.OpContext(context.WithoutCancel(ctx))
	defer cancel()
	_, err := s.reportRuns().ReplaceOne(ctx, bson.D{{Key: fieldID, Value: id}, {Key: "owner", Value: owner}}, run)
	return wrap(err, "record report run %s", id)
}

// ReportRun decodes the record of run id into out; ENOTFOUND when there is
// none.
func (s *Store) ReportRun(ctx context.Context, id string, out any) error {
	return s.findByID(ctx, s.reportRuns(), id, out, "report run")
}

// RecentReportRuns decodes the run records into out (a pointer to a slice),
// the latest started first, at most limit (0: all).
func (s *Store) RecentReportRuns(ctx context.Context, limit int, out any) error {
	opts := options.Find().SetSort(bson.D{{Key: "started_at", Value: -1}})
	if limit > 0 {
		opts.SetLimit(int64(limit))
	}
	return s.findRuns(ctx, bson.D{}, opts, out)
}

// OpenReportRuns decodes into out the runs not done: running, or failed and
// waiting for their next try.
func (s *Store) OpenReportRuns(ctx context.Context, out any) error {
	return s.findRuns(ctx, bson.D{{Key: "status", Value: bson.D{{Key: "$ne", Value: consulta.RunDone}}}}, options.Find(), out)
}

// DoneReportRuns decodes into out the limit done runs of the latest periods,
// the latest first.
func (s *Store) DoneReportRuns(ctx context.Context, limit int, out any) error {
	return s.findRuns(ctx, bson.D{{Key: "status", Value: consulta.RunDone}},
		options.Find().SetSort(bson.D{{Key: "from", Value: -1}}).SetLimit(int64(limit)), out)
}

// ClaimableReportRuns decodes into out the runs a replica may take at now
// (see claimableRuns).
func (s *Store) ClaimableReportRuns(ctx context.Context, now time.Time, out any) error {
	return s.findRuns(ctx, claimableRuns(now.UTC()), options.Find(), out)
}

// findRuns decodes the run records matching filter into out, a pointer to a
// slice. There are two a month at most, and a page shows a few dozen, so
// they are read in one go within the operation deadline.
func (s *Store) findRuns(ctx context.Context, filter bson.D, opts *options.FindOptionsBuilder, out any) error {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	cur, err := s.reportRuns().Find(ctx, filter, opts)
	if err != nil {
		return wrap(err, "report runs")
	}
	return wrap(cur.All(ctx, out), "report runs")
}
