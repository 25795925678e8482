package opendata

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/report"
	"github.com/consulta/consulta/internal/store"
)

// Snapshots is where Library reads; *store.Store is one. Both are lookups
// by _id.
type Snapshots interface {
	OpenDataSnapshot(ctx context.Context, formID, period string) (*consulta.OpenDataSnapshot, error)
	OpenDataCatalog(ctx context.Context) (*consulta.OpenDataCatalog, error)
}

// Library answers what /datos publishes from the snapshots alone: no
// response is read while a person waits.
type Library struct {
	Snapshots Snapshots
	Forms     *forms.Registry
	// Location is where semesters are reckoned (consulta.DefaultLocation when nil).
	Location *time.Location
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// CacheFor is how long a snapshot read is kept in memory
	// (DefaultCacheFor when 0; negative: not kept, each request reads it).
	CacheFor time.Duration

	cache snapshotCache
}

// File is one download.
type File struct {
	FormID, Lang, Format string
	Period               report.Semester
	Body                 []byte
	ETag                 string
}

// Name is the file's name for Content-Disposition:
// "sugerencias-2026-S1-es.csv".
func (f *File) Name() string {
	return fmt.Sprintf("%s-%s-%s.%s", f.FormID, f.Period, f.Lang, f.Format)
}

// Refusal is why File has nothing to give for a form that exists.
type Refusal struct {
	FormID string
	// Preparing says the period is published but its snapshot is not made
	// yet: come back later (503). Otherwise the period is not published: not
	// a semester, not complete, or before the form's first responses (404).
	Preparing bool
}

func (r *Refusal) Error() string {
	if r.Preparing {
		return "open data: " + r.FormID + ": the files of this period are being prepared"
	}
	return "open data: " + r.FormID + ": no such published period"
}

// Unwrap gives the refusal its application error code, for code that knows
// only those.
func (r *Refusal) Unwrap() error {
	if r.Preparing {
		return consulta.Errorf(consulta.EUNAVAILABLE, "%s", r.Error())
	}
	return consulta.Errorf(consulta.ENOTFOUND, "%s", r.Error())
}

// File returns formID's file of period ("YYYY-SN"; "" is the latest
// published semester) in lang and format. An unknown form is ENOTFOUND; a
// period that cannot be served is a *Refusal.
//
// One lookup by _id when the file exists (none when the snapshot was read in
// the last CacheFor): a snapshot is only ever stored for a published period,
// and a published period stays published.
func (l *Library) File(ctx context.Context, formID, period, lang, format string) (*File, error) {
	if _, ok := l.Forms.Get(formID); !ok {
		return nil, consulta.Errorf(consulta.ENOTFOUND, "open data: no form %q", formID)
	}
	p, ok := l.period(period)
	if !ok {
		return nil, &Refusal{FormID: formID}
	}
	snap, err := l.snapshot(ctx, formID, p.String())
	if consulta.ErrorCode(err) == consulta.ENOTFOUND {
		return nil, l.missing(ctx, formID, p)
	}
	if err != nil {
		return nil, err
	}
	f, ok := snap.File(lang, format)
	if !ok {
		// A language added since the snapshot was made: the next pass
		// renders it (its recipe changed).
		return nil, &Refusal{FormID: formID, Preparing: true}
	}
	return &File{FormID: formID, Lang: lang, Format: format, Period: p, Body: f.Body, ETag: f.ETag}, nil
}

// snapshot reads the snapshot of formID for period, through the cache.
func (l *Library) snapshot(ctx context.Context, formID, period string) (*consulta.OpenDataSnapshot, error) {
	read := func(ctx context.Context) (*consulta.OpenDataSnapshot, error) {
		return l.Snapshots.OpenDataSnapshot(ctx, formID, period)
	}
	ttl := l.CacheFor
	if ttl == 0 {
		ttl = DefaultCacheFor
	}
	if ttl < 0 {
		return read(ctx)
	}
	return l.cache.get(ctx, store.OpenDataSnapshotID(formID, period), ttl, read)
}

// period parses a requested period; "" is the latest published semester.
// Only complete semesters can be published.
func (l *Library) period(s string) (report.Semester, bool) {
	latest := report.LatestPublished(l.now(), l.location())
	if s == "" {
		return latest, true
	}
	p, err := report.ParseSemester(s)
	if err != nil || latest.Before(p) {
		return report.Semester{}, false
	}
	return p, true
}

// missing explains a complete semester without a snapshot: not published
// (before the form's first responses), or not made yet.
func (l *Library) missing(ctx context.Context, formID string, p report.Semester) error {
	cat, err := l.Snapshots.OpenDataCatalog(ctx)
	if consulta.ErrorCode(err) == consulta.ENOTFOUND {
		return &Refusal{FormID: formID, Preparing: true} // no pass has finished a form yet
	}
	if err != nil {
		return err
	}
	e := formEntry(cat, formID)
	if e == nil {
		return &Refusal{FormID: formID, Preparing: true}
	}
	first, _ := report.ParseSemester(e.First)
	return &Refusal{FormID: formID, Preparing: report.IsPublished(p, first, l.now(), l.location())}
}

// FormPeriods is one form on the index page.
type FormPeriods struct {
	FormID string
	// Known says the materializer has looked at the form: before its first
	// pass, nobody knows yet which periods have responses.
	Known bool
	// Periods are the published semesters, newest first.
	Periods []Period
}

// Period is one published semester of a form.
type Period struct {
	Semester report.Semester
	// Ready says its files can be downloaded; otherwise they are being made.
	Ready bool
}

// Index lists every form, in the registry's order, with its published
// semesters: one lookup by _id.
func (l *Library) Index(ctx context.Context) ([]FormPeriods, error) {
	cat, err := l.Snapshots.OpenDataCatalog(ctx)
	if consulta.ErrorCode(err) == consulta.ENOTFOUND {
		cat, err = &consulta.OpenDataCatalog{}, nil
	}
	if err != nil {
		return nil, err
	}
	var out []FormPeriods
	for _, f := range l.Forms.All() {
		out = append(out, l.formPeriods(formEntry(cat, f.ID), f.ID))
	}
	return out, nil
}

// Published lists formID's published semesters, newest first (for messages
// that say which exist).
func (l *Library) Published(ctx context.Context, formID string) ([]report.Semester, error) {
	list, err := l.Index(ctx)
	if err != nil {
		return nil, err
	}
	var out []report.Semester
	for _, fp := range list {
		if fp.FormID == formID {
			for _, p := range fp.Periods {
				out = append(out, p.Semester)
			}
		}
	}
	return out, nil
}

func (l *Library) formPeriods(e *consulta.OpenDataForm, formID string) FormPeriods {
	fp := FormPeriods{FormID: formID, Known: e != nil}
	if e == nil {
		return fp
	}
	first, _ := report.ParseSemester(e.First)
	published := report.PublishedSemesters(first, l.now(), l.location())
	slices.Reverse(published)
	for _, p := range published {
		fp.Periods = append(fp.Periods, Period{Semester: p, Ready: periodEntry(e, p.String()) != nil})
	}
	return fp
}

func (l *Library) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

func (l *Library) location() *time.Location { return location(l.Location) }
