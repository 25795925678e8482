package consulta

import "time"

// DefaultTimeZone is where Consulta reckons days, periods, time buckets and
// schedules unless CONSULTA_TIMEZONE names another: the ministry's.
const DefaultTimeZone = "America/Guatemala"

// DefaultLocation is the one fallback of every package given no time zone:
// DefaultTimeZone, or, on a system without the time zone database, its fixed
// offset, UTC-6 (Guatemala keeps no daylight saving time), never UTC, which
// would move every day's boundary six hours.
func DefaultLocation() *time.Location {
	if loc, err := time.LoadLocation(DefaultTimeZone); err == nil {
		return loc
	}
	return time.FixedZone(DefaultTimeZone, -6*3600)
}
