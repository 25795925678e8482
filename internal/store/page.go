package store

import (
	"context"

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

// ResponsePage returns up to limit responses matching f, newest first (oldest
// first when f.OldestFirst), after the position after (the zero key starts at
// the first in that order). It examines at most
// Options.PageScanBudget candidates, so its time does not grow with the store.
func (s *Store) ResponsePage(ctx context.Context, f consulta.ResponseFilter, after consulta.PageKey, limit int) (*consulta.ResponsePage, error) {
	if limit <= 0 {
		return nil, consulta.Errorf(consulta.EINVALID, "store: page size %d", limit)
	}
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	text := newTextMatcher(f.Text)
	p := &consulta.ResponsePage{}
	var last consulta.PageKey
	complete, err := s.backend.scanNewest(ctx, f, after, s.scanBudget, func(k consulta.PageKey, r *consulta.Response) bool {
		last = k
		if r == nil || (text != nil && !text.matchesAny(r.Answers)) {
			return true
		}
		if len(p.Responses) == limit {
			p.Next = consulta.KeyOf(p.Responses[limit-1]) // one more exists
			return false
		}
		p.Responses = append(p.Responses, r)
		return true
	})
	if err != nil {
		return nil, err
	}
	stopped(p, complete, last)
	return p, nil
}

// countBudget is how many candidates a count checks row by row: a fifth of
// a page's budget. A page stops once it is full, a count would not, and each
// row checked costs the embedded store a row read and a JSON parse (at a
// million responses, 10,000 of them took 200 ms).
func countBudget(pageBudget int) int { return max(pageBudget/5, 1) }

// stopped marks p partial when its scan stopped at the budget before the
// page was full: the next page goes on from last, the last row examined.
func stopped(p *consulta.ResponsePage, complete bool, last consulta.PageKey) {
	if !complete && p.Next.IsZero() && !last.IsZero() {
		p.Partial, p.ScannedTo, p.Next = true, last.At, last
	}
}

// EstimateResponses counts the responses matching f up to CountLimit, or,
// when conditions must be checked row by row, among the newest countBudget
// candidates (the newest Options.PageScanBudget with a text filter): exact
// when the count ended before either bound.
func (s *Store) EstimateResponses(ctx context.Context, f consulta.ResponseFilter) (consulta.Estimate, error) {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	text := newTextMatcher(f.Text)
	if text == nil {
		n, exact, err := s.backend.countResponses(ctx, f, CountLimit, countBudget(s.scanBudget))
		return consulta.Estimate{N: n, Exact: exact}, err
	}
	var e consulta.Estimate
	complete, err := s.backend.scanNewest(ctx, f, consulta.PageKey{}, s.scanBudget, func(_ consulta.PageKey, r *consulta.Response) bool {
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
func (s *Store) Browse(ctx context.Context, f consulta.ResponseFilter, after consulta.PageKey, limit int) (*consulta.ResponsePage, consulta.Estimate, error) {
	if newTextMatcher(f.Text) == nil {
		p, err := s.ResponsePage(ctx, f, after, limit)
		if err != nil {
			return nil, consulta.Estimate{}, err
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
		return nil, consulta.Estimate{}, consulta.Errorf(consulta.EINVALID, "store: page size %d", limit)
	}
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	text := newTextMatcher(f.Text)
	p := &consulta.ResponsePage{}
	e := consulta.Estimate{FromPosition: !after.IsZero()}
	var last consulta.PageKey
	complete, err := s.backend.scanNewest(ctx, f, after, s.scanBudget, func(k consulta.PageKey, r *consulta.Response) bool {
		last = k
		if r == nil || !text.matchesAny(r.Answers) {
			return true
		}
		e.N++
		switch {
		case len(p.Responses) < limit:
			p.Responses = append(p.Responses, r)
		case p.Next.IsZero():
			p.Next = consulta.KeyOf(p.Responses[limit-1]) // one more exists
		}
		return true
	})
	if err != nil {
		return nil, consulta.Estimate{}, err
	}
	e.Exact = complete
	stopped(p, complete, last)
	return p, e, nil
}
