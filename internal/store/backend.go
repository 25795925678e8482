package store

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/consulta/consulta/internal/consulta"
)

// backend is the seam between the two stores Consulta runs on: what the
// embedded store cannot do fast through FerretDB, and what MongoDB can do
// better than the embedded store, lives behind it. Everything else (writes,
// lookups by _id, the small workspace collections) is the same driver code for
// both. docs/storage.md, "Backends", says what each implementation does and why.
type backend interface {
	// prepare creates the declared indexes and migrates older layouts. It runs
	// once, at Open, after the collections exist.
	prepare(ctx context.Context) error
	// eachResponse streams the responses matching f's stored fields (not
	// f.Text), oldest first by (received_at, _id). ctx carries the deadline.
	eachResponse(ctx context.Context, f consulta.ResponseFilter, fn func(*consulta.Response) error) error
	// scanNewest walks the responses matching f's stored fields newest first
	// (oldest first when f.OldestFirst) from after (exclusive; the zero key
	// starts at the newest, or the oldest), examining at
	// most budget candidates. visit gets each candidate's key and the response
	// when it matches (nil when a backend examined it and it did not) and
	// returns false to stop. scanNewest reports whether the walk reached the
	// last candidate (not stopped by the budget or by visit).
	scanNewest(ctx context.Context, f consulta.ResponseFilter, after consulta.PageKey, budget int,
		visit func(consulta.PageKey, *consulta.Response) bool) (bool, error)
	// countResponses counts the responses matching f's stored fields. With
	// limit > 0 it may stop early: exact is false when the true count may be
	// larger than n.
	// Conditions checked row by row are checked on at most budget candidates.
	countResponses(ctx context.Context, f consulta.ResponseFilter, limit int64, budget int) (n int64, exact bool, err error)
	// responsesByID reads the stored responses among ids.
	responsesByID(ctx context.Context, ids []string) (map[string]*consulta.Response, error)
	// find streams the documents of one of the other collections that match
	// q, in q's order, as BSON for the caller to decode. ctx carries the
	// deadline.
	find(ctx context.Context, q docQuery, fn func(bson.Raw) error) error
	// deleteEach deletes the documents matching q and returns how many.
	deleteEach(ctx context.Context, q docQuery) (int64, error)
	// snapshot calls fn with a reader of every collection as they all stood
	// at one moment (snapshot.go). ctx carries the deadline.
	snapshot(ctx context.Context, fn func(SnapshotReader) error) (SnapshotInfo, error)
	// close releases the backend's own resources.
	close() error
}

// docQuery is a read of one of the collections besides responses: conditions
// on fields, an order, a limit. Every shape it takes is served by an index of
// declaredIndexes (TestQueryShapesHaveIndexes).
type docQuery struct {
	coll  string
	conds []docCond
	// sort is the field to order by ("" for the store's own order), then _id
	// in the same direction.
	sort  string
	desc  bool
	limit int
}

// docCond is one condition: field op value, with op one of "$eq", "$gt",
// "$gte", "$lt", "$lte" (value a string or a time.Time) or "$in" (value a
// []string).
type docCond struct {
	field, op string
	value     any
}

func eq(field string, value any) docCond  { return docCond{field, "$eq", value} }
func gt(field string, value any) docCond  { return docCond{field, "$gt", value} }
func gte(field string, value any) docCond { return docCond{field, "$gte", value} }
func lt(field string, value any) docCond  { return docCond{field, "$lt", value} }
func lte(field string, value any) docCond { return docCond{field, "$lte", value} }
func in(field string, values []string) docCond {
	return docCond{field, "$in", values}
}

// openBackend chooses the backend: SQL reads on the embedded store's file
// when Options.EmbeddedDir names it, the driver alone otherwise.
func (s *Store) openBackend(ctx context.Context, o Options) (backend, error) {
	if o.EmbeddedDir == "" {
		return &mongoBackend{s: s}, nil
	}
	return openEmbeddedBackend(ctx, s, o.EmbeddedDir)
}
