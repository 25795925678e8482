package store_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/store"
	"github.com/consulta/consulta/internal/storetest"
)

// seedVaried stores 30 responses, "v00".."v29", varying every filtered field:
// form a (even) or b (odd); lang es, en, kek by i%3; department 01, 16 or none by
// i%3; session S1 for i<5; status answered for i%4==0; channel widget for i%5==0;
// received one hour apart from base; a text answer that says "Educación" for i%7==0.
func seedVaried(t *testing.T, s *store.Store) []*consulta.Response {
	t.Helper()
	var rs []*consulta.Response
	for i := range 30 {
		r := newResponse(fmt.Sprintf("v%02d", i), "a", base.Add(time.Duration(i)*time.Hour), map[string]any{
			"tema":    "otro",
			"mensaje": "Sin comentarios",
			"nota":    float64(i % 5),
			"datos":   []string{"escuelas"},
		})
		if i%2 == 1 {
			r.FormID = "b"
		}
		r.Lang = []string{"es", "en", "kek"}[i%3]
		r.Department = []string{"01", "16", ""}[i%3]
		if i < 5 {
			r.Session = "S1"
			r.Channel = consulta.ChannelFocusGroup
		}
		if i%4 == 0 {
			r.Status = consulta.StatusAnswered
		}
		if i%5 == 0 && i >= 5 {
			r.Channel = consulta.ChannelWidget
		}
		if i%7 == 0 {
			r.Answers["mensaje"] = "No encuentro la EDUCACIÓN bilingüe"
		}
		if i == 9 {
			r.Answers["datos"] = []string{"Ejecución presupuestaria"}
		}
		rs = append(rs, insert(t, s, r, nil))
	}
	return rs
}

// matching returns the IDs of rs for which keep is true.
func matching(rs []*consulta.Response, keep func(i int, r *consulta.Response) bool) []string {
	var out []string
	for i, r := range rs {
		if keep(i, r) {
			out = append(out, r.ID)
		}
	}
	return out
}

// backends opens a store per backend: the embedded store's SQL reads, and the
// driver-only path that MongoDB takes (run here against FerretDB).
var backends = []struct {
	name string
	open func(testing.TB) *store.Store
	// openWith opens a second store with options on the first one's data.
	openWith func(testing.TB, *store.Store, store.Options) *store.Store
}{
	{"embedded", func(t testing.TB) *store.Store { return storetest.New(t) },
		func(t testing.TB, s *store.Store, o store.Options) *store.Store { return storetest.Reopen(t, s, o) }},
	{"driver", func(t testing.TB) *store.Store { return storetest.OpenDriverOnly(t, store.Options{}) },
		func(t testing.TB, s *store.Store, o store.Options) *store.Store {
			o.EmbeddedDir = "-"
			return storetest.Reopen(t, s, o)
		}},
}

// filterCases are filters over seedVaried's responses with the IDs they keep.
func filterCases(rs []*consulta.Response) []struct {
	name   string
	filter consulta.ResponseFilter
	want   []string
} {
	return []struct {
		name   string
		filter consulta.ResponseFilter
		want   []string
	}{
		{"all", consulta.ResponseFilter{}, matching(rs, func(int, *consulta.Response) bool { return true })},
		{"form", consulta.ResponseFilter{FormID: "b"}, matching(rs, func(i int, _ *consulta.Response) bool { return i%2 == 1 })},
		{"lang", consulta.ResponseFilter{Lang: "kek"}, matching(rs, func(i int, _ *consulta.Response) bool { return i%3 == 2 })},
		{"department", consulta.ResponseFilter{Department: "16"}, matching(rs, func(i int, _ *consulta.Response) bool { return i%3 == 1 })},
		{"session", consulta.ResponseFilter{Session: "S1"}, matching(rs, func(i int, _ *consulta.Response) bool { return i < 5 })},
		{"status", consulta.ResponseFilter{Status: consulta.StatusAnswered}, matching(rs, func(i int, _ *consulta.Response) bool { return i%4 == 0 })},
		{"channel", consulta.ResponseFilter{Channel: consulta.ChannelWidget}, []string{"v05", "v10", "v15", "v20", "v25"}},
		{"from", consulta.ResponseFilter{From: base.Add(25 * time.Hour)}, []string{"v25", "v26", "v27", "v28", "v29"}},
		{"to excludes its instant", consulta.ResponseFilter{To: ms(base.Add(2 * time.Hour))}, []string{"v00", "v01"}},
		{"range", consulta.ResponseFilter{From: ms(base.Add(10 * time.Hour)), To: ms(base.Add(13 * time.Hour))}, []string{"v10", "v11", "v12"}},
		{"text ignores case and accents", consulta.ResponseFilter{Text: "educacion"}, []string{"v00", "v07", "v14", "v21", "v28"}},
		{"text in a chosen option", consulta.ResponseFilter{Text: "presupuestaria"}, []string{"v09"}},
		{"text and form", consulta.ResponseFilter{Text: "Educación", FormID: "a"}, []string{"v00", "v14", "v28"}},
		{"combined", consulta.ResponseFilter{FormID: "a", Lang: "es", Status: consulta.StatusAnswered}, []string{"v00", "v12", "v24"}},
		{"form, department and range", consulta.ResponseFilter{FormID: "b", Department: "01", From: ms(base.Add(5 * time.Hour))},
			[]string{"v09", "v15", "v21", "v27"}},
		{"nothing", consulta.ResponseFilter{FormID: "zzz"}, nil},
	}
}

func TestEachResponseFilters(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			s := b.open(t)
			rs := seedVaried(t, s)
			for _, tt := range filterCases(rs) {
				t.Run(tt.name, func(t *testing.T) {
					got := ids(collect(t, s, tt.filter, nil))
					if !sameStrings(got, tt.want) { // oldest first: seedVaried's order
						t.Fatalf("got %v\nwant %v", got, tt.want)
					}
					n, err := s.CountResponses(ctxT(t), tt.filter)
					if err != nil {
						t.Fatal(err)
					}
					if n != int64(len(tt.want)) {
						t.Fatalf("CountResponses = %d, want %d", n, len(tt.want))
					}
					e, err := s.EstimateResponses(ctxT(t), tt.filter)
					if err != nil || e.N != int64(len(tt.want)) || !e.Exact {
						t.Fatalf("EstimateResponses = %+v, %v; want exactly %d", e, err, len(tt.want))
					}
				})
			}
		})
	}
}

// TestResponsePages walks every filter page by page, newest first: the pages
// hold every matching response once, in order, and the last has no next.
func TestResponsePages(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			s := b.open(t)
			rs := seedVaried(t, s)
			for _, tt := range filterCases(rs) {
				t.Run(tt.name, func(t *testing.T) {
					var all []string
					var after consulta.PageKey
					for pages := 0; ; pages++ {
						if pages > 100 {
							t.Fatal("pagination does not end")
						}
						p, err := s.ResponsePage(ctxT(t), tt.filter, after, 2)
						if err != nil {
							t.Fatal(err)
						}
						if len(p.Responses) > 2 || p.Partial {
							t.Fatalf("page of %d (partial %v), limit 2", len(p.Responses), p.Partial)
						}
						all = append(all, ids(p.Responses)...)
						if p.Next.IsZero() {
							break
						}
						if after, err = consulta.ParsePageKey(p.Next.String()); err != nil {
							t.Fatal(err)
						}
					}
					want := slices.Clone(tt.want)
					slices.Reverse(want)
					if !sameStrings(all, want) {
						t.Fatalf("pages %v\nwant %v", all, want)
					}
				})
			}
		})
	}
}

// TestBrowse checks that Browse gives the pages of ResponsePage and, on the
// first page, the total of EstimateResponses; with a text filter, later pages
// count from their position.
func TestBrowse(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			s := b.open(t)
			rs := seedVaried(t, s)
			for _, tt := range filterCases(rs) {
				t.Run(tt.name, func(t *testing.T) {
					var after consulta.PageKey
					left := int64(len(tt.want))
					for pages := 0; pages < 100; pages++ {
						p, e, err := s.Browse(ctxT(t), tt.filter, after, 2)
						if err != nil {
							t.Fatal(err)
						}
						want, err := s.ResponsePage(ctxT(t), tt.filter, after, 2)
						if err != nil {
							t.Fatal(err)
						}
						if !sameStrings(ids(p.Responses), ids(want.Responses)) || p.Next != want.Next {
							t.Fatalf("Browse page %v next %v, ResponsePage %v next %v", ids(p.Responses), p.Next,
								ids(want.Responses), want.Next)
						}
						switch {
						case e.FromPosition && (tt.filter.Text == "" || after.IsZero()):
							t.Fatalf("count from the position without a text filter or on the first page: %+v", e)
						case e.FromPosition && e.N != left:
							t.Fatalf("count from the position %d, want %d", e.N, left)
						case !e.FromPosition && (e.N != int64(len(tt.want)) || !e.Exact):
							t.Fatalf("count %+v, want exactly %d", e, len(tt.want))
						}
						left -= int64(len(p.Responses))
						if after = p.Next; after.IsZero() {
							return
						}
					}
					t.Fatal("pagination does not end")
				})
			}
		})
	}
}

// TestResponsePageSameTime orders responses received in the same millisecond
// by ID, and pages through them without losing one.
func TestResponsePageSameTime(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			s := b.open(t)
			var want []string
			for i := range 5 {
				r := insert(t, s, newResponse(fmt.Sprintf("same%d", i), "f", base, nil), nil)
				want = append([]string{r.ID}, want...)
			}
			var got []string
			var after consulta.PageKey
			for {
				p, err := s.ResponsePage(ctxT(t), consulta.ResponseFilter{FormID: "f"}, after, 2)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, ids(p.Responses)...)
				if after = p.Next; after.IsZero() {
					break
				}
			}
			if !sameStrings(got, want) {
				t.Fatalf("got %v, want %v", got, want)
			}
		})
	}
}

func TestParsePageKey(t *testing.T) {
	for _, bad := range []string{"x", "12", "12_", "_id", "a_b"} {
		if _, err := consulta.ParsePageKey(bad); consulta.ErrorCode(err) != consulta.EINVALID {
			t.Errorf("ParsePageKey(%q) = %v, want EINVALID", bad, err)
		}
	}
	k := consulta.PageKey{At: time.UnixMilli(1767382986064).UTC(), ID: "a_b"}
	if got, err := consulta.ParsePageKey(k.String()); err != nil || got != k {
		t.Fatalf("round trip of %v: %v, %v", k, got, err)
	}
}

func TestEachResponseProjection(t *testing.T) {
	s := storetest.New(t)
	rs := seedVaried(t, s)
	full := map[string]*consulta.Response{}
	for _, r := range rs {
		full[r.ID] = r
	}
	tests := []struct {
		name   string
		filter consulta.ResponseFilter
		fields []string
	}{
		{"two answers", consulta.ResponseFilter{}, []string{"nota", "datos"}},
		{"no answers", consulta.ResponseFilter{}, []string{}},
		{"unknown question", consulta.ResponseFilter{}, []string{"nunca"}},
		{"with text search", consulta.ResponseFilter{Text: "educacion"}, []string{"nota"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := collect(t, s, tt.filter, tt.fields)
			if len(got) == 0 {
				t.Fatal("no responses")
			}
			for _, r := range got {
				want := *full[r.ID]
				want.Answers = map[string]any{}
				for _, q := range tt.fields {
					if v, ok := full[r.ID].Answers[q]; ok {
						want.Answers[q] = v
					}
				}
				if !reflect.DeepEqual(*r, want) {
					t.Fatalf("projected\n%s\nwant\n%s", show(r), show(&want))
				}
			}
		})
	}
	err := s.EachResponse(ctxT(t), consulta.ResponseFilter{}, []string{"a.b"}, func(*consulta.Response) error { return nil })
	wantCode(t, err, consulta.EINVALID)
}

func TestEachResponseStopsOnError(t *testing.T) {
	s := storetest.New(t)
	seedVaried(t, s)
	stop := errors.New("enough")
	calls := 0
	err := s.EachResponse(ctxT(t), consulta.ResponseFilter{}, nil, func(*consulta.Response) error {
		calls++
		if calls == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 3 {
		t.Fatalf("err = %v after %d calls, want the callback's error after 3", err, calls)
	}
}

// The stream must hold one batch at a time: crossing several cursor batches (1000
// documents each) yields every response exactly once.
func TestEachResponseCrossesBatches(t *testing.T) {
	s := storetest.New(t)
	const n = 2345
	rs := make([]*consulta.Response, n)
	for i := range rs {
		rs[i] = newResponse(fmt.Sprintf("x%05d", i), "f", base, map[string]any{"q": "a"})
	}
	if _, err := s.InsertResponses(ctxT(t), rs, nil); err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	err := s.EachResponse(ctxT(t), consulta.ResponseFilter{FormID: "f"}, []string{"q"}, func(r *consulta.Response) error {
		seen[r.ID]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != n {
		t.Fatalf("%d distinct responses, want %d", len(seen), n)
	}
	for id, c := range seen {
		if c != 1 {
			t.Fatalf("%s seen %d times", id, c)
		}
	}
}

// ms is t at the precision the store keeps.
func ms(t time.Time) time.Time { return t.Truncate(time.Millisecond) }

// TestResponsePageBudget pages with a scan budget of 4 through a filter that
// matches one response in three: pages come back partial, say how far back they
// looked, and together hold every match once, newest first. Counts say "at
// least" when the budget stops them.
func TestResponsePageBudget(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			s := b.open(t)
			rs := seedVaried(t, s)
			limited := b.openWith(t, s, store.Options{PageScanBudget: 4})
			f := consulta.ResponseFilter{Lang: "kek", Text: "sin comentarios"} // one in three, text checked in Go
			want := matching(rs, func(i int, r *consulta.Response) bool {
				return i%3 == 2 && r.Answers["mensaje"] == "Sin comentarios"
			})
			slices.Reverse(want)
			var got []string
			var after consulta.PageKey
			partials := 0
			for pages := 0; ; pages++ {
				if pages > 100 {
					t.Fatal("pagination does not end")
				}
				p, err := limited.ResponsePage(ctxT(t), f, after, 3)
				if err != nil {
					t.Fatal(err)
				}
				if p.Partial {
					partials++
					if p.ScannedTo.IsZero() || !p.ScannedTo.Equal(p.Next.At) {
						t.Fatalf("partial page scanned to %v, next %v", p.ScannedTo, p.Next)
					}
				}
				got = append(got, ids(p.Responses)...)
				if after = p.Next; after.IsZero() {
					break
				}
			}
			if !sameStrings(got, want) {
				t.Fatalf("pages %v\nwant %v", got, want)
			}
			if partials == 0 {
				t.Fatal("no partial page with a budget of 4")
			}
			e, err := limited.EstimateResponses(ctxT(t), f)
			if err != nil || e.Exact || e.N > int64(len(want)) {
				t.Fatalf("estimate with a budget of 4 = %+v, %v; want at most %d, not exact", e, err, len(want))
			}
		})
	}
}

// TestLongReadsOutliveTheOperationDeadline streams for several times the
// operation deadline: a stream has the long-read deadline, and only that.
func TestLongReadsOutliveTheOperationDeadline(t *testing.T) {
	if testing.Short() {
		t.Skip("streams for several operation deadlines")
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			s := b.open(t)
			rs := make([]*consulta.Response, 3000)
			for i := range rs {
				rs[i] = newResponse(fmt.Sprintf("long%05d", i), "f", base.Add(time.Duration(i)*time.Second), map[string]any{"q": "a"})
			}
			if _, err := s.InsertResponses(ctxT(t), rs, nil); err != nil {
				t.Fatal(err)
			}
			const opTimeout = 100 * time.Millisecond
			short := b.openWith(t, s, store.Options{OpTimeout: opTimeout})
			start, n := time.Now(), 0
			err := short.EachResponse(ctxT(t), consulta.ResponseFilter{FormID: "f"}, nil, func(*consulta.Response) error {
				n++
				if n%1000 == 0 {
					time.Sleep(opTimeout) // a slow consumer: a download to a slow client
				}
				return nil
			})
			if err != nil || n != len(rs) {
				t.Fatalf("stream of %v ended after %d responses: %v", time.Since(start), n, err)
			}
			if took := time.Since(start); took < 3*opTimeout {
				t.Fatalf("the stream took %v, not beyond the operation deadline: the test proves nothing", took)
			}
			short2 := b.openWith(t, s, store.Options{StreamTimeout: opTimeout})
			err = short2.EachResponse(ctxT(t), consulta.ResponseFilter{FormID: "f"}, nil, func(*consulta.Response) error {
				time.Sleep(time.Millisecond)
				return nil
			})
			if consulta.ErrorCode(err) != consulta.EUNAVAILABLE {
				t.Fatalf("a stream beyond the long-read deadline: %v, want EUNAVAILABLE", err)
			}
		})
	}
}

// TestBrowseCountCoversItsPage: a count that stops early never says fewer
// than the page shows.
func TestBrowseCountCoversItsPage(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			s := b.open(t)
			seedVaried(t, s)
			limited := b.openWith(t, s, store.Options{PageScanBudget: 10})
			p, e, err := limited.Browse(ctxT(t), consulta.ResponseFilter{Lang: "kek"}, consulta.PageKey{}, 5)
			if err != nil {
				t.Fatal(err)
			}
			if e.N < int64(len(p.Responses)) {
				t.Fatalf("count %+v below the %d responses of the page", e, len(p.Responses))
			}
		})
	}
}
