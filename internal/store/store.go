// Package store keeps Consulta's responses, contacts and form versions in MongoDB
// through the official driver. The same code runs against a MongoDB replica set in
// production and against the embedded FerretDB (package embedded), so it uses only
// what both do correctly (see STORAGE.md): inserts for uniqueness, lookups by _id on
// hot paths, cursors instead of aggregation pipelines, no transactions.
//
// Every call carries a deadline (Options.OpTimeout). Failures to reach the store come
// back as *consulta.Error with code EUNAVAILABLE, missing documents as ENOTFOUND; the
// driver's error stays wrapped for logs and errors.Is.
package store

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
	"go.mongodb.org/mongo-driver/v2/mongo/writeconcern"

	"github.com/consulta/consulta/internal/consulta"
)

// Collection names.
const (
	responsesName    = "responses"
	contactsName     = "contacts"
	formVersionsName = "form_versions"
)

// Defaults of Options.
const (
	DefaultDatabase  = "consulta"
	DefaultOpTimeout = 5 * time.Second
	DefaultBatchMax  = 500
)

// serverSelectionTimeout bounds the wait for a reachable server. It is short so that
// a store that is down answers "unavailable, retry later" quickly instead of holding
// requests; a longer OpTimeout still applies to the operations themselves.
const serverSelectionTimeout = 2 * time.Second

// Options configures a Store. Zero values take the defaults above.
type Options struct {
	URI      string
	Database string // default "consulta"
	// WriteMajority makes every write wait for a majority of the replica set. The
	// application sets it for real MongoDB deployments.
	WriteMajority bool
	// OpTimeout is the deadline of every call to the store.
	OpTimeout time.Duration
	// BatchWindow is how long the group commit waits, after a first submission, for
	// more to write in the same InsertMany. The default, 0, does not wait: the
	// submissions that arrive while a batch is being written form the next one, which
	// measured faster under load than any window and adds no latency when idle
	// (BenchmarkInsertResponse).
	BatchWindow time.Duration
	// BatchMax caps the documents of one group-commit InsertMany.
	BatchMax int
	Logger   *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.Database == "" {
		o.Database = DefaultDatabase
	}
	if o.OpTimeout <= 0 {
		o.OpTimeout = DefaultOpTimeout
	}
	if o.BatchWindow < 0 {
		o.BatchWindow = 0
	}
	if o.BatchMax <= 0 {
		o.BatchMax = DefaultBatchMax
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Store is Consulta's MongoDB store. It is safe for concurrent use.
type Store struct {
	client       *mongo.Client
	db           *mongo.Database
	responses    *mongo.Collection
	contacts     *mongo.Collection
	formVersions *mongo.Collection
	opTimeout    time.Duration
	logger       *slog.Logger
	batcher      *batcher

	closeOnce sync.Once
	closeErr  error
}

// Open connects to the store, checks that it answers, creates the collections and
// indexes it needs and starts the group-commit batcher.
func Open(ctx context.Context, o Options) (*Store, error) {
	o = o.withDefaults()
	if o.URI == "" {
		return nil, consulta.Errorf(consulta.EINVALID, "store: no MongoDB URI")
	}
	client, err := mongo.Connect(clientOptions(o))
	if err != nil {
		return nil, consulta.Errorf(consulta.EINVALID, "store: %v", err)
	}
	db := client.Database(o.Database)
	s := &Store{
		client:       client,
		db:           db,
		responses:    db.Collection(responsesName),
		contacts:     db.Collection(contactsName),
		formVersions: db.Collection(formVersionsName),
		opTimeout:    o.OpTimeout,
		logger:       o.Logger,
	}
	if err := s.prepare(ctx); err != nil {
		disconnectCtx, cancel := s.OpContext(context.Background())
		defer cancel()
		_ = client.Disconnect(disconnectCtx)
		return nil, err
	}
	s.batcher = newBatcher(s, o.BatchWindow, o.BatchMax)
	return s, nil
}

// clientOptions builds the driver options; settings written in the URI win over the
// defaults chosen here.
func clientOptions(o Options) *options.ClientOptions {
	opts := options.Client().
		SetAppName("consulta").
		SetServerSelectionTimeout(min(serverSelectionTimeout, o.OpTimeout)).
		SetConnectTimeout(o.OpTimeout)
	if o.WriteMajority {
		opts.SetWriteConcern(writeconcern.Majority())
	}
	return opts.ApplyURI(o.URI)
}

// prepare checks that the store answers and creates collections and indexes.
func (s *Store) prepare(ctx context.Context) error {
	if err := s.Ping(ctx); err != nil {
		return err
	}
	for _, name := range []string{responsesName, contactsName, formVersionsName} {
		if err := s.createCollection(ctx, name); err != nil {
			return err
		}
	}
	return s.createIndexes(ctx)
}

// createCollection creates a collection explicitly, so that the first concurrent
// inserts do not race to create it; an existing one is fine.
func (s *Store) createCollection(ctx context.Context, name string) error {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	err := s.db.CreateCollection(ctx, name)
	if se := mongo.ServerError(nil); errors.As(err, &se) && se.HasErrorCode(codeNamespaceExists) {
		return nil
	}
	return wrap(err, "create collection %s", name)
}

// codeNamespaceExists is the server's error code for creating an existing collection.
const codeNamespaceExists = 48

// createIndexes creates the secondary indexes that MongoDB uses for the responses
// browser, session views, triage and retention. The embedded store keeps them but
// scans anyway (STORAGE.md); hot paths go by _id.
//
// One index per command: FerretDB v1.24.2 panics and drops the connection when one
// createIndexes command names two or more indexes that already exist (its
// validateIndexesForCreation deletes from a slice by stale positions), which is what
// every start after the first would send.
func (s *Store) createIndexes(ctx context.Context) error {
	indexes := []struct {
		coll *mongo.Collection
		keys bson.D
	}{
		{s.responses, bson.D{{Key: "form", Value: 1}, {Key: "received_at", Value: 1}}},
		{s.responses, bson.D{{Key: "session", Value: 1}}},
		{s.responses, bson.D{{Key: "status", Value: 1}}},
		{s.contacts, bson.D{{Key: "received_at", Value: 1}}},
	}
	for _, ix := range indexes {
		opCtx, cancel := s.OpContext(ctx)
		_, err := ix.coll.Indexes().CreateOne(opCtx, mongo.IndexModel{Keys: ix.keys})
		cancel()
		if err != nil {
			return wrap(err, "create index on %s", ix.coll.Name())
		}
	}
	return nil
}

// Close stops accepting submissions, writes those already queued, and disconnects.
// Calls after the first return the first one's result.
func (s *Store) Close(ctx context.Context) error {
	s.closeOnce.Do(func() { s.closeErr = s.close(ctx) })
	return s.closeErr
}

func (s *Store) close(ctx context.Context) error {
	flushErr := s.batcher.close(ctx)
	// Disconnect even if the flush timed out: the process is going away.
	ctx, cancel := s.OpContext(context.WithoutCancel(ctx))
	defer cancel()
	return errors.Join(flushErr, wrap(s.client.Disconnect(ctx), "disconnect"))
}

// Ping checks that the store answers (for /readyz).
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	return wrap(s.client.Ping(ctx, readpref.Primary()), "ping")
}

// DB is the database, for packages that keep their own collections (reports and
// their GridFS bucket, users, sessions...). They should give every call a deadline
// with OpContext.
func (s *Store) DB() *mongo.Database { return s.db }

// OpContext returns ctx bounded by the store's operation deadline.
func (s *Store) OpContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.opTimeout)
}
