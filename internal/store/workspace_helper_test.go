package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/embedded"
	"github.com/consulta/consulta/internal/store"
)

// workspaceStore is a Store on an embedded server of its own, with its data in
// a temporary directory. (It dates from when storetest kept its store in
// FerretDB's SQLite memory mode, where every update hung; on disk updates work
// as on MongoDB, and storetest is on disk too now.)
func workspaceStore(t *testing.T) *store.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	srv, err := embedded.Open(ctx, t.TempDir(), "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, store.Options{URI: srv.URI(), EmbeddedDir: srv.StoreDir()})
	if err != nil {
		srv.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = s.Close(ctx)
		_ = srv.Close()
	})
	return s
}
