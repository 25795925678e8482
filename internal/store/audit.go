package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

func (s *Store) audit() *mongo.Collection { return s.db.Collection(auditName) }

// NewAuditID returns a time-ordered entry ID for t.
func NewAuditID(t time.Time) string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%016x-%s", t.UnixNano(), hex.EncodeToString(b))
}

// AppendAudit adds an entry to the log. The log has no update or delete: an
// entry, once written, stays.
func (s *Store) AppendAudit(ctx context.Context, e *consulta.AuditEntry) error {
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
func (s *Store) AuditEntries(ctx context.Context, f consulta.AuditFilter) ([]*consulta.AuditEntry, error) {
	q := docQuery{coll: auditName, sort: fieldID, desc: true, limit: f.Limit}
	if f.Actor != "" {
		q.conds = append(q.conds, eq("actor", f.Actor))
	}
	if f.Action != "" {
		q.conds = append(q.conds, eq("action", f.Action))
	}
	if f.Target != "" {
		q.conds = append(q.conds, eq("target", f.Target))
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
	var out []*consulta.AuditEntry
	err := s.backend.find(ctx, q, func(doc bson.Raw) error {
		var e consulta.AuditEntry
		if err := bson.Unmarshal(doc, &e); err != nil {
			return wrap(err, "decode audit entry")
		}
		e.At = e.At.UTC()
		out = append(out, &e)
		return nil
	})
	return out, err
}
