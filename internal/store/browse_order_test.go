package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/store"
)

// pageAll walks every page of f, size at a time, and returns the IDs in the
// order the pages gave them.
func pageAll(t *testing.T, s *store.Store, f consulta.ResponseFilter, size int) []string {
	t.Helper()
	var got []string
	var after consulta.PageKey
	for {
		p, err := s.ResponsePage(ctxT(t), f, after, size)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ids(p.Responses)...)
		if after = p.Next; after.IsZero() {
			return got
		}
	}
}

// TestBrowseByDateNotID stores responses whose IDs run against their receipt
// times: both orders of the browser follow the times, page after page.
func TestBrowseByDateNotID(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			s := b.open(t)
			var oldest []string
			for i := range 7 {
				// z6 is the oldest, z0 the newest: _id order is the reverse of date order.
				id := fmt.Sprintf("z%d", 6-i)
				insert(t, s, newResponse(id, "f", base.Add(time.Duration(i)*time.Hour), nil), nil)
				oldest = append(oldest, id)
			}
			newest := make([]string, len(oldest))
			for i, id := range oldest {
				newest[len(oldest)-1-i] = id
			}
			if got := pageAll(t, s, consulta.ResponseFilter{FormID: "f"}, 3); !sameStrings(got, newest) {
				t.Errorf("newest first: got %v, want %v", got, newest)
			}
			if got := pageAll(t, s, consulta.ResponseFilter{FormID: "f", OldestFirst: true}, 3); !sameStrings(got, oldest) {
				t.Errorf("oldest first: got %v, want %v", got, oldest)
			}
		})
	}
}

// TestBrowseByTagAndAssignee filters on the triage's tags and assignee,
// which SaveTriage mirrors on the response, and counts them.
func TestBrowseByTagAndAssignee(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			s := b.open(t)
			var rs = make([]string, 4)
			for i := range rs {
				r := insert(t, s, newResponse(fmt.Sprintf("t%d", i), "f", base.Add(time.Duration(i)*time.Minute), nil), nil)
				rs[i] = r.ID
			}
			triage := func(i int, assignee string, tags ...string) {
				r, err := s.Response(ctxT(t), rs[i])
				if err != nil {
					t.Fatal(err)
				}
				if _, err := s.SaveTriage(ctxT(t), r, consulta.TriageUpdate{Status: "in_review", Assignee: assignee,
					Tags: tags, By: "a@x.gt", At: base}); err != nil {
					t.Fatal(err)
				}
			}
			triage(0, "ana@x.gt", "agua", "escuela")
			triage(1, "ana@x.gt", "escuela")
			triage(2, "luis@x.gt", "agua")
			triage(2, "", "salud") // re-triaged: the old tag and assignee go
			for _, tt := range []struct {
				f    consulta.ResponseFilter
				want []string
			}{
				{consulta.ResponseFilter{Tag: "escuela"}, []string{"t1", "t0"}},
				{consulta.ResponseFilter{Tag: "agua"}, []string{"t0"}},
				{consulta.ResponseFilter{Tag: "salud", FormID: "f"}, []string{"t2"}},
				{consulta.ResponseFilter{Assignee: "ana@x.gt"}, []string{"t1", "t0"}},
				{consulta.ResponseFilter{Assignee: "luis@x.gt"}, nil},
				{consulta.ResponseFilter{Assignee: "ana@x.gt", Tag: "agua", FormID: "f"}, []string{"t0"}},
			} {
				p, n, err := s.Browse(ctxT(t), tt.f, consulta.PageKey{}, 10)
				if err != nil {
					t.Fatal(err)
				}
				if got := ids(p.Responses); !sameStrings(got, tt.want) || n.N != int64(len(tt.want)) {
					t.Errorf("%+v: got %v (count %d), want %v", tt.f, got, n.N, tt.want)
				}
			}
			r, err := s.Response(ctxT(t), "t0")
			if err != nil {
				t.Fatal(err)
			}
			if r.Assignee != "ana@x.gt" || !sameStrings(r.Tags, []string{"agua", "escuela"}) {
				t.Errorf("response t0 reads back assignee %q, tags %v", r.Assignee, r.Tags)
			}
		})
	}
}
