package app

import (
	"fmt"

	"github.com/consulta/consulta/internal/metrics"
	"github.com/consulta/consulta/internal/opendata"
)

// newOpenData prepares the materializer that keeps the files of /datos made
// (package opendata), its jobs counted in /metrics. Like the other background
// jobs it runs only on replicas with CONSULTA_SCHEDULER on; the others serve
// what it stores. Several replicas may run it: a snapshot made twice is the
// same snapshot.
func (a *App) newOpenData() (*opendata.Materializer, error) {
	jobs := metrics.NewOpenData()
	if err := a.metrics.Registry().Register(jobs); err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	return opendata.New(opendata.Config{
		Store: a.env.Store, Forms: a.env.Forms, Translator: a.env.Translator, Geo: a.env.Geo,
		K: a.cfg.SuppressionK, Location: a.cfg.Timezone, Logger: a.logger, Observe: jobs.Job,
		PageHosts: a.cfg.KeptPageHosts(), Org: a.cfg.OrgName,
	}), nil
}

// stopOpenData stops the materializer, if it runs, and waits for it.
func (a *App) stopOpenData() {
	if a.openData == nil {
		return
	}
	a.openData.Stop()
	a.openData = nil
	a.logger.Info("open data materializer stopped")
}
