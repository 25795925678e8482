package schedule

import (
	"fmt"
	"time"
)

// Kind is a kind of scheduled report.
type Kind string

// The scheduled reports (docs/reports.md, "Scheduling"): monthly for the past month, biannual
// for the past semester.
const (
	Monthly  Kind = "monthly"
	Biannual Kind = "biannual"
)

// Period is the span a scheduled run reports on, [From, To), and the run's
// identifier, the same on every replica: "monthly:2026-10",
// "biannual:2026-S1".
type Period struct {
	Kind     Kind
	ID       string
	From, To time.Time
}

// PeriodBefore returns the last complete period of kind before the one that
// holds at, reckoned in loc: for a run fired on 1 November 2026, the monthly
// period is October 2026; for one fired in January or July, the biannual
// period is the semester that just ended.
func PeriodBefore(kind Kind, at time.Time, loc *time.Location) (Period, error) {
	at = at.In(loc)
	switch kind {
	case Monthly:
		to := time.Date(at.Year(), at.Month(), 1, 0, 0, 0, 0, loc)
		from := to.AddDate(0, -1, 0)
		return Period{Kind: kind, ID: fmt.Sprintf("%s:%04d-%02d", kind, from.Year(), from.Month()), From: from, To: to}, nil
	case Biannual:
		startMonth := time.January
		if at.Month() >= time.July {
			startMonth = time.July
		}
		to := time.Date(at.Year(), startMonth, 1, 0, 0, 0, 0, loc)
		from := to.AddDate(0, -6, 0)
		half := 1
		if from.Month() == time.July {
			half = 2
		}
		return Period{Kind: kind, ID: fmt.Sprintf("%s:%04d-S%d", kind, from.Year(), half), From: from, To: to}, nil
	}
	return Period{}, fmt.Errorf("schedule: unknown report kind %q", kind)
}
