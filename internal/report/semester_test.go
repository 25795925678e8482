package report

import (
	"slices"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

func TestParseSemester(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Semester
		bad  bool
	}{
		{in: "2026-S1", want: Semester{2026, 1}},
		{in: "2025-S2", want: Semester{2025, 2}},
		{in: "2026-S3", bad: true},
		{in: "2026-s1", bad: true},
		{in: "2026-S0", bad: true},
		{in: "26-S1", bad: true},
		{in: "2026-S12", bad: true},
		{in: "0999-S1", bad: true},
		{in: "+026-S1", bad: true},
		{in: "2026-01", bad: true},
		{in: "", bad: true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseSemester(tc.in)
			if (err != nil) != tc.bad {
				t.Fatalf("error %v, want bad: %t", err, tc.bad)
			}
			if tc.bad {
				return
			}
			if got != tc.want || got.String() != tc.in {
				t.Errorf("got %+v (%q), want %+v", got, got.String(), tc.want)
			}
		})
	}
}

func TestSemesterBounds(t *testing.T) {
	loc := guatemala(t)
	for _, tc := range []struct {
		p        Semester
		from, to time.Time
	}{
		{Semester{2026, 1}, time.Date(2026, 1, 1, 0, 0, 0, 0, loc), time.Date(2026, 7, 1, 0, 0, 0, 0, loc)},
		{Semester{2026, 2}, time.Date(2026, 7, 1, 0, 0, 0, 0, loc), time.Date(2027, 1, 1, 0, 0, 0, 0, loc)},
	} {
		from, to := tc.p.Bounds(loc)
		if !from.Equal(tc.from) || !to.Equal(tc.to) {
			t.Errorf("%s: %v – %v", tc.p, from, to)
		}
		if tc.p.Next().Before(tc.p) || !tc.p.Before(tc.p.Next()) || tc.p.Next().Prev() != tc.p || tc.p.Prev().Next() != tc.p {
			t.Errorf("%s: next %s, previous %s", tc.p, tc.p.Next(), tc.p.Prev())
		}
		if nf, _ := tc.p.Next().Bounds(loc); !nf.Equal(to) {
			t.Errorf("%s: the next semester starts at %v, not where this one ends", tc.p, nf)
		}
	}
}

// TestSemesterOf reckons in the configured zone: 31 December at 20:00 in
// Guatemala is already 1 January in UTC.
func TestSemesterOf(t *testing.T) {
	loc := guatemala(t)
	for _, tc := range []struct {
		at   time.Time
		want Semester
	}{
		{time.Date(2026, 1, 1, 0, 0, 0, 0, loc), Semester{2026, 1}},
		{time.Date(2026, 6, 30, 23, 59, 59, 0, loc), Semester{2026, 1}},
		{time.Date(2026, 7, 1, 0, 0, 0, 0, loc), Semester{2026, 2}},
		{time.Date(2026, 12, 31, 20, 0, 0, 0, loc), Semester{2026, 2}},
		{time.Date(2027, 1, 1, 3, 0, 0, 0, time.UTC), Semester{2026, 2}},
	} {
		if got := SemesterOf(tc.at, loc); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.at, got, tc.want)
		}
	}
}

// TestPublishedSemesters: only complete semesters, an hour after they end,
// from the first with responses.
func TestPublishedSemesters(t *testing.T) {
	loc := guatemala(t)
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, loc) }
	s := func(y, h int) Semester { return Semester{y, h} }
	for _, tc := range []struct {
		name   string
		first  Semester
		now    time.Time
		latest Semester
		want   []Semester
	}{
		{"mid-semester", s(2025, 1), at(2026, 3, 15, 12, 0), s(2025, 2), []Semester{s(2025, 1), s(2025, 2)}},
		{"just after the end: grace", s(2025, 1), at(2026, 7, 1, 0, 30), s(2025, 2), []Semester{s(2025, 1), s(2025, 2)}},
		{"grace over", s(2025, 1), at(2026, 7, 1, 1, 0), s(2026, 1), []Semester{s(2025, 1), s(2025, 2), s(2026, 1)}},
		{"new year, in the grace", s(2026, 1), at(2027, 1, 1, 0, 59), s(2026, 1), []Semester{s(2026, 1)}},
		{"new year", s(2026, 1), at(2027, 1, 1, 1, 0), s(2026, 2), []Semester{s(2026, 1), s(2026, 2)}},
		{"first response in the current semester", s(2026, 2), at(2026, 9, 1, 0, 0), s(2026, 1), nil},
		{"no responses", Semester{}, at(2026, 9, 1, 0, 0), s(2026, 1), nil},
		{"UTC clock, Guatemala periods", s(2026, 1), time.Date(2026, 7, 1, 6, 30, 0, 0, time.UTC), s(2025, 2), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := LatestPublished(tc.now, loc); got != tc.latest {
				t.Errorf("latest %s, want %s", got, tc.latest)
			}
			got := PublishedSemesters(tc.first, tc.now, loc)
			if !slices.Equal(got, tc.want) {
				t.Errorf("published %v, want %v", got, tc.want)
			}
			for p := s(2024, 1); p.Before(s(2028, 1)); p = p.Next() {
				if IsPublished(p, tc.first, tc.now, loc) != slices.Contains(tc.want, p) {
					t.Errorf("IsPublished(%s) disagrees with the list %v", p, tc.want)
				}
			}
		})
	}
}

func guatemala(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(consulta.DefaultTimeZone)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
