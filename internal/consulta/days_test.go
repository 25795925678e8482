package consulta

import (
	"testing"
	"time"
)

func TestParseDays(t *testing.T) {
	gt := time.FixedZone("Guatemala", -6*3600)
	madrid, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	day := func(loc *time.Location, y int, m time.Month, d int) time.Time {
		return time.Date(y, m, d, 0, 0, 0, 0, loc)
	}
	for _, tt := range []struct {
		name, first, last string
		loc               *time.Location
		want              Days
		field, code       string
	}{
		{"both days, the last included", "2026-01-01", "2026-06-30", gt, Days{day(gt, 2026, 1, 1), day(gt, 2026, 7, 1)}, "", ""},
		{"one day", "2026-03-05", "2026-03-05", gt, Days{day(gt, 2026, 3, 5), day(gt, 2026, 3, 6)}, "", ""},
		{"open start", "", "2026-06-30", gt, Days{To: day(gt, 2026, 7, 1)}, "", ""},
		{"open end", "2026-01-01", "", gt, Days{From: day(gt, 2026, 1, 1)}, "", ""},
		{"neither", "", "", gt, Days{}, "", ""},
		// 29 March 2026 lasts 23 hours in Madrid: the end is the next midnight, not 24 h later.
		{"a short day", "2026-03-29", "2026-03-29", madrid, Days{day(madrid, 2026, 3, 29), day(madrid, 2026, 3, 30)}, "", ""},
		{"no such month", "2026-13-01", "2026-06-30", gt, Days{}, DayFirst, CodeNotADay},
		{"not a date", "2026-01-01", "30/06/2026", gt, Days{}, DayLast, CodeNotADay},
		{"a time is not a day", "2026-01-01T00:00", "", gt, Days{}, DayFirst, CodeNotADay},
		{"last before first", "2026-06-30", "2026-01-01", gt, Days{}, DayLast, CodeBeforeFirst},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDays(tt.first, tt.last, tt.loc)
			if tt.code == "" {
				if err != nil || !got.From.Equal(tt.want.From) || !got.To.Equal(tt.want.To) {
					t.Fatalf("got %v – %v (%v), want %v – %v", got.From, got.To, err, tt.want.From, tt.want.To)
				}
				return
			}
			fields := FieldErrors(err)
			if ErrorCode(err) != EINVALID || len(fields) != 1 || fields[0].Question != tt.field || fields[0].Code != tt.code {
				t.Fatalf("error %v (fields %+v), want %s %s", err, fields, tt.field, tt.code)
			}
		})
	}
}
