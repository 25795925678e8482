package schedule

import (
	"context"
	"io"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/report"
)

// Archive keeps report PDFs in the store with their metadata: the scheduled
// ones and those made on demand in the workspace.
type Archive struct {
	st FileStore
}

// NewArchive returns the archive of st.
func NewArchive(st FileStore) *Archive { return &Archive{st: st} }

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
	return a.st.HasReportFile(ctx, id)
}

// Save stores a report under id. Saving an id that exists is an ECONFLICT
// error: the first one stays.
func (a *Archive) Save(ctx context.Context, id string, meta StoredReport, pdf []byte) error {
	name := meta.FormID + "-" + meta.From.Format("2006-01-02") + "-" + meta.Lang + ".pdf"
	return a.st.SaveReportFile(ctx, id, name, meta, pdf)
}

// List returns the stored reports, newest first; formID filters when not
// empty; limit 0 means all.
func (a *Archive) List(ctx context.Context, formID string, limit int) ([]StoredReport, error) {
	files, err := a.st.ReportFiles(ctx, formID, limit)
	out := make([]StoredReport, 0, len(files))
	for _, f := range files {
		out = append(out, describe(f))
	}
	return out, err
}

// describe is the description of a stored file. Metadata that does not
// decode leaves the file's name, size and date: the list still shows it.
func describe(f consulta.ReportFile) StoredReport {
	var r StoredReport
	_ = f.DecodeMetadata(&r)
	r.ID, r.Filename, r.Size, r.Uploaded = f.ID, f.Name, f.Size, f.Uploaded
	return r
}

// Open returns a stored report's content and description. A missing id is
// an ENOTFOUND error. The caller closes the reader.
func (a *Archive) Open(ctx context.Context, id string) (io.ReadCloser, StoredReport, error) {
	rc, f, err := a.st.OpenReportFile(ctx, id)
	if err != nil {
		return nil, StoredReport{}, err
	}
	return rc, describe(f), nil
}
