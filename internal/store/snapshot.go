package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/consulta/consulta/internal/consulta"
)

// How a Snapshot's reads were made consistent (SnapshotInfo.Method).
const (
	// SnapshotSQLite is one SQLite read transaction on the embedded store's
	// file: in write-ahead-log mode it sees the database as it was at its
	// first read, whatever FerretDB commits meanwhile.
	SnapshotSQLite = "sqlite-read-transaction"
	// SnapshotMongo is a MongoDB snapshot session: every find in it reads at
	// the cluster time of its first read (MongoDB 5.0 or newer, replica set).
	SnapshotMongo = "mongodb-snapshot-session"
)

// SnapshotInfo says how a Snapshot read the store and from when.
type SnapshotInfo struct {
	Method string
	// At is a moment just before the snapshot was fixed: every write
	// acknowledged before At (with majority write concern, on MongoDB) is in
	// it, and none committed after its first read is.
	At time.Time
	// ClusterTime is MongoDB's snapshot time, "seconds.increment"; empty on
	// the embedded store.
	ClusterTime string
}

// SnapshotReader reads the collections of the store as they all stood at
// one moment.
type SnapshotReader interface {
	// Collections lists, sorted, the collections of Consulta's database.
	Collections() []string
	// Each calls fn with every document of coll, as stored.
	Each(coll string, fn func(bson.Raw) error) error
}

// Snapshot calls fn with a reader of every collection at one moment, within
// the long-read deadline. Writes go on meanwhile; fn sees none of those
// committed after the snapshot was fixed. It is what a backup reads.
func (s *Store) Snapshot(ctx context.Context, fn func(SnapshotReader) error) (SnapshotInfo, error) {
	ctx, cancel := s.StreamContext(ctx)
	defer cancel()
	return s.backend.snapshot(ctx, fn)
}

// snapshot is the MongoDB backend's: a snapshot session. The collections are
// listed just before it (listCollections is not a snapshot read), so a
// collection created between the two is missed; Consulta creates its own at
// Open.
func (b *mongoBackend) snapshot(ctx context.Context, fn func(SnapshotReader) error) (SnapshotInfo, error) {
	names, err := b.s.collectionNames(ctx)
	if err != nil {
		return SnapshotInfo{}, err
	}
	sess, err := b.s.client.StartSession(options.Session().SetSnapshot(true))
	if err != nil {
		return SnapshotInfo{}, wrap(err, "start a snapshot session")
	}
	defer sess.EndSession(context.WithoutCancel(ctx))
	r := &mongoSnapshot{s: b.s, ctx: mongo.NewSessionContext(ctx, sess), names: names}
	info := SnapshotInfo{Method: SnapshotMongo, At: time.Now()}
	if err := fn(r); err != nil {
		return info, err
	}
	if t := sess.SnapshotTime(); !t.IsZero() {
		info.ClusterTime = formatTimestamp(t)
	}
	return info, nil
}

func formatTimestamp(t bson.Timestamp) string { return fmt.Sprintf("%d.%d", t.T, t.I) }

type mongoSnapshot struct {
	s     *Store
	ctx   context.Context // carries the session
	names []string
}

func (r *mongoSnapshot) Collections() []string { return r.names }

func (r *mongoSnapshot) Each(coll string, fn func(bson.Raw) error) error {
	return r.s.stream(r.ctx, r.s.db.Collection(coll), bson.D{}, options.Find(), func(cur *mongo.Cursor) error {
		return fn(cur.Current)
	})
}

// collectionNames lists the collections of the database, sorted, without
// MongoDB's own system.* ones.
func (s *Store) collectionNames(ctx context.Context) ([]string, error) {
	opCtx, cancel := s.OpContext(ctx)
	defer cancel()
	names, err := s.db.ListCollectionNames(opCtx, bson.D{})
	if err != nil {
		return nil, wrap(err, "list collections")
	}
	names = slices.DeleteFunc(names, func(n string) bool { return strings.HasPrefix(n, "system.") })
	slices.Sort(names)
	return names, nil
}

// NonEmpty returns the first collection of the database, in name order, that
// holds a document, or "" when every one is empty.
func (s *Store) NonEmpty(ctx context.Context) (string, error) {
	names, err := s.collectionNames(ctx)
	if err != nil {
		return "", err
	}
	for _, name := range names {
		found := false
		opCtx, cancel := s.OpContext(ctx)
		err := s.backend.find(opCtx, docQuery{coll: name, limit: 1}, func(bson.Raw) error {
			found = true
			return nil
		})
		cancel()
		if err != nil {
			return "", err
		}
		if found {
			return name, nil
		}
	}
	return "", nil
}

// RestoreDocuments inserts docs, as they are, into coll: what a restore
// writes into an empty store. A document whose _id is already there fails
// the whole call with ECONFLICT.
func (s *Store) RestoreDocuments(ctx context.Context, coll string, docs []bson.Raw) error {
	if len(docs) == 0 {
		return nil
	}
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	_, err := s.db.Collection(coll).InsertMany(ctx, docs)
	if mongo.IsDuplicateKeyError(err) {
		return consulta.Errorf(consulta.ECONFLICT, "store: restore %s: a document is already there: %v", coll, err)
	}
	return wrap(err, "restore %s", coll)
}
