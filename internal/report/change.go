package report

import "math"

// z95 is the standard normal quantile of a two-sided 95 % interval.
const z95 = 1.959964

// wilson is the Wilson score interval of the proportion x/n.
func wilson(x, n int64) (lo, hi float64) {
	if n <= 0 {
		return 0, 1
	}
	p, nf, z2 := float64(x)/float64(n), float64(n), z95*z95
	centre := (p + z2/(2*nf)) / (1 + z2/nf)
	half := z95 * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf)) / (1 + z2/nf)
	return max(0, centre-half), min(1, centre+half)
}

// Change compares a proportion of this period with the same proportion of
// the previous one.
type Change struct {
	// Diff is this period's share minus the previous one, in percentage
	// points; Lo and Hi bound its 95 % interval.
	Diff, Lo, Hi float64
}

// Significant reports whether the 95 % interval excludes zero: a change
// larger than chance alone would often give.
func (c Change) Significant() bool { return c.Lo > 0 || c.Hi < 0 }

// compareShares compares x1/n1 (this period) with x2/n2 (the previous one)
// with Newcombe's hybrid score interval for a difference of independent
// proportions (Newcombe 1998, method 10), built from the two Wilson
// intervals: unlike the Wald interval it keeps its coverage near 0 % and
// 100 % and with small counts, which are common here. ok is false when
// either base is zero.
func compareShares(x1, n1, x2, n2 int64) (c Change, ok bool) {
	if n1 <= 0 || n2 <= 0 {
		return Change{}, false
	}
	p1, p2 := float64(x1)/float64(n1), float64(x2)/float64(n2)
	l1, u1 := wilson(x1, n1)
	l2, u2 := wilson(x2, n2)
	d := p1 - p2
	lo := d - math.Sqrt((p1-l1)*(p1-l1)+(u2-p2)*(u2-p2))
	hi := d + math.Sqrt((u1-p1)*(u1-p1)+(p2-l2)*(p2-l2))
	return Change{Diff: 100 * d, Lo: 100 * lo, Hi: 100 * hi}, true
}

// compareCounts compares two published shares; ok is false when a count or
// a base is suppressed (or a base is zero): a change is never computed from
// a hidden count.
func compareCounts(now, nowBase, before, beforeBase Count) (Change, bool) {
	if now.Suppressed || nowBase.Suppressed || before.Suppressed || beforeBase.Suppressed {
		return Change{}, false
	}
	return compareShares(now.N, nowBase.N, before.N, beforeBase.N)
}
