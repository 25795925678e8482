package report

import (
	"math/rand/v2"
	"testing"
)

// partition registers a total and its parts and returns their cells.
func partition(l *ledger, parts ...int64) (int, []int) {
	var sum int64
	ids := make([]int, len(parts))
	for i, p := range parts {
		ids[i] = l.add(p)
		sum += p
	}
	total := l.add(sum)
	l.sum(total, ids)
	return total, ids
}

func hiddenOf(l *ledger, ids []int) []bool {
	out := make([]bool, len(ids))
	for i, c := range ids {
		out[i] = l.isSuppressed(c)
	}
	return out
}

func TestSuppressPartition(t *testing.T) {
	tests := []struct {
		name        string
		parts       []int64
		wantHidden  []bool
		totalHidden bool
	}{
		{"nothing small", []int64{10, 20, 30}, []bool{false, false, false}, false},
		{"zeros are shown", []int64{0, 20, 30}, []bool{false, false, false}, false},
		{"one small cell hides the smallest other", []int64{3, 20, 7, 30}, []bool{true, false, true, false}, false},
		{"two small cells adding up to k are enough", []int64{2, 3, 40}, []bool{true, true, false}, false},
		{"two small cells under k need a third", []int64{1, 2, 40, 9}, []bool{true, true, false, true}, false},
		{"complement skips zeros", []int64{4, 0, 12, 50}, []bool{true, false, true, false}, false},
		{"small total hides everything", []int64{1, 2}, []bool{true, true}, true},
		{"one non-zero small part and zeros", []int64{3, 0, 0}, []bool{true, false, false}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLedger(5)
			total, ids := partition(l, tt.parts...)
			l.suppress()
			got := hiddenOf(l, ids)
			for i := range got {
				if got[i] != tt.wantHidden[i] {
					t.Fatalf("hidden %v, want %v", got, tt.wantHidden)
				}
			}
			if l.isSuppressed(total) != tt.totalHidden {
				t.Errorf("total hidden %v, want %v", l.isSuppressed(total), tt.totalHidden)
			}
		})
	}
}

func TestSuppressKOne(t *testing.T) {
	l := newLedger(1)
	_, ids := partition(l, 1, 2, 3)
	l.suppress()
	for _, h := range hiddenOf(l, ids) {
		if h {
			t.Fatal("k = 1 must publish everything")
		}
	}
}

// checkProtected verifies the guarantee of suppress on any ledger: no count
// from 1 to k-1 is shown, and no sum lets a hidden cell be computed or
// narrowed below k.
func checkProtected(t *testing.T, l *ledger) {
	t.Helper()
	for i, c := range l.cells {
		if !c.suppressed && c.v > 0 && c.v < l.k {
			t.Fatalf("cell %d shows the small count %d", i, c.v)
		}
	}
	for _, r := range l.sums {
		nl, sl := l.hiddenIn(r.left)
		nr, sr := l.hiddenIn(r.right)
		if nl+nr == 1 {
			t.Fatalf("equation %v: exactly one hidden cell, recomputable", r)
		}
		if nl == 0 && nr > 0 && sr < l.k || nr == 0 && nl > 0 && sl < l.k {
			t.Fatalf("equation %v: the hidden cells of one side add up to %d < k", r, sl+sr)
		}
	}
}

// TestSuppressTwoWay protects a table with row and column totals (pages ×
// yes/no), shared cells included, on random data.
func TestSuppressTwoWay(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for range 300 {
		l := newLedger(5)
		rows := 2 + rng.IntN(6)
		var noCells, yesCells, totalCells []int
		var noSum, yesSum int64
		for range rows {
			no, yes := int64(rng.IntN(12)), int64(rng.IntN(30))
			nc, yc := l.add(no), l.add(yes)
			tc := l.add(no + yes)
			l.sum(tc, []int{nc, yc})
			noCells, yesCells, totalCells = append(noCells, nc), append(yesCells, yc), append(totalCells, tc)
			noSum, yesSum = noSum+no, yesSum+yes
		}
		noTotal, yesTotal := l.add(noSum), l.add(yesSum)
		answered := l.add(noSum + yesSum)
		l.sum(noTotal, noCells)
		l.sum(yesTotal, yesCells)
		l.sum(answered, totalCells)
		l.sum(answered, []int{noTotal, yesTotal})
		l.suppress()
		checkProtected(t, l)
	}
}

// TestSuppressBalance: two ways of splitting the same people (the scale's
// low points; those who chose an option and rated low plus the other low
// raters) protect each other, on random data.
func TestSuppressBalance(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for range 300 {
		l := newLedger(5)
		one, two := int64(rng.IntN(40)), int64(rng.IntN(40))
		chosen := min(one+two, int64(rng.IntN(45)))
		lo := []int{l.add(one), l.add(two)}
		hard, other := l.add(chosen), l.add(one+two-chosen)
		l.balance(lo, []int{hard, other})
		l.suppress()
		checkProtected(t, l)
	}
}
