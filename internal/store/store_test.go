package store_test

import (
	"testing"
	"time"

	"github.com/consulta/consulta/internal/store"
	"github.com/consulta/consulta/internal/storetest"
)

// Every start after the first opens a database that already has its collections and
// indexes (FerretDB used to drop the connection on that: see mongoBackend.createIndex).
// On the embedded store, FerretDB keeps only its _id index: the others live in
// SQLite (TestUpgradeInPlace).
func TestOpenExistingDatabase(t *testing.T) {
	first := storetest.New(t)
	insert(t, first, newResponse("kept", "f", base, nil), nil)

	second, err := store.Open(ctxT(t), store.Options{URI: storetest.URI(t), Database: first.DB().Name(),
		EmbeddedDir: storetest.StoreDir(t)})
	if err != nil {
		t.Fatalf("second Open: %v", err)
	}
	defer second.Close(ctxT(t))
	if _, err := second.Response(ctxT(t), "kept"); err != nil {
		t.Fatalf("second store cannot read the first one's response: %v", err)
	}

	want := map[string][]string{
		"responses": {"_id_"},
		"contacts":  {"_id_"},
	}
	for coll, names := range want {
		specs, err := second.DB().Collection(coll).Indexes().ListSpecifications(ctxT(t))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range specs {
			got = append(got, s.Name)
		}
		if !sameStrings(sorted(got), names) {
			t.Errorf("%s indexes = %v, want %v", coll, sorted(got), names)
		}
	}
}

func TestOpContextHasTheOperationDeadline(t *testing.T) {
	const timeout = 1234 * time.Millisecond
	s := storetest.Open(t, store.Options{OpTimeout: timeout})
	ctx, cancel := s.OpContext(t.Context())
	defer cancel()
	deadline, ok := ctx.Deadline()
	if !ok {
		t.Fatal("no deadline")
	}
	if left := time.Until(deadline); left <= timeout-time.Second || left > timeout {
		t.Fatalf("deadline in %v, want about %v", left, timeout)
	}
}
