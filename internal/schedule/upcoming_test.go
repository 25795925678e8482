package schedule

import (
	"testing"
	"time"
)

// TestPlan lists the next firings of each spec in the time zone, with the
// period each will report on; "-" is off.
func TestPlan(t *testing.T) {
	loc, err := time.LoadLocation("America/Guatemala")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, loc)
	plan, err := Plan("0 6 1 * *", "-", loc, now, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan) != 2 || plan[0].Kind != Monthly || !plan[1].Off || len(plan[1].Next) != 0 {
		t.Fatalf("plan %+v", plan)
	}
	want := []struct {
		at     time.Time
		period string
	}{
		{time.Date(2026, 12, 1, 6, 0, 0, 0, loc), "monthly:2026-11"},
		{time.Date(2027, 1, 1, 6, 0, 0, 0, loc), "monthly:2026-12"},
		{time.Date(2027, 2, 1, 6, 0, 0, 0, loc), "monthly:2027-01"},
	}
	if len(plan[0].Next) != len(want) {
		t.Fatalf("next %+v", plan[0].Next)
	}
	for i, w := range want {
		if got := plan[0].Next[i]; !got.At.Equal(w.at) || got.Period.ID != w.period {
			t.Errorf("firing %d: %v %s, want %v %s", i, got.At, got.Period.ID, w.at, w.period)
		}
	}
	if _, err := Plan("61 * * * *", "-", loc, now, 1); err == nil {
		t.Errorf("a bad spec is accepted")
	}
}
