package backup_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/consulta/consulta/internal/backup"
	"github.com/consulta/consulta/internal/store"
	"github.com/consulta/consulta/internal/storetest"
)

func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// populate fills st with documents in several collections, a report PDF in
// the GridFS bucket (larger than a chunk) and a collection Consulta does not
// declare.
func populate(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := ctxT(t)
	db := st.DB()
	for i := range 50 {
		doc := bson.D{{Key: "_id", Value: "r" + string(rune('a'+i%26)) + string(rune('a'+i/26))},
			{Key: "form", Value: "f"}, {Key: "received_at", Value: time.Date(2025, 1, 1, 0, i, 0, 0, time.UTC)},
			{Key: "answers", Value: bson.D{{Key: "q", Value: int32(i)}, {Key: "txt", Value: "ñ"}}}}
		if _, err := db.Collection("responses").InsertOne(ctx, doc); err != nil {
			t.Fatal(err)
		}
	}
	for coll, doc := range map[string]bson.D{
		"contacts":     {{Key: "_id", Value: "ra"}, {Key: "answers", Value: bson.D{{Key: "phone", Value: "5555-0000"}}}},
		"audit":        {{Key: "_id", Value: "a1"}, {Key: "action", Value: "login"}},
		"users":        {{Key: "_id", Value: "ana@example.org"}, {Key: "hash", Value: bson.Binary{Data: []byte{1, 2, 3}}}},
		"undeclared_x": {{Key: "_id", Value: bson.NewObjectID()}, {Key: "n", Value: int64(1)}},
	} {
		if _, err := db.Collection(coll).InsertOne(ctx, doc); err != nil {
			t.Fatal(err)
		}
	}
	bucket := db.GridFSBucket(options.GridFSBucket().SetName(store.ReportsBucket))
	pdf := bytes.Repeat([]byte("%PDF-1.4 report "), 40000) // 640 KB: three chunks
	if err := bucket.UploadFromStreamWithID(ctx, "run1:f:es", "f.pdf", bytes.NewReader(pdf),
		options.GridFSUpload().SetMetadata(bson.D{{Key: "form", Value: "f"}})); err != nil {
		t.Fatal(err)
	}
}

// dump is every document of every collection of st, by collection and _id.
func dump(t *testing.T, st *store.Store) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	_, err := st.Snapshot(ctxT(t), func(r store.SnapshotReader) error {
		for _, coll := range r.Collections() {
			docs := map[string]string{}
			err := r.Each(coll, func(doc bson.Raw) error {
				docs[doc.Lookup("_id").String()] = string(doc)
				return nil
			})
			if err != nil {
				return err
			}
			if len(docs) > 0 {
				out[coll] = docs
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func archive(t *testing.T, st *store.Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := backup.Write(ctxT(t), st, &buf, backup.Options{Database: st.DB().Name(), Store: "embedded"}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func opener(b []byte) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
}

// Every document of every collection, the report's GridFS files and chunks
// and an undeclared collection included, comes back byte for byte; the
// report downloads whole from the restored bucket.
func TestRoundTrip(t *testing.T) {
	src := storetest.New(t)
	populate(t, src)
	arch := archive(t, src)

	m, err := backup.Verify(bytes.NewReader(arch))
	if err != nil {
		t.Fatal(err)
	}
	if m.Snapshot.Method != store.SnapshotSQLite || m.Documents() < 57 {
		t.Fatalf("manifest %+v", m)
	}
	dst := storetest.New(t)
	if _, err := backup.Restore(ctxT(t), dst, opener(arch), nil); err != nil {
		t.Fatal(err)
	}
	want, got := dump(t, src), dump(t, dst)
	for _, coll := range []string{"responses", "contacts", "audit", "users", "undeclared_x", "reports.files", "reports.chunks"} {
		if len(want[coll]) == 0 {
			t.Errorf("the source has no %s: the test populates too little", coll)
		}
	}
	if len(got) != len(want) {
		t.Errorf("restored collections %d, want %d", len(got), len(want))
	}
	for coll, docs := range want {
		for id, doc := range docs {
			if got[coll][id] != doc {
				t.Errorf("%s %s: restored %v, want %v", coll, id, bson.Raw(got[coll][id]), bson.Raw(doc))
			}
		}
		if len(got[coll]) != len(docs) {
			t.Errorf("%s: restored %d documents, want %d", coll, len(got[coll]), len(docs))
		}
	}
	var pdf bytes.Buffer
	bucket := dst.DB().GridFSBucket(options.GridFSBucket().SetName(store.ReportsBucket))
	if _, err := bucket.DownloadToStream(ctxT(t), "run1:f:es", &pdf); err != nil || pdf.Len() != 640000 {
		t.Fatalf("restored report: %d bytes, %v", pdf.Len(), err)
	}
}

// A restore never writes into a store that holds data.
func TestRestoreRefusesNonEmptyStore(t *testing.T) {
	src := storetest.New(t)
	populate(t, src)
	arch := archive(t, src)
	dst := storetest.New(t)
	if _, err := dst.DB().Collection("audit").InsertOne(ctxT(t), bson.D{{Key: "_id", Value: "x"}}); err != nil {
		t.Fatal(err)
	}
	_, err := backup.Restore(ctxT(t), dst, opener(arch), nil)
	var ne *backup.NotEmptyError
	if !errors.As(err, &ne) || ne.Collection != "audit" {
		t.Fatalf("restore into a non-empty store: %v", err)
	}
	if got := dump(t, dst); len(got) != 1 || len(got["audit"]) != 1 {
		t.Fatalf("the store changed: %v", got)
	}
}

// rewrite returns arch with change applied to the content of each entry.
func rewrite(t *testing.T, arch []byte, change func(name string, body []byte) []byte) []byte {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(arch))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var out bytes.Buffer
	gw := gzip.NewWriter(&out)
	tw := tar.NewWriter(gw)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(tr)
		if body = change(hdr.Name, body); body == nil {
			continue
		}
		hdr.Size = int64(len(body))
		tw.WriteHeader(hdr)
		tw.Write(body)
	}
	tw.Close()
	gw.Close()
	return out.Bytes()
}

// A damaged archive is refused whole, before anything is written: the
// store stays empty.
func TestDamagedArchiveChangesNothing(t *testing.T) {
	src := storetest.New(t)
	populate(t, src)
	arch := archive(t, src)
	flipped := false
	cases := map[string][]byte{
		"a changed string in a document": rewrite(t, arch, func(name string, b []byte) []byte {
			if i := bytes.Index(b, []byte("5555-0000")); i >= 0 && !flipped {
				b[i] = '9'
				flipped = true
			}
			return b
		}),
		"a part left out": rewrite(t, arch, func(name string, b []byte) []byte {
			if strings.HasPrefix(name, "users/") {
				return nil
			}
			return b
		}),
		"no manifest": rewrite(t, arch, func(name string, b []byte) []byte {
			if name == "manifest.json" {
				return nil
			}
			return b
		}),
		"truncated": arch[:len(arch)*2/3],
		"not gzip":  []byte("mongodump archive"),
	}
	for what, bad := range cases {
		dst := storetest.New(t)
		_, err := backup.Restore(ctxT(t), dst, opener(bad), nil)
		var ce *backup.CorruptError
		if !errors.As(err, &ce) {
			t.Errorf("%s: restore returned %v, want a CorruptError", what, err)
		} else if what == "a changed string in a document" && !strings.Contains(ce.Reason, "does not match its checksum") {
			t.Errorf("%s: %v, want a checksum mismatch", what, err)
		}
		if coll, err := dst.NonEmpty(ctxT(t)); coll != "" || err != nil {
			t.Errorf("%s: the store is not empty after a refused restore (%q, %v)", what, coll, err)
		}
	}
	if !flipped {
		t.Fatal("the contact's phone number was not found in the archive")
	}
}
