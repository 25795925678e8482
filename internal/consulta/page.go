package consulta

import (
	"strconv"
	"strings"
	"time"
)

// PageKey is a position in the order of responses: when received, then ID. The
// zero key is before the newest response.
type PageKey struct {
	At time.Time
	ID string
}

// KeyOf is the position of r.
func KeyOf(r *Response) PageKey { return PageKey{At: r.ReceivedAt.UTC(), ID: r.ID} }

// IsZero reports whether k is the zero key.
func (k PageKey) IsZero() bool { return k.ID == "" && k.At.IsZero() }

// String is k as a URL parameter: milliseconds since 1970, "_", the ID.
func (k PageKey) String() string {
	if k.IsZero() {
		return ""
	}
	return strconv.FormatInt(k.At.UnixMilli(), 10) + "_" + k.ID
}

// ParsePageKey reads a key written by String; "" is the zero key.
func ParsePageKey(s string) (PageKey, error) {
	if s == "" {
		return PageKey{}, nil
	}
	ms, id, ok := strings.Cut(s, "_")
	n, err := strconv.ParseInt(ms, 10, 64)
	if !ok || err != nil || id == "" {
		return PageKey{}, Errorf(EINVALID, "bad page position %q", s)
	}
	return PageKey{At: time.UnixMilli(n).UTC(), ID: id}, nil
}

// ResponsePage is one page of the responses browser, newest first.
type ResponsePage struct {
	Responses []*Response
	// Next is the position after which the next page starts; zero when there
	// is nothing more to see.
	Next PageKey
	// Partial reports that the page stopped at its scan budget before it was
	// full: ScannedTo is the receipt time of the last response examined, and
	// Next goes on from there.
	Partial   bool
	ScannedTo time.Time
}

// Estimate is a count that may stop early.
type Estimate struct {
	// N is the count, or a lower bound when Exact is false.
	N     int64
	Exact bool
	// FromPosition: N counts the responses from the page's position on, not
	// from the newest (a text filter, after the first page).
	FromPosition bool
}
