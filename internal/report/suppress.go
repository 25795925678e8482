package report

// ledger holds every count of one published document (a report, an open-data
// file, a session summary) and the sums that tie them together, and decides
// which counts to suppress. A count that appears in two tables is one cell, so
// that the tables are protected together. See docs/reports.md, "Privacy".
type ledger struct {
	k     int64
	cells []cell
	sums  []sumRule
}

type cell struct {
	v          int64
	suppressed bool
}

// sumRule says that the cells parts add up to the cell total.
type sumRule struct {
	total int
	parts []int
}

func newLedger(k int) *ledger { return &ledger{k: int64(k)} }

// add registers a count and returns its cell.
func (l *ledger) add(v int64) int {
	l.cells = append(l.cells, cell{v: v})
	return len(l.cells) - 1
}

// sum records that the parts add up to total.
func (l *ledger) sum(total int, parts []int) {
	if len(parts) > 0 {
		l.sums = append(l.sums, sumRule{total: total, parts: parts})
	}
}

func (l *ledger) isSuppressed(c int) bool { return l.cells[c].suppressed }
func (l *ledger) count(c int) Count {
	return Count{N: l.cells[c].v, Suppressed: l.cells[c].suppressed}.published()
}
func (l *ledger) hide(c int)        { l.cells[c].suppressed = true }
func (l *ledger) small(c int) bool  { v := l.cells[c].v; return v > 0 && v < l.k }
func (l *ledger) hideIfSmall(c int) { l.cells[c].suppressed = l.cells[c].suppressed || l.small(c) }
func (l *ledger) suppressedSum(r sumRule) (n int, total int64) {
	for _, p := range r.parts {
		if l.cells[p].suppressed {
			n++
			total += l.cells[p].v
		}
	}
	return n, total
}

// suppress applies the rule of docs/reports.md:
//
//  1. Primary suppression: every count from 1 to k-1 is hidden.
//  2. Complementary suppression, repeated until nothing changes: in every sum
//     (a total and its parts) where some cell is hidden, at least two cells
//     must be hidden, and unless the total itself is hidden the hidden parts
//     must add up to k or more; otherwise the smallest non-zero part still
//     shown is hidden too (the total when no such part is left). Then no
//     hidden cell can be recomputed by subtraction, and the hidden cells of a
//     sum cannot be narrowed down to fewer than k people.
//
// Zeros are shown: a zero says nothing about anyone.
func (l *ledger) suppress() {
	if l.k <= 1 {
		return
	}
	for i := range l.cells {
		l.hideIfSmall(i)
	}
	for changed := true; changed; {
		changed = false
		for _, r := range l.sums {
			if l.protect(r) {
				changed = true
			}
		}
	}
}

// protect hides one more cell of r when r would reveal a hidden cell; it
// reports whether it hid one.
func (l *ledger) protect(r sumRule) bool {
	n, hiddenParts := l.suppressedSum(r)
	totalHidden := l.cells[r.total].suppressed
	hidden := n
	if totalHidden {
		hidden++
	}
	if hidden == 0 {
		return false
	}
	weak := hidden == 1 || (!totalHidden && hiddenParts < l.k)
	if !weak {
		return false
	}
	best := -1
	for _, p := range r.parts {
		c := l.cells[p]
		if c.suppressed || c.v == 0 {
			continue
		}
		if best < 0 || c.v < l.cells[best].v {
			best = p
		}
	}
	switch {
	case best >= 0:
		l.hide(best)
		return true
	case !totalHidden:
		l.hide(r.total)
		return true
	}
	return false
}
