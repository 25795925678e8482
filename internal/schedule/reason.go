package schedule

import (
	"context"
	"errors"

	"github.com/consulta/consulta/internal/consulta"
)

// Reason says in a word why an attempt failed, for people: the workspace
// shows it in plain words (admin.reports.reason.<reason>) beside the error.
type Reason string

// The reasons an attempt fails.
const (
	ReasonTimeout Reason = "timeout" // the store took too long
	ReasonStore   Reason = "store"   // the store could not be reached
	ReasonNoForm  Reason = "no_form" // a form to report on is not loaded
	ReasonStopped Reason = "stopped" // the server stopped during the run
	ReasonOther   Reason = "other"
)

// errNoForm marks a run asked to report on a form that is not loaded.
var errNoForm = errors.New("schedule: no such form")

// reasonOf classifies the error of a failed attempt. Database errors reach
// the scheduler through the store's mapping: an unreachable store is
// EUNAVAILABLE, and a deadline keeps context.DeadlineExceeded as its cause.
func reasonOf(err error) Reason {
	switch {
	case errors.Is(err, context.Canceled):
		return ReasonStopped
	case errors.Is(err, context.DeadlineExceeded):
		return ReasonTimeout
	case consulta.ErrorCode(err) == consulta.EUNAVAILABLE:
		return ReasonStore
	case errors.Is(err, errNoForm):
		return ReasonNoForm
	}
	return ReasonOther
}
