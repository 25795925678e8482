package workspace

import (
	"context"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/importer"
	"github.com/consulta/consulta/internal/report"
	"github.com/consulta/consulta/internal/schedule"
)

// Store is what the workspace reads and writes; *store.Store is one. Beside
// its own calls it is the source of the live view and of exports, the
// importer's store and the reports' archive and run history.
type Store interface {
	report.Source
	ExportSource
	importer.Store
	schedule.Store

	Response(ctx context.Context, id string) (*consulta.Response, error)
	Browse(ctx context.Context, f consulta.ResponseFilter, after consulta.PageKey, limit int) (*consulta.ResponsePage, consulta.Estimate, error)
	CountResponses(ctx context.Context, f consulta.ResponseFilter) (int64, error)
	Triage(ctx context.Context, id string) (*consulta.Triage, error)
	SaveTriage(ctx context.Context, r *consulta.Response, u consulta.TriageUpdate) (*consulta.Triage, error)
	RecentActions(ctx context.Context, limit int) ([]consulta.Action, error)
	SharedAction(ctx context.Context, id string) (*consulta.Action, error)
	SetReply(ctx context.Context, id, state string) error

	User(ctx context.Context, id string) (*consulta.User, error)
	Users(ctx context.Context) ([]*consulta.User, error)
	SetUserReplies(ctx context.Context, id string, replies bool, now time.Time) error
	AppendAudit(ctx context.Context, e *consulta.AuditEntry) error
	AuditEntries(ctx context.Context, f consulta.AuditFilter) ([]*consulta.AuditEntry, error)

	CreateFocusGroup(ctx context.Context, g *consulta.FocusGroup, newCode func() string) error
	FocusGroup(ctx context.Context, code string) (*consulta.FocusGroup, error)
	FocusGroups(ctx context.Context, org string) ([]*consulta.FocusGroup, error)
	SetFocusGroupWindow(ctx context.Context, code string, opens, closes, now time.Time) error

	MailList(ctx context.Context, id string) (*consulta.MailList, error)
	MailLists(ctx context.Context) ([]*consulta.MailList, error)
	DeleteMailList(ctx context.Context, id string) error
}
