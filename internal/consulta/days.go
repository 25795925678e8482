package consulta

import "time"

// Days is a span of whole days in a time zone, held as the half-open
// interval [From, To): From is the first day's midnight, To the midnight that
// ends the last day. Responses, reports and the audit log are all filtered
// this way, so a day's last response is never lost between two periods. A
// zero From or To leaves that side open.
type Days struct{ From, To time.Time }

// The codes of ParseDays's field errors. The field error's Question names the
// day it is about: DayFirst or DayLast.
const (
	CodeNotADay       = "not_a_day"    // not written YYYY-MM-DD, or no such day
	CodeBeforeFirst   = "before_first" // the last day is before the first
	DayFirst, DayLast = "from", "to"
)

// ParseDays reads an inclusive range of days, the first and the last each
// written YYYY-MM-DD (as date inputs send them), as whole days in loc. An
// empty day leaves its side open. A day that is not one, or a last day
// before the first, is an EINVALID error with one field error that names the
// day and the problem (CodeNotADay, CodeBeforeFirst). Every date filter and
// period of Consulta (the commands' --from and --to, the workspace's filters
// and reports) is read here.
func ParseDays(first, last string, loc *time.Location) (Days, error) {
	var d Days
	var err error
	if first != "" {
		if d.From, err = time.ParseInLocation(time.DateOnly, first, loc); err != nil {
			return Days{}, dayError(DayFirst, CodeNotADay, first)
		}
	}
	if last != "" {
		end, err := time.ParseInLocation(time.DateOnly, last, loc)
		if err != nil {
			return Days{}, dayError(DayLast, CodeNotADay, last)
		}
		// The day after, by the calendar: a day in a time zone with daylight
		// saving time may last 23 or 25 hours.
		d.To = end.AddDate(0, 0, 1)
	}
	if !d.From.IsZero() && !d.To.IsZero() && !d.To.After(d.From) {
		return Days{}, dayError(DayLast, CodeBeforeFirst, last)
	}
	return d, nil
}

func dayError(which, code, value string) error {
	return &Error{Code: EINVALID, Message: "day " + which + " " + code + ": " + value,
		Fields: []FieldError{{Question: which, Code: code, Params: map[string]any{"Value": value}}}}
}
