package server

import (
	"testing"
	"time"
)

// TestParseOpenDataDate reads days and months; the last date asked for is
// included, so its result is the instant after it.
func TestParseOpenDataDate(t *testing.T) {
	loc, err := time.LoadLocation("America/Guatemala")
	if err != nil {
		t.Fatal(err)
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }
	for _, tc := range []struct {
		in   string
		end  bool
		want time.Time
		bad  bool
	}{
		{in: "", want: time.Time{}},
		{in: "2026-03-15", want: day(2026, 3, 15)},
		{in: "2026-03-15", end: true, want: day(2026, 3, 16)},
		{in: "2026-03", want: day(2026, 3, 1)},
		{in: "2026-12", end: true, want: day(2027, 1, 1)},
		{in: "15/03/2026", bad: true},
		{in: "2026-13", bad: true},
		{in: "2026-02-30", bad: true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseOpenDataDate(tc.in, loc, tc.end)
			if (err != nil) != tc.bad {
				t.Fatalf("error %v, want bad: %t", err, tc.bad)
			}
			if !tc.bad && !got.Equal(tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestETagMatches follows If-None-Match: a list, weak tags, and *.
func TestETagMatches(t *testing.T) {
	const etag = `"abc"`
	for _, tc := range []struct {
		header string
		want   bool
	}{
		{`"abc"`, true},
		{`"x", "abc"`, true},
		{`W/"abc"`, true},
		{`*`, true},
		{`"abd"`, false},
		{``, false},
	} {
		t.Run(tc.header, func(t *testing.T) {
			if got := etagMatches(tc.header, etag); got != tc.want {
				t.Errorf("got %t, want %t", got, tc.want)
			}
		})
	}
}
