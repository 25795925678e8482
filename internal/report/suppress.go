package report

// ledger holds every count of one published document (a report, an open-data
// file, a session summary) and the equations that tie them together, and
// decides which counts to suppress. A count that appears in two tables is one
// cell, so that the tables are protected together. See docs/reports.md,
// "Privacy".
type ledger struct {
	k     int64
	cells []cell
	sums  []sumRule
}

type cell struct {
	v          int64
	suppressed bool
}

// sumRule says that the cells of left add up to the same as the cells of
// right: a total and its parts (left holds the total alone), or two ways of
// splitting the same people ("found it hard" is the scale's low points, and
// also those who chose an option and rated low plus those who did not).
type sumRule struct {
	left, right []int
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
		l.sums = append(l.sums, sumRule{left: []int{total}, right: parts})
	}
}

// balance records that the cells of left add up to the same as those of
// right.
func (l *ledger) balance(left, right []int) {
	if len(left) > 0 && len(right) > 0 {
		l.sums = append(l.sums, sumRule{left: left, right: right})
	}
}

func (l *ledger) isSuppressed(c int) bool { return l.cells[c].suppressed }
func (l *ledger) count(c int) Count {
	return Count{N: l.cells[c].v, Suppressed: l.cells[c].suppressed}.published()
}
func (l *ledger) hide(c int)        { l.cells[c].suppressed = true }
func (l *ledger) small(c int) bool  { v := l.cells[c].v; return v > 0 && v < l.k }
func (l *ledger) hideIfSmall(c int) { l.cells[c].suppressed = l.cells[c].suppressed || l.small(c) }

// hiddenIn returns how many cells of side are hidden and what they add up to.
func (l *ledger) hiddenIn(side []int) (n int, total int64) {
	for _, c := range side {
		if l.cells[c].suppressed {
			n++
			total += l.cells[c].v
		}
	}
	return n, total
}

// suppress applies the rule of docs/reports.md:
//
//  1. Primary suppression: every count from 1 to k-1 is hidden.
//  2. Complementary suppression, repeated until nothing changes: in every
//     equation where some cell is hidden, at least two cells must be hidden,
//     and when the hidden cells are all on one side (the parts of a total
//     that is shown) they must add up to k or more; otherwise the smallest
//     non-zero cell still shown is hidden too, on the right side (the parts)
//     first, else on the left (the total). Then no hidden cell can be
//     recomputed by subtraction, and the hidden cells of a sum cannot be
//     narrowed down to fewer than k people.
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

// weak reports whether r gives away a hidden cell, or narrows the hidden
// cells of one side down to fewer than k people.
func (l *ledger) weak(r sumRule) bool {
	nl, sl := l.hiddenIn(r.left)
	nr, sr := l.hiddenIn(r.right)
	switch {
	case nl+nr == 0:
		return false
	case nl+nr == 1:
		return true
	case nl == 0:
		return sr < l.k
	case nr == 0:
		return sl < l.k
	}
	return false
}

// protect hides one more cell of r when r would reveal a hidden cell; it
// reports whether it hid one.
func (l *ledger) protect(r sumRule) bool {
	if !l.weak(r) {
		return false
	}
	for _, side := range [][]int{r.right, r.left} {
		best := -1
		for _, p := range side {
			c := l.cells[p]
			if c.suppressed || c.v == 0 {
				continue
			}
			if best < 0 || c.v < l.cells[best].v {
				best = p
			}
		}
		if best >= 0 {
			l.hide(best)
			return true
		}
	}
	return false
}
