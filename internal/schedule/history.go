package schedule

import (
	"context"
	"slices"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

// History reads the run records, on any replica, whether it runs the
// scheduler or not (the workspace's reports page).
type History struct {
	st RunStore
}

// NewHistory returns the run history of st.
func NewHistory(st RunStore) *History { return &History{st: st} }

// Recent returns the runs, the latest started first (at most limit; 0 = all).
func (h *History) Recent(ctx context.Context, limit int) ([]Run, error) {
	var runs []Run
	err := h.st.RecentReportRuns(ctx, limit, &runs)
	return runs, err
}

// Overview returns what the reports page shows: every run not done (failed
// and waiting for its next try, or running) and the doneLimit latest done
// ones, the latest period first.
func (h *History) Overview(ctx context.Context, doneLimit int) ([]Run, error) {
	var open, done []Run
	if err := h.st.OpenReportRuns(ctx, &open); err != nil {
		return nil, err
	}
	if err := h.st.DoneReportRuns(ctx, doneLimit, &done); err != nil {
		return nil, err
	}
	runs := append(open, done...)
	slices.SortStableFunc(runs, func(a, b Run) int { return b.From.Compare(a.From) })
	return runs, nil
}

// due returns the runs that a replica may take at now: failed ones whose
// next try has come, and running ones whose lease expired (the store's
// ClaimableReportRuns).
func (h *History) due(ctx context.Context, now time.Time) ([]Run, error) {
	var runs []Run
	err := h.st.ClaimableReportRuns(ctx, now, &runs)
	return runs, err
}

// Get returns the record of one run (nil, nil when there is none).
func (h *History) Get(ctx context.Context, id string) (*Run, error) {
	var r Run
	err := h.st.ReportRun(ctx, id, &r)
	if consulta.ErrorCode(err) == consulta.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}
