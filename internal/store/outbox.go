package store

import (
	"context"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Every outbox (consulta.Outbox) is kept in a collection of its name: one
// document per message, whose _id is derived from what it is about, so that
// enqueuing the same message twice stores it once (uniqueness through inserts,
// docs/storage.md).
//
// outboxAttemptsName records every attempt of every outbox: the claims that
// make a message one worker's at a time, and the delivery log.
const outboxAttemptsName = "outbox_attempts"

func (s *Store) outbox(box consulta.Outbox) *mongo.Collection { return s.db.Collection(string(box)) }
func (s *Store) outboxAttempts() *mongo.Collection            { return s.db.Collection(outboxAttemptsName) }

// Enqueue stores a pending message due at it.NextTry (now when zero). It
// reports false, without error, when a message with that _id exists: it was
// enqueued before.
func (s *Store) Enqueue(ctx context.Context, box consulta.Outbox, it consulta.OutboxItem) (bool, error) {
	it.State, it.Attempts, it.Owner, it.DoneAt, it.LastError = consulta.OutboxPending, 0, "", time.Time{}, ""
	it.CreatedAt = storedTime(it.CreatedAt)
	if it.NextTry.IsZero() {
		it.NextTry = it.CreatedAt
	}
	it.NextTry = storedTime(it.NextTry)
	if it.Data == nil {
		it.Data = map[string]string{}
	}
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	_, err := s.outbox(box).InsertOne(ctx, it)
	if mongo.IsDuplicateKeyError(err) {
		return false, nil
	}
	return err == nil, wrap(err, "enqueue in %s", box)
}

// DueOutbox returns the ids of the pending messages due at now, the longest
// waiting first, at most limit.
func (s *Store) DueOutbox(ctx context.Context, box consulta.Outbox, now time.Time, limit int) ([]string, error) {
	q := docQuery{coll: string(box), conds: []docCond{eq("state", consulta.OutboxPending), lte("next_try", storedTime(now))},
		sort: "next_try", limit: limit}
	var ids []string
	err := s.findDocs(ctx, q, func(doc bson.Raw) error {
		if id, ok := doc.Lookup(fieldID).StringValueOK(); ok {
			ids = append(ids, id)
		}
		return nil
	})
	return ids, err
}

// OutboxItems lists the messages of box in state: pending ones by next try,
// sent and failed ones the latest first; at most limit.
func (s *Store) OutboxItems(ctx context.Context, box consulta.Outbox, state string, limit int) ([]*consulta.OutboxItem, error) {
	q := docQuery{coll: string(box), conds: []docCond{eq("state", state)}, sort: "next_try", limit: limit}
	if state != consulta.OutboxPending {
		q.sort, q.desc = "done_at", true
	}
	var out []*consulta.OutboxItem
	err := s.findDocs(ctx, q, func(doc bson.Raw) error {
		var it consulta.OutboxItem
		if err := bson.Unmarshal(doc, &it); err != nil {
			return wrap(err, "decode %s item", box)
		}
		utcOutboxItem(&it)
		out = append(out, &it)
		return nil
	})
	return out, err
}

// OutboxItem returns one message, or ENOTFOUND.
func (s *Store) OutboxItem(ctx context.Context, box consulta.Outbox, id string) (*consulta.OutboxItem, error) {
	var it consulta.OutboxItem
	if err := s.findByID(ctx, s.outbox(box), id, &it, string(box)+" item"); err != nil {
		return nil, err
	}
	utcOutboxItem(&it)
	return &it, nil
}

// OutboxAttempts lists the attempts of one group (a webhook endpoint's
// delivery log), the latest first, at most limit.
func (s *Store) OutboxAttempts(ctx context.Context, group string, limit int) ([]*consulta.OutboxAttempt, error) {
	q := docQuery{coll: outboxAttemptsName, conds: []docCond{eq("group", group)}, sort: "started_at", desc: true, limit: limit}
	var out []*consulta.OutboxAttempt
	err := s.findDocs(ctx, q, func(doc bson.Raw) error {
		var a consulta.OutboxAttempt
		if err := bson.Unmarshal(doc, &a); err != nil {
			return wrap(err, "decode outbox attempt")
		}
		a.StartedAt, a.LeaseUntil, a.FinishedAt = a.StartedAt.UTC(), a.LeaseUntil.UTC(), a.FinishedAt.UTC()
		out = append(out, &a)
		return nil
	})
	return out, err
}

// RetryOutbox makes a failed message pending again, due at now (a person
// asked for it in the workspace). ENOTFOUND when id is not a failed message.
func (s *Store) RetryOutbox(ctx context.Context, box consulta.Outbox, id string, now time.Time) error {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	res, err := s.outbox(box).UpdateOne(ctx, bson.D{{Key: fieldID, Value: id}, {Key: "state", Value: consulta.OutboxFailed}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "state", Value: consulta.OutboxPending}, {Key: "next_try", Value: storedTime(now)},
			{Key: "done_at", Value: time.Time{}}}}})
	if err == nil && res.MatchedCount == 0 {
		err = mongo.ErrNoDocuments
	}
	return wrap(err, "retry %s item %s", box, id)
}

// DeleteOutboxBefore deletes the messages of box sent or given up before
// cutoff, and every attempt started before it; it returns how many messages.
func (s *Store) DeleteOutboxBefore(ctx context.Context, box consulta.Outbox, cutoff time.Time) (int64, error) {
	ctx, cancel := s.StreamContext(ctx)
	defer cancel()
	var n int64
	for _, state := range []string{consulta.OutboxSent, consulta.OutboxFailed} {
		m, err := s.backend.deleteEach(ctx, docQuery{coll: string(box),
			conds: []docCond{eq("state", state), lt("done_at", storedTime(cutoff))}})
		n += m
		if err != nil {
			return n, err
		}
	}
	_, err := s.backend.deleteEach(ctx, docQuery{coll: outboxAttemptsName, conds: []docCond{lt("started_at", storedTime(cutoff))}})
	return n, err
}

// findDocs runs q with the operation deadline.
func (s *Store) findDocs(ctx context.Context, q docQuery, fn func(bson.Raw) error) error {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	return s.backend.find(ctx, q, fn)
}

func utcOutboxItem(it *consulta.OutboxItem) {
	it.NextTry, it.CreatedAt, it.DoneAt = it.NextTry.UTC(), it.CreatedAt.UTC(), it.DoneAt.UTC()
}
