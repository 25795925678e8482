package consulta

import "time"

// FocusGroup is a focus-group session run by a civil-society organisation. Its
// ID is the short code participants type, so that checking a submission's code
// is a lookup by _id.
type FocusGroup struct {
	Code        string    `bson:"_id"`
	Org         string    `bson:"org"`
	Facilitator string    `bson:"facilitator"` // user ID
	FormID      string    `bson:"form"`
	Lang        string    `bson:"lang"`
	Date        time.Time `bson:"date"`
	Place       Geo       `bson:"place"`
	PlaceName   string    `bson:"place_name"` // venue, e.g. a school's name
	Expected    int       `bson:"expected"`
	OpensAt     time.Time `bson:"opens_at"`
	ClosesAt    time.Time `bson:"closes_at"`
	CreatedBy   string    `bson:"created_by"`
	CreatedAt   time.Time `bson:"created_at"`
	UpdatedAt   time.Time `bson:"updated_at"`
}

// Open reports whether the session accepts answers at t: [OpensAt, ClosesAt).
func (g *FocusGroup) Open(t time.Time) bool {
	return !t.Before(g.OpensAt) && t.Before(g.ClosesAt)
}
