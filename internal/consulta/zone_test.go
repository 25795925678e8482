package consulta

import (
	"testing"
	"time"
)

// TestDefaultLocation: the fallback time zone is Guatemala's, six hours behind
// UTC in January and in July alike.
func TestDefaultLocation(t *testing.T) {
	loc := DefaultLocation()
	for _, at := range []time.Time{time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC), time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC)} {
		if _, offset := at.In(loc).Zone(); offset != -6*3600 {
			t.Errorf("%v: offset %d s, want -21600", at, offset)
		}
	}
	if loc.String() != DefaultTimeZone {
		t.Errorf("named %q, want %q", loc.String(), DefaultTimeZone)
	}
}
