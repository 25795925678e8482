package schedule

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/report"
	"github.com/consulta/consulta/internal/store"
)

// Bucket is the GridFS bucket that holds the reports (declared in package
// store with every other collection).
const Bucket = store.ReportsBucket

// Archive keeps report PDFs in GridFS with their metadata: the scheduled
// ones and those made on demand in the workspace.
type Archive struct {
	st     *store.Store
	bucket *mongo.GridFSBucket
	html   *mongo.GridFSBucket // the HTML twins, under the PDFs' ids
}

// NewArchive returns the archive of st.
func NewArchive(st *store.Store) *Archive {
	return &Archive{st: st, bucket: st.DB().GridFSBucket(options.GridFSBucket().SetName(Bucket)),
		html: st.DB().GridFSBucket(options.GridFSBucket().SetName(HTMLBucket))}
}

// StoredReport describes a stored report. ID is the GridFS file id:
// "<run id>:<form>:<lang>" for scheduled reports.
type StoredReport struct {
	ID          string    `bson:"-" json:"id"`
	Filename    string    `bson:"-" json:"filename"`
	Size        int64     `bson:"-" json:"size"`
	Uploaded    time.Time `bson:"-" json:"uploaded"`
	Kind        string    `bson:"kind" json:"kind"` // monthly, biannual, on_demand
	Run         string    `bson:"run,omitempty" json:"run,omitempty"`
	FormID      string    `bson:"form" json:"form"`
	Lang        string    `bson:"lang" json:"lang"`
	From        time.Time `bson:"from" json:"from"`
	To          time.Time `bson:"to" json:"to"`
	Responses   int64     `bson:"responses" json:"responses"`
	Suppressed  bool      `bson:"suppressed" json:"suppressed"` // the total itself was under k
	K           int       `bson:"k" json:"k"`
	GeneratedAt time.Time `bson:"generated_at" json:"generated_at"`
	GeneratedBy string    `bson:"generated_by,omitempty" json:"generated_by,omitempty"`
	// Digest is the report's summary in its language, for the e-mails of
	// scheduled reports (reports stored before it existed have none).
	Digest *report.Digest `bson:"digest,omitempty" json:"digest,omitempty"`
	// HTML says that the report's accessible HTML twin is stored beside it
	// (SaveTwin); reports stored before twins existed have none.
	HTML bool `bson:"html,omitempty" json:"html"`
}

// Has reports whether a report with this id is stored.
func (a *Archive) Has(ctx context.Context, id string) (bool, error) {
	ctx, cancel := a.st.OpContext(ctx)
	defer cancel()
	err := a.bucket.GetFilesCollection().FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Err()
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("archive: %w", err)
	}
	return true, nil
}

// Save stores a report under id. Saving an id that exists is an ECONFLICT
// error: the first one stays.
func (a *Archive) Save(ctx context.Context, id string, meta StoredReport, pdf []byte) error {
	ctx, cancel := a.st.OpContext(ctx)
	defer cancel()
	name := meta.FormID + "-" + meta.From.Format("2006-01-02") + "-" + meta.Lang + ".pdf"
	err := a.bucket.UploadFromStreamWithID(ctx, id, name, bytes.NewReader(pdf), options.GridFSUpload().SetMetadata(meta))
	if mongo.IsDuplicateKeyError(err) {
		return consulta.Errorf(consulta.ECONFLICT, "archive: report %s already stored", id)
	}
	if err != nil {
		return fmt.Errorf("archive: store %s: %w", id, err)
	}
	return nil
}

// List returns the stored reports, newest first; formID filters when not
// empty; limit 0 means all.
func (a *Archive) List(ctx context.Context, formID string, limit int) ([]StoredReport, error) {
	ctx, cancel := a.st.OpContext(ctx)
	defer cancel()
	filter := bson.D{}
	if formID != "" {
		filter = bson.D{{Key: "metadata.form", Value: formID}}
	}
	opts := options.GridFSFind().SetSort(bson.D{{Key: "uploadDate", Value: -1}})
	if limit > 0 {
		opts.SetLimit(int32(limit))
	}
	cur, err := a.bucket.Find(ctx, filter, opts)
	if err != nil {
		return nil, fmt.Errorf("archive: list: %w", err)
	}
	defer cur.Close(ctx)
	var out []StoredReport
	for cur.Next(ctx) {
		var f mongo.GridFSFile
		if err := cur.Decode(&f); err != nil {
			return nil, fmt.Errorf("archive: list: %w", err)
		}
		out = append(out, describe(f))
	}
	return out, cur.Err()
}

func describe(f mongo.GridFSFile) StoredReport {
	var r StoredReport
	if f.Metadata != nil {
		_ = bson.Unmarshal(f.Metadata, &r)
	}
	r.ID = fmt.Sprint(f.ID)
	r.Filename, r.Size, r.Uploaded = f.Name, f.Length, f.UploadDate
	return r
}

// Open returns a stored report's content and description. A missing id is
// an ENOTFOUND error. The caller closes the reader.
func (a *Archive) Open(ctx context.Context, id string) (io.ReadCloser, StoredReport, error) {
	// A download is a stream of round trips; it gets a deadline of its own,
	// released when the caller closes it.
	ctx, cancel := context.WithTimeout(ctx, downloadTimeout)
	ds, err := a.bucket.OpenDownloadStream(ctx, id)
	if err != nil {
		cancel()
		if errors.Is(err, mongo.ErrFileNotFound) {
			return nil, StoredReport{}, consulta.Errorf(consulta.ENOTFOUND, "archive: no report %s", id)
		}
		return nil, StoredReport{}, fmt.Errorf("archive: open %s: %w", id, err)
	}
	return download{ds, cancel}, describe(*ds.GetFile()), nil
}

// downloadTimeout bounds the reading of one stored report.
const downloadTimeout = 2 * time.Minute

type download struct {
	*mongo.GridFSDownloadStream
	cancel context.CancelFunc
}

func (d download) Close() error {
	defer d.cancel()
	return d.GridFSDownloadStream.Close()
}
