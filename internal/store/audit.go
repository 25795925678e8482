package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// AuditEntry is one record of the append-only audit log: who did what to what.
// Its ID starts with the time in hexadecimal nanoseconds, so that the _id
// order is the time order and paging newest-first is a range on _id.
type AuditEntry struct {
	ID     string    `bson:"_id"`
	At     time.Time `bson:"at"`
	Actor  string    `bson:"actor"` // user ID, or the e-mail tried for a failed login
	Role   string    `bson:"role,omitempty"`
	Action string    `bson:"action"` // e.g. "login.success", "export", "contact.view"
	Target string    `bson:"target,omitempty"`
	Detail string    `bson:"detail,omitempty"`
}

// AuditFilter selects audit entries; empty fields do not filter.
type AuditFilter struct {
	Actor, Action string
	From, To      time.Time
	// BeforeID keeps entries older than this ID (paging newest first).
	BeforeID string
	Limit    int // default 100
}

func (s *Store) audit() *mongo.Collection { return s.db.Collection(auditName) }

// NewAuditID returns a time-ordered entry ID for t.
func NewAuditID(t time.Time) string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%016x-%s", t.UnixNano(), hex.EncodeToString(b))
}

// AppendAudit adds an entry to the log. The log has no update or delete: an
// entry, once written, stays.
func (s *Store) AppendAudit(ctx context.Context, e *AuditEntry) error {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	e.At = storedTime(e.At)
	if e.ID == "" {
		e.ID = NewAuditID(e.At)
	}
	return s.insertUnique(ctx, s.audit(), e, "audit entry")
}

// AuditEntries returns the entries matching f, newest first.
func (s *Store) AuditEntries(ctx context.Context, f AuditFilter) ([]*AuditEntry, error) {
	q := bson.D{}
	if f.Actor != "" {
		q = append(q, bson.E{Key: "actor", Value: f.Actor})
	}
	if f.Action != "" {
		q = append(q, bson.E{Key: "action", Value: f.Action})
	}
	at := bson.D{}
	if !f.From.IsZero() {
		at = append(at, bson.E{Key: "$gte", Value: f.From.UTC()})
	}
	if !f.To.IsZero() {
		at = append(at, bson.E{Key: "$lt", Value: f.To.UTC()})
	}
	if len(at) > 0 {
		q = append(q, bson.E{Key: "at", Value: at})
	}
	if f.BeforeID != "" {
		q = append(q, bson.E{Key: "_id", Value: bson.D{{Key: "$lt", Value: f.BeforeID}}})
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetLimit(int64(f.Limit))
	var out []*AuditEntry
	err := s.each(ctx, s.audit(), q, opts, func(cur *mongo.Cursor) error {
		var e AuditEntry
		if err := cur.Decode(&e); err != nil {
			return wrap(err, "decode audit entry")
		}
		e.At = e.At.UTC()
		out = append(out, &e)
		return nil
	})
	return out, err
}
