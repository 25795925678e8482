package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

// Bounds of the responses browser, so that every page answers in about the same
// time whatever the filter and however many responses are stored
// (docs/storage.md, "Browsing").
const (
	// PageScanBudget is how many candidates one page examines at most by
	// default (Options.PageScanBudget). A filter
	// that no index serves entirely (free text, or several conditions) may need
	// more to fill a page: the page then comes back partial, saying how far
	// back it looked, with a link to look further.
	PageScanBudget = 10_000
	// CountLimit is where the browser stops counting: beyond it the total is
	// shown as "more than CountLimit".
	CountLimit = 10_000
)

// PageKey is a position in the order of responses: when received, then ID. The
// zero key is before the newest response.
type PageKey struct {
	At time.Time
	ID string
}

// KeyOf is the position of r.
func KeyOf(r *consulta.Response) PageKey { return PageKey{At: r.ReceivedAt.UTC(), ID: r.ID} }

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
		return PageKey{}, consulta.Errorf(consulta.EINVALID, "store: bad page position %q", s)
	}
	return PageKey{At: time.UnixMilli(n).UTC(), ID: id}, nil
}

// ResponsePage is one page of the responses browser, newest first.
type ResponsePage struct {
	Responses []*consulta.Response
	// Next is the position after which the next page starts; zero when there
	// is nothing more to see.
	Next PageKey
	// Partial reports that the page stopped at PageScanBudget before it was
	// full: ScannedTo is the receipt time of the last response examined, and
	// Next goes on from there.
	Partial   bool
	ScannedTo time.Time
}

// ResponsePage returns up to limit responses matching f, newest first (oldest
// first when f.OldestFirst), after the position after (the zero key starts at
// the first in that order). It examines at most
// Options.PageScanBudget candidates, so its time does not grow with the store.
func (s *Store) ResponsePage(ctx context.Context, f ResponseFilter, after PageKey, limit int) (*ResponsePage, error) {
	if limit <= 0 {
		return nil, consulta.Errorf(consulta.EINVALID, "store: page size %d", limit)
	}
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	text := newTextMatcher(f.Text)
	p := &ResponsePage{}
	var last PageKey
	complete, err := s.backend.scanNewest(ctx, f, after, s.scanBudget, func(k PageKey, r *consulta.Response) bool {
		last = k
		if r == nil || (text != nil && !text.matchesAny(r.Answers)) {
			return true
		}
		if len(p.Responses) == limit {
			p.Next = KeyOf(p.Responses[limit-1]) // one more exists
			return false
		}
		p.Responses = append(p.Responses, r)
		return true
	})
	if err != nil {
		return nil, err
	}
	p.stopped(complete, last)
	return p, nil
}

// countBudget is how many candidates a count checks row by row: a fifth of
// a page's budget. A page stops once it is full, a count would not, and each
// row checked costs the embedded store a row read and a JSON parse (at a
// million responses, 10,000 of them took 200 ms).
func countBudget(pageBudget int) int { return max(pageBudget/5, 1) }

// stopped marks p partial when its scan stopped at the budget before the
// page was full: the next page goes on from last, the last row examined.
func (p *ResponsePage) stopped(complete bool, last PageKey) {
	if !complete && p.Next.IsZero() && !last.IsZero() {
		p.Partial, p.ScannedTo, p.Next = true, last.At, last
	}
}

// Estimate is a count that may stop early.
type Estimate struct {
	// N is the count, or a lower bound when Exact is false.
	N     int64
	Exact bool
	// FromPosition: N counts the responses from the page's position on, not
	// from the newest (Browse with a text filter, after the first page).
	FromPosition bool
}

// EstimateResponses counts the responses matching f up to CountLimit, or,
// when conditions must be checked row by row, among the newest countBudget
// candidates (the newest Options.PageScanBudget with a text filter): exact
// when the count ended before either bound.
func (s *Store) EstimateResponses(ctx context.Context, f ResponseFilter) (Estimate, error) {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	text := newTextMatcher(f.Text)
	if text == nil {
		n, exact, err := s.backend.countResponses(ctx, f, CountLimit, countBudget(s.scanBudget))
		return Estimate{N: n, Exact: exact}, err
	}
	var e Estimate
	complete, err := s.backend.scanNewest(ctx, f, PageKey{}, s.scanBudget, func(_ PageKey, r *consulta.Response) bool {
		if r != nil && text.matchesAny(r.Answers) {
			e.N++
		}
		return true
	})
	e.Exact = complete
	return e, err
}

// Browse is what one page of the responses browser needs: the page, and the
// count of matching responses. With a text filter both come from one scan of
// at most Options.PageScanBudget candidates after the position, and the count
// is then of the responses from the position on (Estimate.FromPosition).
func (s *Store) Browse(ctx context.Context, f ResponseFilter, after PageKey, limit int) (*ResponsePage, Estimate, error) {
	if newTextMatcher(f.Text) == nil {
		p, err := s.ResponsePage(ctx, f, after, limit)
		if err != nil {
			return nil, Estimate{}, err
		}
		e, err := s.EstimateResponses(ctx, f)
		if !e.Exact {
			// The count checks fewer rows than the page may: never say
			// "at least 9" above 25 rows.
			e.N = max(e.N, int64(len(p.Responses)))
		}
		return p, e, err
	}
	if limit <= 0 {
		return nil, Estimate{}, consulta.Errorf(consulta.EINVALID, "store: page size %d", limit)
	}
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	text := newTextMatcher(f.Text)
	p := &ResponsePage{}
	e := Estimate{FromPosition: !after.IsZero()}
	var last PageKey
	complete, err := s.backend.scanNewest(ctx, f, after, s.scanBudget, func(k PageKey, r *consulta.Response) bool {
		last = k
		if r == nil || !text.matchesAny(r.Answers) {
			return true
		}
		e.N++
		switch {
		case len(p.Responses) < limit:
			p.Responses = append(p.Responses, r)
		case p.Next.IsZero():
			p.Next = KeyOf(p.Responses[limit-1]) // one more exists
		}
		return true
	})
	if err != nil {
		return nil, Estimate{}, err
	}
	e.Exact = complete
	p.stopped(complete, last)
	return p, e, nil
}
