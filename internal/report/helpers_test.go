package report

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
	"github.com/consulta/consulta/internal/locale"
	"github.com/consulta/consulta/internal/seed"
	"github.com/consulta/consulta/internal/store"
	"github.com/consulta/consulta/internal/storetest"
	"github.com/consulta/consulta/locales"
)

// fixture is a real store on the embedded FerretDB, the shipped forms, the
// geographic catalog and the real translations.
type fixture struct {
	st  *store.Store
	reg *forms.Registry
	cat *geo.Catalog
	tr  *locale.Translator
	loc *time.Location
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	reg, err := forms.LoadDir("../../forms")
	if err != nil {
		t.Fatalf("forms: %v", err)
	}
	cat, err := geo.Load()
	if err != nil {
		t.Fatal(err)
	}
	tr, err := locale.Load(locales.FS, reg.All())
	if err != nil {
		t.Fatalf("locales: %v", err)
	}
	loc, err := time.LoadLocation(consulta.DefaultTimeZone)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{st: storetest.New(t), reg: reg, cat: cat, tr: tr, loc: loc}
}

func (fx *fixture) form(t testing.TB, id string) *forms.Form {
	t.Helper()
	f, ok := fx.reg.Get(id)
	if !ok {
		t.Fatalf("no form %s", id)
	}
	return f
}

// seed generates n responses and stores them; it returns them for the
// expected figures.
func (fx *fixture) seed(t testing.TB, f *forms.Form, n int, from, to time.Time, s uint64) []*consulta.Response {
	t.Helper()
	rs, cs := seed.Generate(f, fx.cat, n, from, to, rand.New(rand.NewPCG(s, s+1)))
	fx.insert(t, rs, cs)
	return rs
}

func (fx *fixture) insert(t testing.TB, rs []*consulta.Response, cs []*consulta.Contact) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := fx.st.InsertResponses(ctx, rs, cs); err != nil {
		t.Fatalf("insert: %v", err)
	}
}

func (fx *fixture) options() Options {
	return Options{Geo: fx.cat, Location: fx.loc}
}

func (fx *fixture) labels(lang string) Labels { return NewLabels(fx.tr, lang, fx.loc) }

func (fx *fixture) deps() Deps {
	return Deps{Source: fx.st, Forms: fx.reg, Translator: fx.tr, Geo: fx.cat, Location: fx.loc,
		Now: func() time.Time { return time.Date(2026, 7, 1, 6, 0, 0, 0, time.UTC) }}
}

// semester is January to June 2026 in Guatemala; previous, July to December 2025.
func semester(loc *time.Location) (from, to, prevFrom time.Time) {
	return time.Date(2026, 1, 1, 0, 0, 0, 0, loc), time.Date(2026, 7, 1, 0, 0, 0, 0, loc), time.Date(2025, 7, 1, 0, 0, 0, 0, loc)
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// published walks every count of an aggregate as JSON sees it (the form an
// outsider gets), calling fn with the JSON path and the number (nil when
// suppressed). It fails when no count above zero is published at all: a
// check of the published counts must not pass because every one is hidden.
func published(t *testing.T, a *Aggregate, fn func(path string, n *float64)) {
	t.Helper()
	shown := 0
	defer func() {
		if shown == 0 {
			t.Errorf("no count above zero is published: every check of the published ones passed vacuously")
		}
	}()
	inner := fn
	fn = func(path string, n *float64) {
		if n != nil && *n > 0 {
			shown++
		}
		inner(path, n)
	}
	data, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				if k == "n" {
					if f, ok := c.(float64); ok {
						fn(path, &f)
					} else {
						fn(path, nil)
					}
					continue
				}
				walk(path+"."+k, c)
			}
		case []any:
			for _, c := range x {
				walk(path+"[]", c)
			}
		}
	}
	walk("", v)
}

// somePublished fails unless at least one of cells is published with a
// count above zero, so that the checks of the published cells that follow
// it test something.
func somePublished(t *testing.T, name string, cells []Cell) {
	t.Helper()
	for _, c := range cells {
		if !c.Suppressed && c.N > 0 {
			return
		}
	}
	t.Errorf("%s: no cell published (%d cells): the checks of published counts would pass vacuously", name, len(cells))
}

// expectCounts counts key(r) over rs.
func expectCounts(rs []*consulta.Response, key func(*consulta.Response) []string) map[string]int64 {
	m := map[string]int64{}
	for _, r := range rs {
		for _, k := range key(r) {
			m[k]++
		}
	}
	return m
}
