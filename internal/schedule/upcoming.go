package schedule

import (
	"fmt"
	"time"
)

// GeneratedAutomatically is the GeneratedBy of the reports the scheduler
// stores: no person made them. Reports stored by earlier releases carry the
// replica's name there instead; a report of a run (StoredReport.Run) is
// automatic either way.
const GeneratedAutomatically = "schedule"

// Planned is one kind of scheduled report as configured: its cron spec and
// its next firings, each with the period it will report on.
type Planned struct {
	Kind Kind
	// Spec is the cron spec as configured; Off when it is "-".
	Spec string
	Off  bool
	Next []PlannedRun
}

// PlannedRun is one coming firing of a scheduled report.
type PlannedRun struct {
	At     time.Time
	Period Period
}

// Plan reads the monthly and biannual specs (Config.Monthly, Biannual) in
// loc and lists the n next firings of each after now, for the workspace's
// view of the schedule. It needs no scheduler: a replica that does not run
// the jobs shows the same plan as the one that does.
func Plan(monthly, biannual string, loc *time.Location, now time.Time, n int) ([]Planned, error) {
	var out []Planned
	for _, k := range []struct {
		kind Kind
		text string
	}{{Monthly, monthly}, {Biannual, biannual}} {
		p := Planned{Kind: k.kind, Spec: k.text, Off: k.text == "-" || k.text == ""}
		if !p.Off {
			sp, err := parseSpec(k.text, loc, now)
			if err != nil {
				return nil, fmt.Errorf("schedule: %s spec %q: %w", k.kind, k.text, err)
			}
			at := now
			for range n {
				at = sp.Next(at)
				if at.IsZero() {
					break
				}
				period, err := PeriodBefore(k.kind, at, loc)
				if err != nil {
					return nil, err
				}
				p.Next = append(p.Next, PlannedRun{At: at, Period: period})
			}
		}
		out = append(out, p)
	}
	return out, nil
}
