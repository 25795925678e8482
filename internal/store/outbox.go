package store

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Outbox names a collection of messages waiting to leave Consulta: one
// document per message (an e-mail to one recipient, a webhook delivery to one
// endpoint), whose _id is derived from what it is about, so that enqueuing the
// same message twice stores it once (uniqueness through inserts,
// docs/storage.md). Workers on any replica take due messages one at a time
// with ClaimOutbox, send them, and record the outcome with FinishOutbox
// (docs/integrations.md).
type Outbox string

// The outboxes.
const (
	MailOutbox    Outbox = "mail_outbox"
	WebhookOutbox Outbox = "webhook_outbox"
	// outboxAttemptsName records every attempt of every outbox: the claims
	// that make a message one worker's at a time, and the delivery log.
	outboxAttemptsName = "outbox_attempts"
)

// States of an outbox message.
const (
	OutboxPending = "pending" // waiting for its next try (or being tried)
	OutboxSent    = "sent"    // accepted by the receiving server
	OutboxFailed  = "failed"  // given up: a permanent refusal or too many failures
)

// OutboxItem is one message of an outbox. Data and Body are the sender's:
// what it needs to make the message (a report and a recipient, an endpoint
// and an event) and, for webhooks, the event's JSON.
type OutboxItem struct {
	ID string `bson:"_id"`
	// Group is what the workspace lists messages by (a distribution list,
	// a webhook endpoint); Label what a person reads (a recipient, an event).
	Group string            `bson:"group"`
	Label string            `bson:"label"`
	Data  map[string]string `bson:"data"`
	Body  []byte            `bson:"body,omitempty"`
	State string            `bson:"state"`
	// Attempts counts the claims made; the attempt in hand is number Attempts.
	Attempts int `bson:"attempts"`
	// NextTry is when the message is due: set to the end of the lease while
	// a worker holds it, so that it is due again if that worker dies.
	NextTry   time.Time `bson:"next_try"`
	Owner     string    `bson:"owner,omitempty"`
	CreatedAt time.Time `bson:"created_at"`
	// DoneAt is when it was sent or given up.
	DoneAt    time.Time `bson:"done_at,omitempty"`
	LastError string    `bson:"last_error,omitempty"`
}

// OutboxAttempt is one attempt at a message: its _id, "<outbox>|<item>#<n>",
// is inserted before the attempt starts, so that exactly one worker makes
// attempt n; the outcome is written to it at the end.
type OutboxAttempt struct {
	ID         string    `bson:"_id"`
	Box        Outbox    `bson:"box"`
	Item       string    `bson:"item"`
	Group      string    `bson:"group"`
	Label      string    `bson:"label"`
	Attempt    int       `bson:"attempt"`
	Owner      string    `bson:"owner"`
	StartedAt  time.Time `bson:"started_at"`
	LeaseUntil time.Time `bson:"lease_until"`
	FinishedAt time.Time `bson:"finished_at,omitempty"`
	OK         bool      `bson:"ok"`
	// Detail is what the receiver answered (an SMTP reply, an HTTP status).
	Detail string        `bson:"detail,omitempty"`
	Error  string        `bson:"error,omitempty"`
	Took   time.Duration `bson:"took,omitempty"`
}

func (s *Store) outbox(box Outbox) *mongo.Collection { return s.db.Collection(string(box)) }
func (s *Store) outboxAttempts() *mongo.Collection   { return s.db.Collection(outboxAttemptsName) }

// Enqueue stores a pending message due at it.NextTry (now when zero). It
// reports false, without error, when a message with that _id exists: it was
// enqueued before.
func (s *Store) Enqueue(ctx context.Context, box Outbox, it OutboxItem) (bool, error) {
	it.State, it.Attempts, it.Owner, it.DoneAt, it.LastError = OutboxPending, 0, "", time.Time{}, ""
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
func (s *Store) DueOutbox(ctx context.Context, box Outbox, now time.Time, limit int) ([]string, error) {
	q := docQuery{coll: string(box), conds: []docCond{eq("state", OutboxPending), lte("next_try", storedTime(now))},
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
func (s *Store) OutboxItems(ctx context.Context, box Outbox, state string, limit int) ([]*OutboxItem, error) {
	q := docQuery{coll: string(box), conds: []docCond{eq("state", state)}, sort: "next_try", limit: limit}
	if state != OutboxPending {
		q.sort, q.desc = "done_at", true
	}
	var out []*OutboxItem
	err := s.findDocs(ctx, q, func(doc bson.Raw) error {
		var it OutboxItem
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
func (s *Store) OutboxItem(ctx context.Context, box Outbox, id string) (*OutboxItem, error) {
	var it OutboxItem
	if err := s.findByID(ctx, s.outbox(box), id, &it, string(box)+" item"); err != nil {
		return nil, err
	}
	utcOutboxItem(&it)
	return &it, nil
}

// OutboxAttempts lists the attempts of one group (a webhook endpoint's
// delivery log), the latest first, at most limit.
func (s *Store) OutboxAttempts(ctx context.Context, group string, limit int) ([]*OutboxAttempt, error) {
	q := docQuery{coll: outboxAttemptsName, conds: []docCond{eq("group", group)}, sort: "started_at", desc: true, limit: limit}
	var out []*OutboxAttempt
	err := s.findDocs(ctx, q, func(doc bson.Raw) error {
		var a OutboxAttempt
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
func (s *Store) RetryOutbox(ctx context.Context, box Outbox, id string, now time.Time) error {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	res, err := s.outbox(box).UpdateOne(ctx, bson.D{{Key: fieldID, Value: id}, {Key: "state", Value: OutboxFailed}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "state", Value: OutboxPending}, {Key: "next_try", Value: storedTime(now)},
			{Key: "done_at", Value: time.Time{}}}}})
	if err == nil && res.MatchedCount == 0 {
		err = mongo.ErrNoDocuments
	}
	return wrap(err, "retry %s item %s", box, id)
}

// DeleteOutboxBefore deletes the messages of box sent or given up before
// cutoff, and every attempt started before it; it returns how many messages.
func (s *Store) DeleteOutboxBefore(ctx context.Context, box Outbox, cutoff time.Time) (int64, error) {
	ctx, cancel := s.StreamContext(ctx)
	defer cancel()
	var n int64
	for _, state := range []string{OutboxSent, OutboxFailed} {
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

func utcOutboxItem(it *OutboxItem) {
	it.NextTry, it.CreatedAt, it.DoneAt = it.NextTry.UTC(), it.CreatedAt.UTC(), it.DoneAt.UTC()
}
