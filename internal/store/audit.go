package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
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

// CommandLineActor is the actor of the entries written by the command line
// (consulta user add), which no account signs in to.
const CommandLineActor = "cli"

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

// AuditEntries returns the entries matching f, newest first (entry IDs start
// with their time, so _id order is time order).
func (s *Store) AuditEntries(ctx context.Context, f AuditFilter) ([]*AuditEntry, error) {
	q := docQuery{coll: auditName, sort: fieldID, desc: true, limit: f.Limit}
	if f.Actor != "" {
		q.conds = append(q.conds, eq("actor", f.Actor))
	}
	if f.Action != "" {
		q.conds = append(q.conds, eq("action", f.Action))
	}
	if !f.From.IsZero() {
		q.conds = append(q.conds, gte("at", f.From))
	}
	if !f.To.IsZero() {
		q.conds = append(q.conds, lt("at", f.To))
	}
	if f.BeforeID != "" {
		q.conds = append(q.conds, lt(fieldID, f.BeforeID))
	}
	if q.limit <= 0 {
		q.limit = 100
	}
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	var out []*AuditEntry
	err := s.backend.find(ctx, q, func(doc bson.Raw) error {
		var e AuditEntry
		if err := bson.Unmarshal(doc, &e); err != nil {
			return wrap(err, "decode audit entry")
		}
		e.At = e.At.UTC()
		out = append(out, &e)
		return nil
	})
	return out, err
}
