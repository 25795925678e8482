package report

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
)

// DefaultK is the suppression threshold when none is configured: counts from
// 1 to 4 are never published.
const DefaultK = 5

// Source streams responses; *store.Store is one. When it also implements
// VersionSource, earlier form versions are read from it.
type Source interface {
	EachResponse(ctx context.Context, f consulta.ResponseFilter, fields []string, fn func(*consulta.Response) error) error
}

// Options tune an aggregation. The zero value is usable.
type Options struct {
	// K is the suppression threshold (DefaultK when 0; 1 turns suppression
	// off, for internal views only).
	K int
	// TextK, when higher than K, is the threshold of the frequent words of
	// free text: the live view of a session shows its small counts (K 1) but
	// no word fewer than the configured k answers use.
	TextK int
	// Location is the time zone of time buckets (consulta.DefaultLocation
	// when nil).
	Location *time.Location
	// Geo names departments; without it they are listed by code only.
	Geo *geo.Catalog
	// Versions gives earlier form definitions; when nil, the Source is used if
	// it is a VersionSource.
	Versions VersionSource
	// Compare adds the previous period of the same length (Aggregate.Previous).
	Compare bool
	// PageHosts are the hosts, besides those of the form's origins, whose
	// pages are named in page tables (config.KeptPageHosts; see pages.go).
	PageHosts []string
	// Progress, when set, is called every few thousand responses read with
	// how many have been read so far.
	Progress func(read int64)
}

func (o Options) k() int {
	if o.K <= 0 {
		return DefaultK
	}
	return o.K
}

func (o Options) textK() int { return max(o.TextK, o.k()) }

func (o Options) location() *time.Location {
	if o.Location != nil {
		return o.Location
	}
	return consulta.DefaultLocation()
}

func (o Options) versions(src Source) VersionSource {
	if o.Versions != nil {
		return o.Versions
	}
	vs, _ := src.(VersionSource)
	return vs
}

// progressEvery is how often Options.Progress is called, in responses.
const progressEvery = 2000

// Compute aggregates the responses to form f received in [from, to), reading
// them once through a cursor; memory does not depend on how many there are. With o.Compare, the same cursor also reads the period of the
// same length before from, for Aggregate.Previous.
func Compute(ctx context.Context, src Source, f *forms.Form, from, to time.Time, o Options) (*Aggregate, error) {
	if from.IsZero() || to.IsZero() || !to.After(from) {
		return nil, consulta.Errorf(consulta.EINVALID, "report: the period must have a start before its end")
	}
	return compute(ctx, src, f, period{from: from, to: to}, "", o)
}

// Summary aggregates the responses of one focus-group session (all dates),
// for the summary the facilitator hands the ministry. The same privacy rules
// apply, with o.K.
func Summary(ctx context.Context, src Source, f *forms.Form, session string, o Options) (*Aggregate, error) {
	if session == "" {
		return nil, consulta.Errorf(consulta.EINVALID, "report: no session code")
	}
	o.Compare = false
	return compute(ctx, src, f, period{}, session, o)
}

type period struct{ from, to time.Time }

// previous is the period of the same length just before p: the same number
// of calendar months when p is whole months in loc (January–June compares
// with July–December), else the same duration.
func (p period) previous(loc *time.Location) period {
	from, to := p.from.In(loc), p.to.In(loc)
	if firstOfMonth(from) && firstOfMonth(to) {
		months := (to.Year()-from.Year())*12 + int(to.Month()-from.Month())
		return period{from: from.AddDate(0, -months, 0), to: p.from}
	}
	return period{from: p.from.Add(-p.to.Sub(p.from)), to: p.from}
}

func firstOfMonth(t time.Time) bool {
	return t.Day() == 1 && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

func (p period) contains(t time.Time) bool {
	return (p.from.IsZero() || !t.Before(p.from)) && (p.to.IsZero() || t.Before(p.to))
}

func compute(ctx context.Context, src Source, f *forms.Form, cur period, session string, o Options) (*Aggregate, error) {
	loc := o.location()
	sch := newSchema(ctx, f, o.versions(src))
	seed := hashString(f.ID + "|" + cur.from.UTC().Format(time.RFC3339) + "|" + cur.to.UTC().Format(time.RFC3339) + "|" + session)
	now := newTally(sch, newBuckets(cur.from, cur.to, loc), false, seed)
	filter := consulta.ResponseFilter{FormID: f.ID, Session: session, From: cur.from, To: cur.to}
	var before *tally
	var prev period
	if o.Compare && !cur.from.IsZero() {
		prev = cur.previous(loc)
		before = newTally(sch, nil, true, seed)
		filter.From = prev.from
	}
	var read int64
	// No projection: the report needs nearly every field, and the embedded
	// store applies projections document by document after decoding them,
	// which made the read 45 % slower than fetching whole documents
	// (docs/performance.md).
	err := src.EachResponse(ctx, filter, nil, func(r *consulta.Response) error {
		read++
		dropForeignPage(f, r, o.PageHosts)
		if o.Progress != nil && read%progressEvery == 0 {
			o.Progress(read)
		}
		switch {
		case cur.contains(r.ReceivedAt):
			now.add(r)
		case before != nil && prev.contains(r.ReceivedAt):
			before.add(r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("report: reading responses of %s: %w", f.ID, err)
	}
	if o.Progress != nil {
		o.Progress(read)
	}
	if before != nil {
		linkPrevious(now, before)
	}
	a := assemble(f, now, cur, session, o)
	if before != nil {
		a.Previous = assemble(f, before, prev, session, o)
	}
	return a, nil
}

// assemble builds and suppresses the aggregate of one tally. A page whose
// count ends up hidden (by complementary suppression) is never named: it is
// moved to the other pages and the aggregate laid out again, until every page
// named has its count published.
func assemble(f *forms.Form, t *tally, p period, session string, o Options) *Aggregate {
	unlisted := map[string]bool{}
	scrubber := NewScrubber(SpanishPlaceholders())
	for {
		a := &Aggregate{
			FormID: f.ID, FormVersion: f.Version, Kind: f.Kind, Title: f.Title,
			From: p.from, To: p.to, Session: session, K: o.k(),
		}
		b := &builder{led: newLedger(o.k()), geo: o.Geo, scrubber: scrubber,
			termK: int64(o.textK()), unlisted: unlisted}
		b.build(a, t)
		b.finish()
		hidden := hiddenPages(a)
		if len(hidden) == 0 {
			return a
		}
		for _, page := range hidden {
			unlisted[page] = true
		}
	}
}

// hiddenPages lists the pages an aggregate names next to a hidden count.
func hiddenPages(a *Aggregate) []string {
	var out []string
	for _, c := range a.Pages {
		if c.Key != "" && c.Suppressed {
			out = append(out, c.Key)
		}
	}
	if a.PageRanking != nil {
		for _, r := range a.PageRanking.Rows {
			if r.Page != "" && r.Total.Suppressed {
				out = append(out, r.Page)
			}
		}
	}
	return out
}

// itoa is strconv.Itoa for int64 counts.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }
