package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/embedded"
	"github.com/consulta/consulta/internal/store"
)

// workspaceStore is a Store on an embedded server with its data in a temporary
// directory. The workspace's tests need it: on the in-memory embedded store
// (storetest) every update ($set, findAndModify) hangs until its deadline,
// while on disk it works as on MongoDB.
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
