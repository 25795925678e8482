package opendata_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/report"
)

// TestPublishedPeriodsCannotBeDifferenced attacks the published files as an
// analyst with every download would: for every shipped form and every pair
// of published periods, it reads the periods from the files themselves and,
// wherever one lies inside the other, subtracts each count of one table from
// the same count of the other, looking for a count from 1 to k−1 (a cell
// the suppression hid) in the difference. It must find none, and it must
// find some when the same attack is given a nested month range, which is what
// /datos allowed before (issue 10, item 15): proof that the attack works.
func TestPublishedPeriodsCannotBeDifferenced(t *testing.T) {
	fx := newFixture(t, time.Date(2026, 8, 1, 12, 0, 0, 0, time.UTC))
	ctx := ctxT(t)
	semesters := []report.Semester{{Year: 2025, Half: 1}, {Year: 2025, Half: 2}, {Year: 2026, Half: 1}, {Year: 2026, Half: 2}}
	for i, f := range fx.reg.All() {
		for j, s := range semesters {
			// Few responses, so that small cells abound.
			fx.seed(t, f.ID, 60+20*j, s.Year, s.Half, uint64(1000+10*i+j))
		}
	}
	if err := fx.materializer().Run(ctx); err != nil {
		t.Fatal(err)
	}
	recovered := 0
	for _, f := range fx.reg.All() {
		var tables []*table
		for _, s := range semesters[:3] { // the published ones; 2026-S2 is under way
			file, err := fx.library().File(ctx, f.ID, s.String(), "es", "csv")
			if err != nil {
				t.Fatalf("%s %s: %v", f.ID, s, err)
			}
			tables = append(tables, parseTable(t, file.Body))
		}
		if n := suppressedCells(tables); n == 0 {
			t.Errorf("%s: no suppressed cell in the published files: the data do not test anything", f.ID)
		}
		for _, leak := range difference(tables, report.DefaultK) {
			t.Errorf("%s: published periods recover %s", f.ID, leak)
		}

		// The control: January–May 2026 inside 2026-S1, as /datos?from=&to=
		// used to publish it.
		from, _ := fx.semester(2026, 1)
		a, err := report.Compute(ctx, fx.st, f, from, from.AddDate(0, 5, 0), report.Options{Geo: fx.cat, Location: fx.loc})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := report.WriteCSV(&buf, a, report.NewLabels(fx.tr, "es", fx.loc)); err != nil {
			t.Fatal(err)
		}
		recovered += len(difference(append(tables, parseTable(t, buf.Bytes())), report.DefaultK))
	}
	if recovered == 0 {
		t.Error("the attack recovers nothing even from nested periods: it tests nothing")
	}
	t.Logf("nested month ranges (the control) gave away %d small counts", recovered)
}

// table is one downloaded CSV: its period and its counts by cell.
type table struct {
	start, end string // YYYY-MM-DD, both included
	counts     map[string]int
	suppressed map[string]bool
}

// parseTable reads a /datos CSV; a cell is table, question, category and
// subcategory.
func parseTable(t *testing.T, body []byte) *table {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("CSV: %v", err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	tb := &table{start: rows[1][col["period_start"]], end: rows[1][col["period_end"]],
		counts: map[string]int{}, suppressed: map[string]bool{}}
	for _, r := range rows[1:] {
		if r[col["table"]] == "mean" {
			continue // a mean, not a count
		}
		key := fmt.Sprintf("%s|%s|%s|%s", r[col["table"]], r[col["question"]], r[col["category"]], r[col["subcategory"]])
		if r[col["suppressed"]] == "true" {
			tb.suppressed[key] = true
			continue
		}
		n, err := strconv.Atoi(r[col["count"]])
		if err != nil {
			t.Fatalf("row %v: %v", r, err)
		}
		tb.counts[key] = n
	}
	return tb
}

func suppressedCells(tables []*table) int {
	n := 0
	for _, tb := range tables {
		n += len(tb.suppressed)
	}
	return n
}

// difference tries every ordered pair of tables: when the period of a lies
// inside that of b, b−a is the count of the responses in the days b has and
// a has not, for every cell both publish; a count from 1 to k−1 there is
// what suppression hid. Periods that overlap without nesting are a leak of
// their own (three downloads would do it), reported as such.
func difference(tables []*table, k int) []string {
	var leaks []string
	for i, a := range tables {
		for j, b := range tables {
			if i == j || a.end < b.start || b.end < a.start {
				continue // the same file, or disjoint periods: nothing to subtract
			}
			if a.start < b.start || a.end > b.end {
				if i < j && (b.start < a.start || b.end > a.end) {
					leaks = append(leaks, fmt.Sprintf("overlapping periods %s–%s and %s–%s", a.start, a.end, b.start, b.end))
				}
				continue // a is not inside b
			}
			for key, na := range a.counts {
				if nb, ok := b.counts[key]; ok && nb-na > 0 && nb-na < k {
					leaks = append(leaks, fmt.Sprintf("%s = %d in %s–%s minus %s–%s", key, nb-na, b.start, b.end, a.start, a.end))
				}
			}
		}
	}
	return leaks
}
