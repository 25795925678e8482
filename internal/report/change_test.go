package report

import (
	"math"
	"testing"
)

// The four examples of Newcombe (1998), table II, method 10 (hybrid score):
// 56/70 against 48/80 gives 0.0524 to 0.3339, and so on.
func TestCompareSharesNewcombe(t *testing.T) {
	for _, tc := range []struct {
		x1, n1, x2, n2 int64
		lo, hi         float64
		significant    bool
	}{
		{56, 70, 48, 80, 5.24, 33.39, true},
		{9, 10, 3, 10, 17.05, 80.90, true},
		{6, 7, 2, 7, 5.82, 80.62, true},
		{5, 56, 0, 29, -3.81, 19.26, false},
	} {
		c, ok := compareShares(tc.x1, tc.n1, tc.x2, tc.n2)
		if !ok {
			t.Fatalf("%v: not compared", tc)
		}
		if math.Abs(c.Lo-tc.lo) > 0.01 || math.Abs(c.Hi-tc.hi) > 0.01 {
			t.Errorf("%d/%d vs %d/%d: interval %.2f to %.2f, want %.2f to %.2f", tc.x1, tc.n1, tc.x2, tc.n2, c.Lo, c.Hi, tc.lo, tc.hi)
		}
		if c.Significant() != tc.significant {
			t.Errorf("%d/%d vs %d/%d: significant %v", tc.x1, tc.n1, tc.x2, tc.n2, c.Significant())
		}
	}
	if _, ok := compareCounts(Count{N: 3}, Count{N: 10}, Count{Suppressed: true}, Count{N: 10}); ok {
		t.Error("a suppressed count was compared")
	}
}
