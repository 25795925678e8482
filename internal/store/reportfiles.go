package store

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
)

// The report PDFs (package schedule's archive) are GridFS files of the
// ReportsBucket bucket: their _id is the report's id, their metadata the
// archive's description of the report, which these methods take and give
// back as any value the driver encodes. The store knows one field of it:
// form, which lists filter on.

// reportFileOf describes a GridFS file; its metadata is decoded from BSON.
func reportFileOf(f mongo.GridFSFile) consulta.ReportFile {
	id := fmt.Sprint(f.ID)
	file := consulta.ReportFile{ID: id, Name: f.Name, Size: f.Length, Uploaded: f.UploadDate}
	if meta := f.Metadata; meta != nil {
		file.Metadata = func(v any) error {
			return wrap(bson.Unmarshal(meta, v), "decode metadata of report %s", id)
		}
	}
	return file
}

func (s *Store) reports() *mongo.GridFSBucket {
	return s.db.GridFSBucket(options.GridFSBucket().SetName(ReportsBucket))
}

// HasReportFile reports whether a report with this id is stored.
func (s *Store) HasReportFile(ctx context.Context, id string) (bool, error) {
	_, err := s.ReportFile(ctx, id)
	if isNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

// ReportFile describes the stored report id; ENOTFOUND when there is none.
func (s *Store) ReportFile(ctx context.Context, id string) (consulta.ReportFile, error) {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	var f mongo.GridFSFile
	err := s.reports().GetFilesCollection().FindOne(ctx, bson.D{{Key: fieldID, Value: id}}).Decode(&f)
	if err != nil {
		return consulta.ReportFile{}, wrap(err, "report %s", id)
	}
	return reportFileOf(f), nil
}

// SaveReportFile stores pdf as report id under the file name name, with meta
// as its metadata. Saving an id that exists is an ECONFLICT error: the first
// one stays. The upload has the operation deadline: a report is a few
// hundred kilobytes.
func (s *Store) SaveReportFile(ctx context.Context, id, name string, meta any, pdf []byte) error {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	err := s.reports().UploadFromStreamWithID(ctx, id, name, bytes.NewReader(pdf),
		options.GridFSUpload().SetMetadata(meta))
	if mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("%w: %w", consulta.Errorf(consulta.ECONFLICT, "store: report %s already stored", id), err)
	}
	return wrap(err, "store report %s", id)
}

// ReportFiles describes the stored reports, newest first; formID filters on
// the metadata's form when not empty; limit 0 means all.
func (s *Store) ReportFiles(ctx context.Context, formID string, limit int) ([]consulta.ReportFile, error) {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	filter := bson.D{}
	if formID != "" {
		filter = bson.D{{Key: "metadata.form", Value: formID}}
	}
	opts := options.GridFSFind().SetSort(bson.D{{Key: "uploadDate", Value: -1}})
	if limit > 0 {
		opts.SetLimit(int32(limit))
	}
	cur, err := s.reports().Find(ctx, filter, opts)
	if err != nil {
		return nil, wrap(err, "list reports")
	}
	defer cur.Close(ctx)
	var out []consulta.ReportFile
	for cur.Next(ctx) {
		var f mongo.GridFSFile
		if err := cur.Decode(&f); err != nil {
			return nil, wrap(err, "list reports")
		}
		out = append(out, reportFileOf(f))
	}
	return out, wrap(cur.Err(), "list reports")
}

// OpenReportFile returns the content of the stored report id and its
// description; ENOTFOUND when there is none. A download is a stream of round
// trips: it has a deadline of its own (reportDownloadTimeout), released when
// the caller closes the reader.
func (s *Store) OpenReportFile(ctx context.Context, id string) (io.ReadCloser, consulta.ReportFile, error) {
	ctx, cancel := context.WithTimeout(ctx, reportDownloadTimeout)
	ds, err := s.reports().OpenDownloadStream(ctx, id)
	if err != nil {
		cancel()
		if errors.Is(err, mongo.ErrFileNotFound) {
			err = fmt.Errorf("%w: %w", consulta.Errorf(consulta.ENOTFOUND, "store: no report %s", id), err)
		}
		return nil, consulta.ReportFile{}, wrap(err, "open report %s", id)
	}
	return download{ds, cancel}, reportFileOf(*ds.GetFile()), nil
}

// reportDownloadTimeout bounds the reading of one stored report: a few
// hundred kilobytes, far from an export's stream deadline.
const reportDownloadTimeout = 2 * time.Minute

// download is an open report: closing it releases its deadline.
type download struct {
	*mongo.GridFSDownloadStream
	cancel context.CancelFunc
}

func (d download) Close() error {
	defer d.cancel()
	return wrap(d.GridFSDownloadStream.Close(), "close report")
}

// The reports' accessible HTML twins are GridFS files of ReportHTMLBucket
// under their PDF's id, without metadata: the PDF's says there is one.

func (s *Store) reportHTML() *mongo.GridFSBucket {
	return s.db.GridFSBucket(options.GridFSBucket().SetName(ReportHTMLBucket))
}

// ReplaceReportHTML stores html as the twin of report id under the file name
// name, in place of any twin an earlier attempt left without its PDF.
func (s *Store) ReplaceReportHTML(ctx context.Context, id, name string, html []byte) error {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	if err := s.reportHTML().Delete(ctx, id); err != nil && !errors.Is(err, mongo.ErrFileNotFound) {
		return wrap(err, "replace html of report %s", id)
	}
	return wrap(s.reportHTML().UploadFromStreamWithID(ctx, id, name, bytes.NewReader(html)), "store html of report %s", id)
}

// OpenReportHTML returns the twin of report id; ENOTFOUND when there is
// none. Like a report, it has a deadline of its own (reportDownloadTimeout),
// released when the caller closes the reader.
func (s *Store) OpenReportHTML(ctx context.Context, id string) (io.ReadCloser, error) {
	ctx, cancel := context.WithTimeout(ctx, reportDownloadTimeout)
	ds, err := s.reportHTML().OpenDownloadStream(ctx, id)
	if err != nil {
		cancel()
		if errors.Is(err, mongo.ErrFileNotFound) {
			err = fmt.Errorf("%w: %w", consulta.Errorf(consulta.ENOTFOUND, "store: no html twin of report %s", id), err)
		}
		return nil, wrap(err, "open html of report %s", id)
	}
	return download{ds, cancel}, nil
}
