package metrics

import (
	"context"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/intake"
)

// Pinger is the store's health check (server.Pinger).
type Pinger interface {
	Ping(ctx context.Context) error
}

// ObservedWriter counts the failures of the ingest path's store writes.
type ObservedWriter struct {
	intake.ResponseWriter
	metrics *Metrics
}

// WrapWriter returns w with its failures counted as store errors.
func (m *Metrics) WrapWriter(w intake.ResponseWriter) *ObservedWriter {
	return &ObservedWriter{ResponseWriter: w, metrics: m}
}

// InsertResponse implements intake.ResponseWriter.
func (o *ObservedWriter) InsertResponse(ctx context.Context, r *consulta.Response, c *consulta.Contact) (*consulta.Response, bool, error) {
	stored, created, err := o.ResponseWriter.InsertResponse(ctx, r, c)
	o.metrics.StoreError("insert_response", err)
	return stored, created, err
}

// ObservedPinger counts failed readiness pings as store errors.
type ObservedPinger struct {
	Pinger
	metrics *Metrics
}

// WrapPinger returns p with its failures counted as store errors.
func (m *Metrics) WrapPinger(p Pinger) *ObservedPinger {
	return &ObservedPinger{Pinger: p, metrics: m}
}

// Ping implements Pinger.
func (o *ObservedPinger) Ping(ctx context.Context) error {
	err := o.Pinger.Ping(ctx)
	o.metrics.StoreError("ping", err)
	return err
}
