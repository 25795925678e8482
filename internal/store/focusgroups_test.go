package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

// TestSessionUse: what abuse control reads of a focus-group session, its
// expected participants while it is open and its responses counted up to a
// limit.
func TestSessionUse(t *testing.T) {
	s := workspaceStore(t)
	ctx := ctxT(t)
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	g := &consulta.FocusGroup{Org: "o", FormID: "f", Expected: 12, OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(time.Hour)}
	if err := s.CreateFocusGroup(ctx, g, func() string { return "USE123" }); err != nil {
		t.Fatal(err)
	}
	if n, err := s.SessionExpected(ctx, "USE123", "f", now); n != 12 || err != nil {
		t.Fatalf("SessionExpected = %d, %v; want 12", n, err)
	}
	for _, tc := range []struct {
		code, form string
		at         time.Time
		want       string
	}{
		{"USE123", "other", now, consulta.ENOTFOUND},
		{"USE123", "f", now.Add(2 * time.Hour), consulta.ECLOSED},
		{"NONE99", "f", now, consulta.ENOTFOUND},
	} {
		if _, err := s.SessionExpected(ctx, tc.code, tc.form, tc.at); consulta.ErrorCode(err) != tc.want {
			t.Errorf("SessionExpected(%s, %s) error %v, want %s", tc.code, tc.form, err, tc.want)
		}
	}
	for i := range 7 {
		r := newResponse(fmt.Sprintf("use-%d", i), "f", now, map[string]any{"q": "x"})
		r.Session = "USE123"
		insert(t, s, r, nil)
	}
	insert(t, s, newResponse("no-session", "f", now, map[string]any{"q": "x"}), nil)
	for _, tc := range []struct{ limit, want int64 }{{0, 7}, {10, 7}, {7, 7}, {5, 5}} {
		if n, err := s.SessionResponses(ctx, "USE123", tc.limit); n != tc.want || err != nil {
			t.Errorf("SessionResponses(limit %d) = %d, %v; want %d", tc.limit, n, err, tc.want)
		}
	}
}
