// Package opendata keeps the files of /datos ready. For every form and every
// published semester (report.PublishedSemesters) the Materializer stores a
// snapshot: the CSV and the JSON in every interface language, rendered once
// and made again only when that semester's responses change. Library answers
// what /datos asks for from those snapshots alone, so a download is one
// lookup by _id whatever the number of responses. There is no HTTP here:
// internal/server serves what Library returns. See docs/reports.md.
package opendata

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
	"github.com/consulta/consulta/internal/locale"
	"github.com/consulta/consulta/internal/report"
)

// DefaultInterval is how often the materializer looks for new or changed
// periods when Config.Interval is not set. A pass that finds nothing to do
// costs a few counts of responses and lookups by _id.
const DefaultInterval = 15 * time.Minute

// Store is what the materializer reads and writes; *store.Store is one.
type Store interface {
	report.Source
	CountResponses(ctx context.Context, f consulta.ResponseFilter) (int64, error)
	OpenDataCatalog(ctx context.Context) (*consulta.OpenDataCatalog, error)
	SaveOpenDataCatalog(ctx context.Context, c *consulta.OpenDataCatalog) error
	SaveOpenDataSnapshot(ctx context.Context, s *consulta.OpenDataSnapshot) error
}

// Config is what a Materializer needs. Zero values of the optional fields
// take the defaults named on them.
type Config struct {
	Store      Store
	Forms      *forms.Registry
	Translator *locale.Translator
	Geo        *geo.Catalog
	// K is the suppression threshold (report.DefaultK when 0).
	K int
	// Location is where semesters are reckoned (consulta.DefaultLocation when nil).
	Location *time.Location
	// Interval is the time between passes (DefaultInterval when 0).
	Interval time.Duration
	Logger   *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Observe, when set, is told of every pass ("pass") and every snapshot
	// made ("snapshot"), with how long it took and its error (metrics).
	Observe func(job string, took time.Duration, err error)
	// PageHosts are the hosts, besides those of each form's origins, whose
	// pages are named (report.Options.PageHosts).
	PageHosts []string
	// Org names the organisation on the HTML pages' cover (report.DocumentOptions.Org).
	Org string
}

// Materializer makes and refreshes the snapshots of /datos.
type Materializer struct {
	cfg    Config
	loc    *time.Location
	cancel context.CancelFunc
	done   chan struct{}
}

// New returns a materializer; Start runs it in the background.
func New(cfg Config) *Materializer {
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultInterval
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Materializer{cfg: cfg, loc: location(cfg.Location)}
}

// location is loc, or the default time zone of reports.
func location(loc *time.Location) *time.Location {
	if loc != nil {
		return loc
	}
	return consulta.DefaultLocation()
}

// Start runs a pass at once, then one every Interval, and one as soon as a
// semester becomes published, until ctx ends or Stop is called.
func (m *Materializer) Start(ctx context.Context) {
	ctx, m.cancel = context.WithCancel(ctx)
	m.done = make(chan struct{})
	go m.loop(ctx)
}

// Stop ends the background passes and waits for the one under way, which is
// cancelled: a snapshot is stored whole or not at all, and the next start
// makes what is missing.
func (m *Materializer) Stop() {
	if m.cancel == nil {
		return
	}
	m.cancel()
	<-m.done
	m.cancel = nil
}

func (m *Materializer) loop(ctx context.Context) {
	defer close(m.done)
	for {
		if err := m.Run(ctx); err != nil && ctx.Err() == nil {
			m.cfg.Logger.Error("open data: pass failed; retried at the next one", "err", err)
		}
		timer := time.NewTimer(m.untilNextPass())
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		}
	}
}

// untilNextPass is Interval, or less when a semester becomes published
// before then, so that its files are ready soon after.
func (m *Materializer) untilNextPass() time.Duration {
	now := m.cfg.Now()
	_, end := report.LatestPublished(now, m.loc).Next().Bounds(m.loc)
	if wait := end.Add(report.PublishGrace).Sub(now) + time.Second; wait > 0 && wait < m.cfg.Interval {
		return wait
	}
	return m.cfg.Interval
}

// Run makes, once, every snapshot that is missing or stale, and returns. A
// snapshot is stale when its recipe changed (form version, translations, k)
// or its fingerprint did: the number of responses in its period (late
// imports, removals) or, for forms whose files publish triage statuses, the
// number with each status. Responses are never edited but for their status,
// so that is every change; each count is answered from an index.
func (m *Materializer) Run(ctx context.Context) (err error) {
	start := time.Now()
	defer func() { m.observe(ctx, "pass", time.Since(start), err) }()
	now := m.cfg.Now()
	cat, err := m.catalog(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, f := range m.cfg.Forms.All() {
		if err := m.refreshForm(ctx, cat, f, now); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			errs = append(errs, err) // one form failing does not hold the others
		}
	}
	cat.UpdatedAt = now
	return errors.Join(append(errs, m.cfg.Store.SaveOpenDataCatalog(ctx, cat))...)
}

// catalog reads the catalog, or starts an empty one.
func (m *Materializer) catalog(ctx context.Context) (*consulta.OpenDataCatalog, error) {
	cat, err := m.cfg.Store.OpenDataCatalog(ctx)
	if consulta.ErrorCode(err) == consulta.ENOTFOUND {
		return &consulta.OpenDataCatalog{}, nil
	}
	return cat, err
}

// refreshForm makes the missing and stale snapshots of f.
func (m *Materializer) refreshForm(ctx context.Context, cat *consulta.OpenDataCatalog, f *forms.Form, now time.Time) error {
	counts, err := m.count(ctx, f.ID, report.LatestPublished(now, m.loc))
	if err != nil {
		return err
	}
	entry := ensureFormEntry(cat, f.ID)
	entry.First = earlier(entry.First, counts.first())
	first, _ := report.ParseSemester(entry.First)
	published := report.PublishedSemesters(first, now, m.loc)
	if len(published) == 0 {
		return nil
	}
	recipe := m.recipe(ctx, f)
	for _, p := range published {
		fp, err := m.fingerprint(ctx, f, p, counts[p])
		if err != nil {
			return err
		}
		if e := periodEntry(entry, p.String()); e != nil && e.Recipe == recipe && sameFingerprint(e.OpenDataFingerprint, fp) {
			continue
		}
		snap, err := m.materialize(ctx, f, p, recipe, now)
		if err != nil {
			return err
		}
		setPeriod(entry, consulta.OpenDataPeriod{Period: snap.Period, OpenDataFingerprint: snap.OpenDataFingerprint,
			Recipe: snap.Recipe, ComputedAt: snap.ComputedAt})
		// Saved after every snapshot, so that the index page lists each as
		// soon as it is ready, even during a long first pass.
		if err := m.cfg.Store.SaveOpenDataCatalog(ctx, cat); err != nil {
			return err
		}
	}
	return nil
}

// observe reports a job to Config.Observe; a job cut short by shutdown is
// not a failure.
func (m *Materializer) observe(ctx context.Context, job string, took time.Duration, err error) {
	if m.cfg.Observe == nil || (err != nil && ctx.Err() != nil) {
		return
	}
	m.cfg.Observe(job, took, err)
}
