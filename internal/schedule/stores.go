package schedule

import (
	"context"
	"io"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

// RunStore keeps the run records; *store.Store is one. The records are
// Run values, which it encodes and decodes as they are.
type RunStore interface {
	InsertReportRun(ctx context.Context, id string, run any) error
	TakeOverReportRun(ctx context.Context, id, owner string, now, leaseUntil time.Time, out any) error
	RenewReportRun(ctx context.Context, id, owner string, leaseUntil time.Time) (bool, error)
	ReplaceReportRun(ctx context.Context, id, owner string, run any) error
	ReportRun(ctx context.Context, id string, out any) error
	RecentReportRuns(ctx context.Context, limit int, out any) error
	OpenReportRuns(ctx context.Context, out any) error
	DoneReportRuns(ctx context.Context, limit int, out any) error
	ClaimableReportRuns(ctx context.Context, now time.Time, out any) error
}

// FileStore keeps the report PDFs and their HTML twins; *store.Store is one.
// The files it describes are consulta.ReportFile values: their metadata is a
// StoredReport.
type FileStore interface {
	HasReportFile(ctx context.Context, id string) (bool, error)
	ReportFile(ctx context.Context, id string) (consulta.ReportFile, error)
	SaveReportFile(ctx context.Context, id, name string, meta any, pdf []byte) error
	ReportFiles(ctx context.Context, formID string, limit int) ([]consulta.ReportFile, error)
	OpenReportFile(ctx context.Context, id string) (io.ReadCloser, consulta.ReportFile, error)
	ReplaceReportHTML(ctx context.Context, id, name string, html []byte) error
	OpenReportHTML(ctx context.Context, id string) (io.ReadCloser, error)
}

// Store is what the scheduler keeps: its run records and the reports.
type Store interface {
	RunStore
	FileStore
}
