package store_test

import (
	"bytes"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/consulta/consulta/internal/store"
	"github.com/consulta/consulta/internal/storetest"
)

// On MongoDB's code path the reports bucket has the driver's own indexes
// from Open, so that a restored bucket, which the driver would leave without
// them, has them too; the driver then finds them and uploads as before.
func TestReportsBucketIndexes(t *testing.T) {
	st := storetest.OpenDriverOnly(t, store.Options{})
	specs, err := st.DB().Collection(store.ReportsBucket + ".chunks").Indexes().ListSpecifications(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	unique := false
	for _, s := range specs {
		if s.Name == "files_id_1_n_1" && s.Unique != nil && *s.Unique {
			unique = true
		}
	}
	if !unique {
		t.Fatalf("reports.chunks indexes %+v: no unique files_id_1_n_1", specs)
	}
	bucket := st.DB().GridFSBucket(options.GridFSBucket().SetName(store.ReportsBucket))
	if err := bucket.UploadFromStreamWithID(ctxT(t), "r1", "r1.pdf", bytes.NewReader([]byte("%PDF"))); err != nil {
		t.Fatalf("upload into the indexed bucket: %v", err)
	}
	var out bytes.Buffer
	if _, err := bucket.DownloadToStream(ctxT(t), "r1", &out); err != nil || out.String() != "%PDF" {
		t.Fatalf("download %q, %v", out.String(), err)
	}
	n, err := st.DB().Collection(store.ReportsBucket+".files").CountDocuments(ctxT(t), bson.D{})
	if err != nil || n != 1 {
		t.Fatalf("%d files, %v", n, err)
	}
}
