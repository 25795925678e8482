package report

import (
	"context"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
	"github.com/consulta/consulta/internal/locale"
	"github.com/consulta/consulta/internal/pdf"
)

// Deps is what Generate needs from the application.
type Deps struct {
	Source     Source
	Forms      *forms.Registry
	Translator *locale.Translator
	Geo        *geo.Catalog
	// Location is the time zone of periods and dates (consulta.DefaultLocation when nil).
	Location *time.Location
	// K is the suppression threshold (DefaultK when 0).
	K int
	// Versions gives earlier form definitions (the Source when nil and able).
	Versions VersionSource
	// Actions, when set, lists the "you said, we did" actions of a form and
	// period for the report.
	Actions func(ctx context.Context, formID string, from, to time.Time) ([]Action, error)
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// PageHosts are the hosts, besides those of the form's origins, whose
	// pages are named in page tables (Options.PageHosts).
	PageHosts []string
	// Org is the organisation that runs the service (CONSULTA_ORG_NAME),
	// named on every report's cover and as its author; OrgLogo its logo
	// (CONSULTA_ORG_LOGO_FILE), nil for none. Without Org, the translations'
	// report.author is used.
	Org     string
	OrgLogo []byte
	// Session, when set, looks up a focus-group session's place, date,
	// organisation and facilitator for its summary's cover (ENOTFOUND: the
	// code alone).
	Session func(ctx context.Context, code string) (*SessionInfo, error)
	// SessionK, when set, is the suppression threshold of session summaries
	// (CONSULTA_SESSION_K), K that of every other report.
	SessionK int
}

// Params choose a report: a form and a period [From, To), or a focus-group
// Session (From and To then unused), and the language.
type Params struct {
	FormID   string
	From, To time.Time
	Session  string
	Lang     string // "es" when empty
}

// Counter counts responses; *store.Store is one. Generate uses it, when the
// Source is one, to give its progress a total.
type Counter interface {
	CountResponses(ctx context.Context, f consulta.ResponseFilter) (int64, error)
}

// Generate writes the PDF report of p to w and returns its aggregate. The
// period report compares with the period of the same length before.
//
// progress, when set, is called as responses are read with how many have
// been, and the total to read: -1 until it is known (the total is counted
// alongside the reading, which an unindexed store does as slowly), then the
// count. Its last call has done == total.
func Generate(ctx context.Context, deps Deps, p Params, w io.Writer, progress func(done, total int64)) (*Aggregate, error) {
	a, doc, _, err := compose(ctx, deps, p, progress)
	if err != nil {
		return nil, err
	}
	if err := pdf.Write(w, doc); err != nil {
		return nil, err
	}
	return a, nil
}

// compose computes the report of p once and lays it out as the document
// both renderers draw (the PDF, and its HTML twin in GenerateTwin).
func compose(ctx context.Context, deps Deps, p Params, progress func(done, total int64)) (*Aggregate, *pdf.Document, Labels, error) {
	f, ok := deps.Forms.Get(p.FormID)
	if !ok {
		return nil, nil, Labels{}, consulta.Errorf(consulta.ENOTFOUND, "report: no form %q", p.FormID)
	}
	now := time.Now
	if deps.Now != nil {
		now = deps.Now
	}
	generated := now()
	o := Options{K: deps.K, Location: deps.Location, Geo: deps.Geo, Versions: deps.Versions, Compare: p.Session == "",
		PageHosts: deps.PageHosts}
	if p.Session != "" && deps.SessionK > 0 {
		o.K = deps.SessionK
	}
	stopCount := func() {}
	if progress != nil {
		o.Progress, stopCount = trackProgress(ctx, deps.Source, f, p, o.location(), progress)
	}
	var (
		a   *Aggregate
		err error
	)
	if p.Session != "" {
		a, err = Summary(ctx, deps.Source, f, p.Session, o)
	} else {
		a, err = Compute(ctx, deps.Source, f, p.From, p.To, o)
	}
	stopCount()
	if err != nil {
		return nil, nil, Labels{}, err
	}
	var actions []Action
	if deps.Actions != nil && p.Session == "" {
		if actions, err = deps.Actions(ctx, f.ID, p.From, p.To); err != nil {
			return nil, nil, Labels{}, err
		}
	}
	session, err := sessionInfo(ctx, deps, p.Session)
	if err != nil {
		return nil, nil, Labels{}, err
	}
	lang := p.Lang
	if lang == "" {
		lang = locale.Source
	}
	labels := NewLabels(deps.Translator, lang, o.location())
	doc := Document(a, labels, DocumentOptions{Generated: generated, Actions: actions, Org: deps.Org, OrgLogo: deps.OrgLogo, Session: session})
	return a, doc, labels, nil
}

// trackProgress counts the responses to read alongside the reading (when the
// source can count) and reports both to progress. The returned stop waits for
// the count and makes the final call.
func trackProgress(ctx context.Context, src Source, f *forms.Form, p Params, loc *time.Location, progress func(done, total int64)) (func(int64), func()) {
	var total, done atomic.Int64
	total.Store(-1)
	var mu sync.Mutex // progress is called from the reader and the counter
	call := func(d, t int64) {
		mu.Lock()
		defer mu.Unlock()
		progress(d, t)
	}
	counted := make(chan struct{})
	countCtx, cancel := context.WithCancel(ctx)
	if c, ok := src.(Counter); ok {
		filter := consulta.ResponseFilter{FormID: f.ID, Session: p.Session}
		if p.Session == "" {
			prev := period{from: p.From, to: p.To}.previous(loc)
			filter.From, filter.To = prev.from, p.To
		}
		go func() {
			defer close(counted)
			if n, err := c.CountResponses(countCtx, filter); err == nil {
				total.Store(n)
				call(done.Load(), n)
			}
		}()
	} else {
		close(counted)
	}
	report := func(n int64) {
		done.Store(n)
		call(n, total.Load())
	}
	stop := func() {
		cancel()
		<-counted
		n := done.Load()
		call(n, n)
	}
	return report, stop
}
