// Package storetest gives tests a real store: one embedded FerretDB per test
// binary, on disk in a temporary directory, reached over loopback through the
// real MongoDB driver, and a fresh database per test.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/consulta/consulta/internal/embedded"
	"github.com/consulta/consulta/internal/store"
)

// shared is the embedded store of the test binary, started on first use and left
// running until the binary exits. A package-level variable is acceptable here: it
// exists only in tests, and one server for all of them keeps them fast.
var shared struct {
	once   sync.Once
	server *embedded.Server
	err    error
}

// URI returns the URI of the test binary's embedded store, starting it if needed,
// for tests that boot the whole program or open a second Store.
func URI(t testing.TB) string {
	t.Helper()
	shared.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// On disk, not in memory: FerretDB's SQLite memory mode hangs on updates
		// after inserts (seen with UpdateOne and FindOneAndUpdate), which the disk
		// mode, the one users run, does not. The directory is small and temporary.
		dir, err := os.MkdirTemp("", "consulta-storetest-")
		if err != nil {
			shared.err = err
			return
		}
		shared.server, shared.err = embedded.Open(ctx, dir, "127.0.0.1:0", nil)
	})
	if shared.err != nil {
		t.Fatalf("storetest: start the embedded store: %v", shared.err)
	}
	return shared.server.URI()
}

// StoreDir is the directory of the shared embedded store's SQLite files.
func StoreDir(t testing.TB) string {
	t.Helper()
	URI(t)
	return shared.server.StoreDir()
}

// New returns a Store on a fresh database of the shared embedded store; the database
// is dropped and the Store closed when the test ends.
func New(t testing.TB) *store.Store {
	t.Helper()
	return Open(t, store.Options{})
}

// Open is New with options (batching, timeouts...). URI, Database and
// EmbeddedDir are filled in: the store reads as it does for users of the
// embedded store, through SQL on its file.
func Open(t testing.TB, o store.Options) *store.Store {
	t.Helper()
	o.URI = URI(t)
	o.EmbeddedDir = StoreDir(t)
	return open(t, o)
}

// OpenDriverOnly is Open without the embedded store's SQL reads: every read
// goes through the driver as it does on MongoDB, so that the contract tests
// run MongoDB's code path too (against FerretDB, which answers every query
// correctly, only slowly).
func OpenDriverOnly(t testing.TB, o store.Options) *store.Store {
	t.Helper()
	o.URI = URI(t)
	o.EmbeddedDir = ""
	return open(t, o)
}

// Reopen opens a second Store with options on the database of s, closed when
// the test ends: on the embedded store's SQL reads, or, with o.EmbeddedDir
// "-", on the driver alone.
func Reopen(t testing.TB, s *store.Store, o store.Options) *store.Store {
	t.Helper()
	o.URI = URI(t)
	o.Database = s.DB().Name()
	switch o.EmbeddedDir {
	case "":
		o.EmbeddedDir = StoreDir(t)
	case "-":
		o.EmbeddedDir = ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	second, err := store.Open(ctx, o)
	if err != nil {
		t.Fatalf("storetest: reopen store: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = second.Close(ctx)
	})
	return second
}

func open(t testing.TB, o store.Options) *store.Store {
	t.Helper()
	o.Database = DatabaseName()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := store.Open(ctx, o)
	if err != nil {
		t.Fatalf("storetest: open store: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// Close may already have been called by the test; a second call is a no-op.
		if err := s.Close(ctx); err != nil {
			t.Errorf("storetest: close store: %v", err)
		}
		drop(t, o.URI, o.Database)
	})
	return s
}

// drop deletes a test database through a client of its own, since the test may have
// closed its Store.
func drop(t testing.TB, uri, database string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	client, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		t.Errorf("storetest: drop %s: %v", database, err)
		return
	}
	defer client.Disconnect(ctx)
	if err := client.Database(database).Drop(ctx); err != nil {
		t.Errorf("storetest: drop %s: %v", database, err)
	}
}

// DatabaseName returns a new database name, unique to one test.
func DatabaseName() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "test_" + hex.EncodeToString(b)
}
