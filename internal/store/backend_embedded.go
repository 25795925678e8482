package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the SQLite driver FerretDB itself uses; registers "sqlite"

	"github.com/consulta/consulta/internal/consulta"
)

// embeddedBackend reads responses with SQL on the embedded store's SQLite
// file, in the same process as FerretDB (or, for a command attached to a
// running server, in another process on the same machine: SQLite's WAL mode
// lets several processes read while one writes).
//
// Why: FerretDB v1.24.2 pushes down to SQLite only a filter that is exactly
// {_id: X}; any other filter, sort or range reads and decodes the whole
// collection in Go, and even {_id: X} misses the _id index because FerretDB
// writes the expression differently in the query and in the index. So this
// backend creates SQLite expression indexes written exactly as its queries
// and as FerretDB's _id lookups are, and runs the filtered reads itself.
// Writes, and every read by _id, still go through FerretDB and the driver.
// docs/storage.md, "Backends", has the measurements behind this.
type embeddedBackend struct {
	s  *Store
	db *sql.DB

	mu     sync.Mutex
	tables map[string]string // collection name → SQLite table

	stop chan struct{}
	done chan struct{}
}

// Names and expressions of FerretDB's SQLite layout (FerretDB v1.24.2,
// internal/backends/sqlite/metadata): one table per collection, listed in
// _ferretdb_collections, each row one document in column _ferretdb_sjson.
const (
	sjsonColumn      = "_ferretdb_sjson"
	collectionsTable = "_ferretdb_collections"
	// ferretIDExpr is the expression FerretDB's own lookups by _id compare;
	// an index on exactly it turns them from a scan into a search.
	ferretIDExpr = sjsonColumn + "->'$._id'"
	// indexPrefix marks the indexes this backend owns (FerretDB ignores them).
	indexPrefix = "consulta_"
)

// newTablesEvery is how often the backend looks for collections created
// since start (GridFS, run records...) to index their _id.
const newTablesEvery = time.Minute

// openEmbeddedBackend opens the SQLite file of the store's database in dir.
func openEmbeddedBackend(ctx context.Context, s *Store, dir string) (*embeddedBackend, error) {
	file := filepath.Join(dir, s.db.Name()+".sqlite")
	q := url.Values{}
	// The same settings as FerretDB's own connections: wait for a lock rather
	// than fail, and the write-ahead log that lets readers run beside a writer.
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(wal)")
	db, err := sql.Open("sqlite", "file:"+file+"?"+q.Encode())
	if err != nil {
		return nil, consulta.Errorf(consulta.EINTERNAL, "store: open %s: %v", file, err)
	}
	pingCtx, cancel := s.OpContext(ctx)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		_ = db.Close()
		return nil, consulta.Errorf(consulta.EUNAVAILABLE, "store: open %s: %v", file, err)
	}
	return &embeddedBackend{s: s, db: db, tables: map[string]string{},
		stop: make(chan struct{}), done: make(chan struct{})}, nil
}

// prepare migrates older data directories, indexes every collection's _id and
// creates the declared indexes, then keeps indexing new collections.
func (b *embeddedBackend) prepare(ctx context.Context) error {
	if err := b.dropUnusedFerretIndexes(ctx); err != nil {
		return err
	}
	if err := b.indexIDs(ctx); err != nil {
		return err
	}
	declared := embeddedIndexes(declaredIndexes())
	if err := b.dropUndeclared(ctx, declared); err != nil {
		return err
	}
	for _, ix := range declared {
		if err := b.createIndex(ctx, ix); err != nil {
			return err
		}
	}
	go b.watchNewTables()
	return nil
}

// watchNewTables indexes the _id of collections created after start until
// close.
func (b *embeddedBackend) watchNewTables() {
	defer close(b.done)
	t := time.NewTicker(newTablesEvery)
	defer t.Stop()
	for {
		select {
		case <-b.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), b.s.streamTimeout)
			if err := b.indexIDs(ctx); err != nil {
				b.s.logger.Warn("embedded store: indexing new collections", "error", err)
			}
			cancel()
		}
	}
}

func (b *embeddedBackend) close() error {
	select {
	case <-b.stop:
	default:
		close(b.stop)
	}
	select {
	case <-b.done:
	case <-time.After(b.s.opTimeout):
	}
	return b.db.Close()
}

// table is the SQLite table of a collection.
func (b *embeddedBackend) table(ctx context.Context, coll string) (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if t, ok := b.tables[coll]; ok {
		return t, nil
	}
	var t string
	err := b.db.QueryRowContext(ctx, "SELECT table_name FROM "+collectionsTable+" WHERE name = ?", coll).Scan(&t)
	if err != nil {
		return "", b.sqlErr(err, "find the table of "+coll)
	}
	b.tables[coll] = t
	return t, nil
}

// sqlErr maps a SQL failure: a deadline or cancellation is the store being
// unavailable in time, anything else an internal error.
func (b *embeddedBackend) sqlErr(err error, op string) error {
	if err == nil {
		return nil
	}
	code := consulta.EINTERNAL
	if ctxErr(err) {
		code = consulta.EUNAVAILABLE
	}
	return fmt.Errorf("%w: %w", consulta.Errorf(code, "store: embedded %s failed", op), err)
}

func ctxErr(err error) bool {
	s := err.Error()
	return strings.Contains(s, "interrupted") || strings.Contains(s, context.DeadlineExceeded.Error()) ||
		strings.Contains(s, context.Canceled.Error())
}
