package store

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/topology"

	"github.com/consulta/consulta/internal/consulta"
)

// wrap turns a driver error into an application error that keeps the driver's error
// as its cause: errors.As finds the *consulta.Error, errors.Is the cause. Failures to
// reach the store become EUNAVAILABLE, a missing document ENOTFOUND, anything else
// EINTERNAL. A nil err stays nil.
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	var appErr *consulta.Error
	if errors.As(err, &appErr) {
		return err
	}
	op := fmt.Sprintf(format, args...)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return fmt.Errorf("%w: %w", consulta.Errorf(consulta.ENOTFOUND, "store: %s: not found", op), err)
	case unavailable(err):
		return fmt.Errorf("%w: %w", consulta.Errorf(consulta.EUNAVAILABLE, "store: %s: store unavailable", op), err)
	default:
		return fmt.Errorf("%w: %w", consulta.Errorf(consulta.EINTERNAL, "store: %s failed", op), err)
	}
}

// unavailable reports whether err means that the store could not be reached in time,
// as opposed to a refused or malformed request: the caller may retry later.
func unavailable(err error) bool {
	switch {
	case mongo.IsTimeout(err), mongo.IsNetworkError(err):
		return true
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, mongo.ErrClientDisconnected):
		return true
	case errors.As(err, new(topology.ServerSelectionError)):
		return true
	case errors.As(err, new(topology.ConnectionError)):
		return true
	}
	if le := mongo.LabeledError(nil); errors.As(err, &le) {
		// A write concern that could not be satisfied, a primary stepping down...
		return le.HasErrorLabel("RetryableWriteError")
	}
	return false
}

// errClosed is returned by InsertResponse after Close.
func errClosed() error {
	return consulta.Errorf(consulta.EUNAVAILABLE, "store: closed")
}
