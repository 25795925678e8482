package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/consulta/consulta/internal/consulta"
)

// claimTries bounds how many abandoned attempts (a claim whose worker died
// before it could record it) a claim steps over.
const claimTries = 3

// attemptID is the _id of attempt n at item id of box.
func attemptID(box consulta.Outbox, id string, n int) string {
	return fmt.Sprintf("%s|%s#%d", box, id, n)
}

// ClaimOutbox makes the message id of box this owner's for lease, when it is
// pending and due at now, and returns it with Attempts set to the number of
// this attempt; (nil, nil) when it is not due, done, or another worker holds
// it.
//
// Exactly one worker gets each attempt, on MongoDB and on the embedded store
// alike: the claim is the insert of the attempt's document, whose _id names
// the message and the attempt number (FerretDB's findAndModify is a read then
// a write, which two workers can both pass). The message then records the
// attempt and the end of the lease as its next try, so that it is due again
// if the worker dies. An attempt document whose worker died before that step
// has an expired lease and is stepped over.
func (s *Store) ClaimOutbox(ctx context.Context, box consulta.Outbox, id, owner string, lease time.Duration, now time.Time) (*consulta.OutboxItem, error) {
	now = storedTime(now)
	it, err := s.OutboxItem(ctx, box, id)
	if err != nil || it.State != consulta.OutboxPending || it.NextTry.After(now) {
		return nil, ignoreNotFound(err)
	}
	for n := it.Attempts + 1; n <= it.Attempts+claimTries; n++ {
		a := &consulta.OutboxAttempt{ID: attemptID(box, id, n), Box: box, Item: id, Group: it.Group, Label: it.Label, Attempt: n,
			Owner: owner, StartedAt: now, LeaseUntil: now.Add(lease)}
		err := s.insertUnique(ctx, s.outboxAttempts(), a, "outbox attempt")
		if consulta.ErrorCode(err) == consulta.ECONFLICT {
			if live, err := s.attemptLive(ctx, a.ID, now); err != nil || live {
				return nil, err
			}
			continue // abandoned before its worker recorded it
		}
		if err != nil {
			return nil, err
		}
		return s.takeItem(ctx, box, it, n, owner, a.LeaseUntil)
	}
	return nil, nil
}

// attemptLive reports whether the attempt id is held: its lease runs, or it
// finished.
func (s *Store) attemptLive(ctx context.Context, id string, now time.Time) (bool, error) {
	var prev consulta.OutboxAttempt
	if err := s.findByID(ctx, s.outboxAttempts(), id, &prev, "outbox attempt"); err != nil {
		return false, ignoreNotFound(err)
	}
	return prev.LeaseUntil.After(now) || !prev.FinishedAt.IsZero(), nil
}

// takeItem records attempt n, won by owner, on the message.
func (s *Store) takeItem(ctx context.Context, box consulta.Outbox, it *consulta.OutboxItem, n int, owner string, leaseUntil time.Time) (*consulta.OutboxItem, error) {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	res, err := s.outbox(box).UpdateOne(ctx,
		bson.D{{Key: fieldID, Value: it.ID}, {Key: "state", Value: consulta.OutboxPending}, {Key: "attempts", Value: bson.D{{Key: "$lt", Value: n}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "attempts", Value: n}, {Key: "owner", Value: owner},
			{Key: "next_try", Value: leaseUntil}}}})
	if err != nil {
		return nil, wrap(err, "claim %s item %s", box, it.ID)
	}
	if res.MatchedCount == 0 {
		return nil, nil // sent meanwhile, or a later attempt took it
	}
	it.Attempts, it.Owner, it.NextTry = n, owner, leaseUntil
	return it, nil
}

// FinishOutbox records the outcome of the attempt it (as ClaimOutbox
// returned it) on the message and in the attempt log. A worker whose lease
// ran out and whose message a later attempt took changes nothing: the
// message is that attempt's.
func (s *Store) FinishOutbox(ctx context.Context, box consulta.Outbox, it *consulta.OutboxItem, r consulta.OutboxResult, now time.Time) error {
	now = storedTime(now)
	set := bson.D{}
	switch {
	case r.Err == "":
		set = append(set, bson.E{Key: "state", Value: consulta.OutboxSent}, bson.E{Key: "done_at", Value: now},
			bson.E{Key: "last_error", Value: ""})
	case r.NextTry.IsZero():
		set = append(set, bson.E{Key: "state", Value: consulta.OutboxFailed}, bson.E{Key: "done_at", Value: now},
			bson.E{Key: "last_error", Value: r.Err})
	default:
		set = append(set, bson.E{Key: "next_try", Value: storedTime(r.NextTry)}, bson.E{Key: "last_error", Value: r.Err})
	}
	// Recorded even when the worker is stopping: the receiver has answered.
	ctx = context.WithoutCancel(ctx)
	opCtx, cancel := s.OpContext(ctx)
	_, err := s.outbox(box).UpdateOne(opCtx,
		bson.D{{Key: fieldID, Value: it.ID}, {Key: "state", Value: consulta.OutboxPending}, {Key: "attempts", Value: it.Attempts}},
		bson.D{{Key: "$set", Value: set}})
	cancel()
	if err != nil {
		return wrap(err, "finish %s item %s", box, it.ID)
	}
	return s.setByID(ctx, s.outboxAttempts(), attemptID(box, it.ID, it.Attempts), bson.D{
		{Key: "finished_at", Value: now}, {Key: "ok", Value: r.Err == ""}, {Key: "detail", Value: r.Detail},
		{Key: "error", Value: r.Err}, {Key: "took", Value: r.Took},
	}, "outbox attempt")
}

// ignoreNotFound drops ENOTFOUND (a message or attempt that is not there is
// not one to claim).
func ignoreNotFound(err error) error {
	if isNotFound(err) {
		return nil
	}
	return err
}
