package store

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"

	"github.com/consulta/consulta/internal/consulta"
)

// mongoBackend sends every read to the server as a driver query, served by the
// indexes of declaredIndexes. Long reads (reports, exports, open data) go to a
// secondary when the replica set has one: they tolerate a second of lag and
// keep their load off the primary that takes submissions.
type mongoBackend struct{ s *Store }

func (b *mongoBackend) prepare(ctx context.Context) error {
	for _, ix := range declaredIndexes() {
		keys := bson.D{}
		for _, k := range ix.keys {
			keys = append(keys, bson.E{Key: k, Value: 1})
		}
		opts := options.Index().SetName(ix.name)
		if ix.ttl > 0 {
			opts.SetExpireAfterSeconds(int32(ix.ttl.Seconds()))
		}
		if ix.unique {
			opts.SetUnique(true)
		}
		err := b.createIndex(ctx, ix.coll, mongo.IndexModel{Keys: keys, Options: opts})
		if ix.ttl > 0 && notImplemented(err) {
			// FerretDB (the contract tests run this backend on it) has no TTL
			// indexes; the scheduled cleanup job deletes on every store.
			err = b.createIndex(ctx, ix.coll, mongo.IndexModel{Keys: keys, Options: options.Index().SetName(ix.name)})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// codeNotImplemented is the server's error code for an unsupported option.
const codeNotImplemented = 238

func notImplemented(err error) bool {
	se := mongo.ServerError(nil)
	return errors.As(err, &se) && se.HasErrorCode(codeNotImplemented)
}

// createIndex creates one index per command: FerretDB v1.24.2 panics when one
// createIndexes command names two or more indexes that already exist, and this
// backend also runs on the embedded store in the contract tests.
func (b *mongoBackend) createIndex(ctx context.Context, coll string, m mongo.IndexModel) error {
	ctx, cancel := b.s.OpContext(ctx)
	defer cancel()
	_, err := b.s.db.Collection(coll).Indexes().CreateOne(ctx, m)
	return wrap(err, "create index on %s", coll)
}

// streamCollection is the responses collection read from a secondary when
// there is one.
func (b *mongoBackend) streamCollection() *mongo.Collection {
	return b.s.db.Collection(responsesName,
		options.Collection().SetReadPreference(readpref.SecondaryPreferred()))
}

func (b *mongoBackend) eachResponse(ctx context.Context, f consulta.ResponseFilter, fn func(*consulta.Response) error) error {
	opts := options.Find().SetSort(bson.D{{Key: fieldReceivedAt, Value: 1}, {Key: fieldID, Value: 1}})
	return b.s.stream(ctx, b.streamCollection(), mongoFilter(f), opts, func(cur *mongo.Cursor) error {
		r, err := decodeResponse(cur)
		if err != nil {
			return err
		}
		return fn(r)
	})
}

func (b *mongoBackend) scanNewest(ctx context.Context, f consulta.ResponseFilter, after consulta.PageKey, budget int,
	visit func(consulta.PageKey, *consulta.Response) bool) (bool, error) {
	q := mongoFilter(f)
	cmp, dir := "$lt", -1
	if f.OldestFirst {
		cmp, dir = "$gt", 1
	}
	if !after.IsZero() {
		q = append(q, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: fieldReceivedAt, Value: bson.D{{Key: cmp, Value: after.At}}}},
			bson.D{{Key: fieldReceivedAt, Value: after.At}, {Key: fieldID, Value: bson.D{{Key: cmp, Value: after.ID}}}},
		}})
	}
	opts := options.Find().SetSort(bson.D{{Key: fieldReceivedAt, Value: dir}, {Key: fieldID, Value: dir}}).
		SetLimit(int64(budget))
	seen, complete := 0, true
	err := b.s.stream(ctx, b.s.responses, q, opts, func(cur *mongo.Cursor) error {
		r, err := decodeResponse(cur)
		if err != nil {
			return err
		}
		seen++
		if !visit(consulta.KeyOf(r), r) {
			complete = false
			return errStop
		}
		return nil
	})
	return complete && seen < budget, err
}

func (b *mongoBackend) countResponses(ctx context.Context, f consulta.ResponseFilter, limit int64, _ int) (int64, bool, error) {
	q := mongoFilter(f)
	if len(q) == 0 {
		// Every response: the collection's own count, not a scan.
		n, err := b.s.responses.EstimatedDocumentCount(ctx)
		return n, true, wrap(err, "count responses")
	}
	opts := options.Count()
	if limit > 0 {
		opts.SetLimit(limit + 1)
	}
	n, err := b.s.responses.CountDocuments(ctx, q, opts)
	if err != nil {
		return 0, false, wrap(err, "count responses")
	}
	if limit > 0 && n > limit {
		return limit, false, nil
	}
	return n, true, nil
}

// responsesByID reads the responses in one {_id: {$in: ids}} query, which
// MongoDB answers from the _id index.
func (b *mongoBackend) responsesByID(ctx context.Context, ids []string) (map[string]*consulta.Response, error) {
	found := make(map[string]*consulta.Response, len(ids))
	if len(ids) == 0 {
		return found, nil
	}
	q := bson.D{{Key: fieldID, Value: bson.D{{Key: "$in", Value: ids}}}}
	err := b.s.each(ctx, b.s.responses, q, options.Find(), func(cur *mongo.Cursor) error {
		r, err := decodeResponse(cur)
		if err != nil {
			return err
		}
		found[r.ID] = r
		return nil
	})
	return found, err
}

func (b *mongoBackend) find(ctx context.Context, q docQuery, fn func(bson.Raw) error) error {
	opts := options.Find()
	if q.sort != "" {
		dir := 1
		if q.desc {
			dir = -1
		}
		sort := bson.D{{Key: q.sort, Value: dir}}
		if q.sort != fieldID {
			sort = append(sort, bson.E{Key: fieldID, Value: dir})
		}
		opts.SetSort(sort)
	}
	if q.limit > 0 {
		opts.SetLimit(int64(q.limit))
	}
	return b.s.stream(ctx, b.s.db.Collection(q.coll), docFilter(q.conds), opts, func(cur *mongo.Cursor) error {
		return fn(cur.Current)
	})
}

func (b *mongoBackend) deleteEach(ctx context.Context, q docQuery) (int64, error) {
	res, err := b.s.db.Collection(q.coll).DeleteMany(ctx, docFilter(q.conds))
	if err != nil {
		return 0, wrap(err, "delete from %s", q.coll)
	}
	return res.DeletedCount, nil
}

// docFilter is the MongoDB filter of conditions, those on one field together.
func docFilter(conds []docCond) bson.D {
	q := bson.D{}
	byField := map[string]int{}
	for _, c := range conds {
		v := c.value
		if t, ok := v.(time.Time); ok {
			v = t.UTC()
		}
		if c.op == "$eq" {
			q = append(q, bson.E{Key: c.field, Value: v})
			continue
		}
		i, ok := byField[c.field]
		if !ok {
			q = append(q, bson.E{Key: c.field, Value: bson.D{}})
			i = len(q) - 1
			byField[c.field] = i
		}
		q[i].Value = append(q[i].Value.(bson.D), bson.E{Key: c.op, Value: v})
	}
	return q
}

func (b *mongoBackend) close() error { return nil }

// mongoFilter is the query of f's stored fields (f.Text is matched in Go).
func mongoFilter(f consulta.ResponseFilter) bson.D {
	q := bson.D{}
	for _, c := range equalities(f) {
		q = append(q, bson.E{Key: c.field, Value: c.value})
	}
	received := bson.D{}
	if !f.From.IsZero() {
		received = append(received, bson.E{Key: "$gte", Value: f.From.UTC()})
	}
	if !f.To.IsZero() {
		received = append(received, bson.E{Key: "$lt", Value: f.To.UTC()})
	}
	if len(received) > 0 {
		q = append(q, bson.E{Key: fieldReceivedAt, Value: received})
	}
	return q
}
