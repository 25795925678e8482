package store_test

import (
	"bytes"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/consulta/consulta/internal/store"
	"github.com/consulta/consulta/internal/storetest"
)

// everyType is a document with every BSON type FerretDB stores, nested too:
// what a GridFS chunk (binary data, object ids), a run record or an open-data
// file holds.
func everyType(id string) bson.D {
	return bson.D{
		{Key: "_id", Value: id},
		{Key: "s", Value: "ñandú 🙂"},
		{Key: "i32", Value: int32(-7)},
		{Key: "i64", Value: int64(1) << 40},
		{Key: "f", Value: 2.5},
		{Key: "whole", Value: 3.0},
		{Key: "t", Value: true},
		{Key: "null", Value: nil},
		{Key: "at", Value: time.Date(2025, 3, 14, 15, 9, 26, 535000000, time.UTC)},
		{Key: "oid", Value: bson.NewObjectID()},
		{Key: "bin", Value: bson.Binary{Subtype: 0, Data: []byte{0, 1, 2, 255}}},
		{Key: "uuid", Value: bson.Binary{Subtype: 4, Data: bytes.Repeat([]byte{7}, 16)}},
		{Key: "re", Value: bson.Regex{Pattern: "^a.c$", Options: "i"}},
		{Key: "ts", Value: bson.Timestamp{T: 1700000000, I: 3}},
		{Key: "arr", Value: bson.A{int32(1), "two", bson.D{{Key: "three", Value: 3.5}, {Key: "list", Value: bson.A{}}}}},
		{Key: "doc", Value: bson.D{{Key: "z", Value: "first"}, {Key: "a", Value: bson.D{}}}},
	}
}

// The snapshot reads every document exactly as the driver reads it from the
// server, on both backends: the archive of a backup does not depend on the
// store it came from.
func TestSnapshotReadsWhatTheDriverReads(t *testing.T) {
	st := storetest.New(t)
	coll := st.DB().Collection("report_runs")
	for _, id := range []string{"a", "b"} {
		if _, err := coll.InsertOne(ctxT(t), everyType(id)); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string][]byte{}
	cur, err := coll.Find(ctxT(t), bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	for cur.Next(ctxT(t)) {
		want[cur.Current.Lookup("_id").StringValue()] = bytes.Clone(cur.Current)
	}
	for name, s := range map[string]*store.Store{"embedded": st, "driver": storetest.Reopen(t, st, store.Options{EmbeddedDir: "-"})} {
		got := snapshotOf(t, s, "report_runs")
		if len(got) != len(want) {
			t.Fatalf("%s: %d documents, want %d", name, len(got), len(want))
		}
		for id, doc := range want {
			if !bytes.Equal(got[id], doc) {
				t.Errorf("%s: document %s\n got %v\nwant %v", name, id, bson.Raw(got[id]), bson.Raw(doc))
			}
		}
	}
}

// A write committed after the snapshot was fixed is not in it; one committed
// before is, exactly once. The embedded store's snapshot is one SQLite read
// transaction, so this holds while FerretDB writes from its own connections.
func TestSnapshotIgnoresLaterWrites(t *testing.T) {
	st := storetest.New(t)
	insert(t, st, newResponse("before", "f", base, nil), nil)
	var ids []string
	info, err := st.Snapshot(ctxT(t), func(r store.SnapshotReader) error {
		if err := r.Each("contacts", func(bson.Raw) error { return nil }); err != nil {
			return err
		}
		insert(t, st, newResponse("after", "f", base, nil), nil)
		return r.Each("responses", func(doc bson.Raw) error {
			ids = append(ids, doc.Lookup("_id").StringValue())
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 1 || ids[0] != "before" {
		t.Fatalf("snapshot read %v, want [before]", ids)
	}
	if info.Method != store.SnapshotSQLite || info.At.IsZero() {
		t.Fatalf("info %+v", info)
	}
	if _, err := st.Response(ctxT(t), "after"); err != nil {
		t.Fatalf("the later write is in the store: %v", err)
	}
}

// snapshotOf reads one collection of a snapshot of s, by _id; it fails the
// test if Collections does not list every collection of the store.
func snapshotOf(t *testing.T, s *store.Store, coll string) map[string][]byte {
	t.Helper()
	got := map[string][]byte{}
	_, err := s.Snapshot(ctxT(t), func(r store.SnapshotReader) error {
		names := map[string]bool{}
		for _, n := range r.Collections() {
			names[n] = true
		}
		for _, n := range store.Collections() {
			if !names[n] {
				t.Errorf("snapshot lists %v, without %s", r.Collections(), n)
			}
		}
		return r.Each(coll, func(doc bson.Raw) error {
			got[doc.Lookup("_id").StringValue()] = bytes.Clone(doc)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// NonEmpty names a collection holding a document; RestoreDocuments writes
// documents as they are and refuses one already there.
func TestNonEmptyAndRestoreDocuments(t *testing.T) {
	st := storetest.New(t)
	if coll, err := st.NonEmpty(ctxT(t)); err != nil || coll != "" {
		t.Fatalf("fresh store: NonEmpty = %q, %v", coll, err)
	}
	doc, _ := bson.Marshal(everyType("x"))
	if err := st.RestoreDocuments(ctxT(t), "audit", []bson.Raw{doc}); err != nil {
		t.Fatal(err)
	}
	if coll, err := st.NonEmpty(ctxT(t)); err != nil || coll != "audit" {
		t.Fatalf("NonEmpty = %q, %v; want audit", coll, err)
	}
	if got := snapshotOf(t, st, "audit"); !bytes.Equal(got["x"], doc) {
		t.Fatalf("restored %v, want %v", bson.Raw(got["x"]), bson.Raw(doc))
	}
	if err := st.RestoreDocuments(ctxT(t), "audit", []bson.Raw{doc}); err == nil {
		t.Fatal("the same document restored twice")
	}
}
