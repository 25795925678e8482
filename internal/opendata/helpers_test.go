package opendata_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/shippedtest"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
	"github.com/consulta/consulta/internal/locale"
	"github.com/consulta/consulta/internal/opendata"
	"github.com/consulta/consulta/internal/report"
	"github.com/consulta/consulta/internal/seed"
	"github.com/consulta/consulta/internal/store"
	"github.com/consulta/consulta/internal/storetest"
)

// fixture is a real store on the embedded FerretDB, the shipped forms and
// translations, and a clock the test moves.
type fixture struct {
	st  *store.Store
	reg *forms.Registry
	cat *geo.Catalog
	tr  *locale.Translator
	loc *time.Location

	mu  sync.Mutex
	now time.Time
	// snapshots counts the snapshots made; errs are the jobs that failed.
	snapshots int
	errs      []error
}

func newFixture(t testing.TB, now time.Time) *fixture {
	t.Helper()
	reg, tr, cat := shippedtest.Catalogs(t)
	loc, err := time.LoadLocation(consulta.DefaultTimeZone)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{st: storetest.New(t), reg: reg, cat: cat, tr: tr, loc: loc, now: now}
}

func (fx *fixture) clock() time.Time {
	fx.mu.Lock()
	defer fx.mu.Unlock()
	return fx.now
}

func (fx *fixture) setClock(t time.Time) {
	fx.mu.Lock()
	defer fx.mu.Unlock()
	fx.now = t
}

// materializer is a Materializer on the fixture that counts what it makes.
func (fx *fixture) materializer() *opendata.Materializer {
	return opendata.New(opendata.Config{Store: fx.st, Forms: fx.reg, Translator: fx.tr, Geo: fx.cat, Location: fx.loc,
		Now: fx.clock, Observe: fx.observe})
}

func (fx *fixture) observe(job string, _ time.Duration, err error) {
	fx.mu.Lock()
	defer fx.mu.Unlock()
	if err != nil {
		fx.errs = append(fx.errs, fmt.Errorf("%s: %w", job, err))
	}
	if job == "snapshot" {
		fx.snapshots++
	}
}

// made returns the number of snapshots made since the last call.
func (fx *fixture) made() int {
	fx.mu.Lock()
	defer fx.mu.Unlock()
	n := fx.snapshots
	fx.snapshots = 0
	return n
}

func (fx *fixture) library() *opendata.Library {
	return &opendata.Library{Snapshots: fx.st, Forms: fx.reg, Location: fx.loc, Now: fx.clock}
}

// semester returns the bounds of a semester in Guatemala.
func (fx *fixture) semester(year, half int) (time.Time, time.Time) {
	return report.Semester{Year: year, Half: half}.Bounds(fx.loc)
}

// seed stores n synthetic responses to form over semester year-half.
func (fx *fixture) seed(t testing.TB, formID string, n, year, half int, s uint64) []*consulta.Response {
	t.Helper()
	f, ok := fx.reg.Get(formID)
	if !ok {
		t.Fatalf("no form %s", formID)
	}
	from, to := fx.semester(year, half)
	rs, cs := seed.Generate(f, fx.cat, n, from, to, rand.New(rand.NewPCG(s, s+1)))
	fx.insert(t, rs, cs)
	return rs
}

func (fx *fixture) insert(t testing.TB, rs []*consulta.Response, cs []*consulta.Contact) {
	t.Helper()
	if _, err := fx.st.InsertResponses(ctxT(t), rs, cs); err != nil {
		t.Fatalf("insert: %v", err)
	}
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	return ctx
}
