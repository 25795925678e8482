// Package store keeps Consulta's responses, contacts and form versions in MongoDB
// through the official driver. The same code runs against a MongoDB replica set in
// production and against the embedded FerretDB (package embedded), so it uses only
// what both do correctly (docs/storage.md): inserts for uniqueness, lookups by _id
// on hot paths, cursors instead of aggregation pipelines.
//
// One seam, the backend chosen by Open, holds what differs: on MongoDB the
// filtered reads of responses are driver queries served by the indexes declared
// in indexes.go; on the embedded store, whose FerretDB evaluates every filter
// but {_id: X} after reading the whole collection, they are SQL queries on the
// same SQLite file, served by expression indexes (docs/storage.md, "Backends").
//
// Every call carries a deadline: Options.OpTimeout for single operations,
// Options.StreamTimeout for long reads. Failures to reach the store come back as
// *consulta.Error with code EUNAVAILABLE, missing documents as ENOTFOUND; the
// driver's error stays wrapped for logs and errors.Is.
package store

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/event"
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
	// DefaultStreamTimeout bounds one long read: an export of every response,
	// a semester's report, an open-data aggregation.
	DefaultStreamTimeout = 30 * time.Minute
	DefaultBatchMax      = 500
)

// serverSelectionTimeout bounds the wait for a reachable server. It is short so that
// a store that is down answers "unavailable, retry later" quickly instead of holding
// requests; a longer OpTimeout still applies to the operations themselves.
const serverSelectionTimeout = 2 * time.Second

// Options configures a Store. Zero values take the defaults above.
type Options struct {
	URI      string
	Database string // default "consulta"
	// Password, when set, is the password of the user the URI names: the
	// URI names the user, a secret file holds the password.
	Password string
	// WriteMajority makes every write wait for a majority of the replica set. The
	// application sets it for real MongoDB deployments.
	WriteMajority bool
	// OpTimeout is the deadline of every single operation on the store.
	OpTimeout time.Duration
	// StreamTimeout is the deadline of a long read (EachResponse and counts).
	StreamTimeout time.Duration
	// EmbeddedDir, when set, is the directory of the embedded store's SQLite
	// files (embedded.Server.StoreDir): the store then reads responses
	// through SQL on that file (docs/storage.md). Empty on MongoDB.
	EmbeddedDir string
	// BatchWindow is how long the group commit waits, after a first submission, for
	// more to write in the same InsertMany. The default, 0, does not wait: the
	// submissions that arrive while a batch is being written form the next one, which
	// measured faster under load than any window and adds no latency when idle
	// (BenchmarkInsertResponse).
	BatchWindow time.Duration
	// BatchMax caps the documents of one group-commit InsertMany.
	BatchMax int
	// PageScanBudget caps the candidates one page of the responses browser
	// examines (default PageScanBudget).
	PageScanBudget int
	Logger         *slog.Logger
	// Monitor, when set, sees every command sent to the server (tests list
	// the query shapes with it).
	Monitor *event.CommandMonitor
}

func (o Options) withDefaults() Options {
	if o.Database == "" {
		o.Database = DefaultDatabase
	}
	if o.OpTimeout <= 0 {
		o.OpTimeout = DefaultOpTimeout
	}
	if o.StreamTimeout <= 0 {
		o.StreamTimeout = DefaultStreamTimeout
	}
	if o.BatchWindow < 0 {
		o.BatchWindow = 0
	}
	if o.BatchMax <= 0 {
		o.BatchMax = DefaultBatchMax
	}
	if o.PageScanBudget <= 0 {
		o.PageScanBudget = PageScanBudget
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Store is Consulta's MongoDB store. It is safe for concurrent use.
type Store struct {
	client        *mongo.Client
	db            *mongo.Database
	responses     *mongo.Collection
	contacts      *mongo.Collection
	formVersions  *mongo.Collection
	opTimeout     time.Duration
	streamTimeout time.Duration
	scanBudget    int
	logger        *slog.Logger
	batcher       *batcher
	// backend holds what differs between MongoDB and the embedded store.
	backend backend
	// attempts serializes login-attempt counters (attempts.go).
	attempts attemptLocks

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
		client:        client,
		db:            db,
		responses:     db.Collection(responsesName),
		contacts:      db.Collection(contactsName),
		formVersions:  db.Collection(formVersionsName),
		opTimeout:     o.OpTimeout,
		streamTimeout: o.StreamTimeout,
		scanBudget:    o.PageScanBudget,
		logger:        o.Logger,
	}
	if err := s.prepare(ctx, o); err != nil {
		if s.backend != nil {
			_ = s.backend.close()
		}
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
	if o.Monitor != nil {
		opts.SetMonitor(o.Monitor)
	}
	opts.ApplyURI(o.URI)
	if o.Password != "" && opts.Auth != nil {
		opts.Auth.Password, opts.Auth.PasswordSet = o.Password, true
	}
	return opts
}

// prepare checks that the store answers, creates the collections, chooses the
// backend and lets it create the declared indexes (and migrate older layouts).
func (s *Store) prepare(ctx context.Context, o Options) error {
	if err := s.Ping(ctx); err != nil {
		return err
	}
	for _, name := range allCollections {
		if err := s.createCollection(ctx, name); err != nil {
			return err
		}
	}
	b, err := s.openBackend(ctx, o)
	if err != nil {
		return err
	}
	s.backend = b
	return b.prepare(ctx)
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

// Close stops accepting submissions, writes those already queued, and disconnects.
// Calls after the first return the first one's result.
func (s *Store) Close(ctx context.Context) error {
	s.closeOnce.Do(func() { s.closeErr = s.close(ctx) })
	return s.closeErr
}

func (s *Store) close(ctx context.Context) error {
	flushErr := s.batcher.close(ctx)
	backendErr := s.backend.close()
	// Disconnect even if the flush timed out: the process is going away.
	ctx, cancel := s.OpContext(context.WithoutCancel(ctx))
	defer cancel()
	return errors.Join(flushErr, backendErr, wrap(s.client.Disconnect(ctx), "disconnect"))
}

// Ping checks that the store answers (for /readyz).
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	return wrap(s.client.Ping(ctx, readpref.Primary()), "ping")
}

// DB is the database, for tests and the test helpers (storetest) that look at
// documents as stored. Application code goes through the store's methods,
// which give every call a deadline and map its errors.
func (s *Store) DB() *mongo.Database { return s.db }

// OpContext returns ctx bounded by the store's operation deadline.
func (s *Store) OpContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.opTimeout)
}

// StreamContext returns ctx bounded by the store's long-read deadline.
func (s *Store) StreamContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.streamTimeout)
}
