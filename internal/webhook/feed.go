package webhook

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

// The feeds read new documents after the fact, through the store's indexes,
// from a position kept in the store: a submission or a triage save does no
// work for webhooks.
const (
	// DefaultSettle is how old a document must be before the feed reads it:
	// a submission stamped at T is stored by T plus its write deadline (the
	// store's operation timeout, 5 s), on whichever replica took it, so a
	// feed that reads only up to now minus DefaultSettle misses none.
	DefaultSettle = 30 * time.Second
	// DefaultFeedEvery is how often the feeds look for new documents.
	DefaultFeedEvery = 10 * time.Second
	// feedBatch bounds the documents one pass of a feed turns into events.
	feedBatch = 500
)

// Feed positions in the store.
const (
	responsesFeed = "webhook.responses"
	triageFeed    = "webhook.triage"
)

// errBatchFull stops a feed's read when its batch is full.
var errBatchFull = errors.New("webhook: batch full")

// Feed turns new responses and triage saves into deliveries. Start it, Stop
// it on shutdown. Several replicas may run it: an event made twice has the
// same id, and is enqueued once.
type Feed struct {
	svc    *Service
	Settle time.Duration
	Every  time.Duration

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

// NewFeed returns the feed of svc with the default timings.
func NewFeed(svc *Service) *Feed {
	return &Feed{svc: svc, Settle: DefaultSettle, Every: DefaultFeedEvery}
}

// Start runs a pass every Every until Stop.
func (f *Feed) Start(ctx context.Context) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.done != nil {
		return
	}
	ctx, f.cancel = context.WithCancel(ctx)
	f.done = make(chan struct{})
	go func(done chan struct{}) {
		defer close(done)
		t := time.NewTicker(f.Every)
		defer t.Stop()
		for {
			if err := f.Pass(ctx); err != nil && ctx.Err() == nil {
				f.svc.cfg.Logger.Error("webhook: feed", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}(f.done)
}

// Stop ends the feed and waits for its pass in flight.
func (f *Feed) Stop() {
	f.mu.Lock()
	cancel, done := f.cancel, f.done
	f.cancel, f.done = nil, nil
	f.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// Pass reads what is new in both feeds up to now minus Settle.
func (f *Feed) Pass(ctx context.Context) error {
	upTo := f.svc.cfg.Now().Add(-f.Settle)
	return errors.Join(f.responses(ctx, upTo), f.triage(ctx, upTo))
}

// position returns a feed's cursor; a feed without one starts at upTo:
// what was stored before webhooks were first used is not announced.
func (f *Feed) position(ctx context.Context, id string, upTo time.Time) (*consulta.FeedCursor, error) {
	c, err := f.svc.cfg.Store.FeedCursor(ctx, id)
	if err != nil || c != nil {
		return c, err
	}
	return nil, f.svc.cfg.Store.SaveFeedCursor(ctx, consulta.FeedCursor{ID: id, At: upTo})
}

// after reports whether (at, id) comes after the cursor.
func after(c *consulta.FeedCursor, at time.Time, id string) bool {
	return at.After(c.At) || (at.Equal(c.At) && id > c.Last)
}

// responses enqueues response.created for the responses stored since the
// cursor. With no endpoint for the event it only moves the cursor.
func (f *Feed) responses(ctx context.Context, upTo time.Time) error {
	c, err := f.position(ctx, responsesFeed, upTo)
	if err != nil || c == nil || !upTo.After(c.At) {
		return err
	}
	subs, err := f.svc.subscribers(ctx, EventResponseCreated)
	if err != nil {
		return err
	}
	next := consulta.FeedCursor{ID: responsesFeed, At: upTo}
	if len(subs) == 0 {
		return f.save(ctx, next, c, nil)
	}
	n := 0
	err = f.svc.cfg.Store.EachResponse(ctx, consulta.ResponseFilter{From: c.At, To: upTo}, nil, func(r *consulta.Response) error {
		if !after(c, r.ReceivedAt, r.ID) {
			return nil
		}
		ev, err := responseCreated(r)
		if err == nil {
			err = f.svc.enqueue(ctx, ev, subs)
		}
		if err != nil {
			return err
		}
		next.At, next.Last = r.ReceivedAt, r.ID
		if n++; n == feedBatch {
			return errBatchFull
		}
		return nil
	})
	switch {
	case errors.Is(err, errBatchFull):
		return f.save(ctx, next, c, nil) // the rest in the next pass
	case err != nil:
		return f.save(ctx, next, c, err)
	}
	return f.save(ctx, consulta.FeedCursor{ID: responsesFeed, At: upTo}, c, nil)
}

// triage enqueues response.triaged and action.published for the triage
// saved since the cursor. A response triaged twice between two passes is
// announced once, as it stands.
func (f *Feed) triage(ctx context.Context, upTo time.Time) error {
	c, err := f.position(ctx, triageFeed, upTo)
	if err != nil || c == nil || !upTo.After(c.At) {
		return err
	}
	triaged, err := f.svc.subscribers(ctx, EventResponseTriaged)
	if err != nil {
		return err
	}
	actions, err := f.svc.subscribers(ctx, EventActionPublished)
	if err != nil {
		return err
	}
	next := consulta.FeedCursor{ID: triageFeed, At: upTo}
	if len(triaged)+len(actions) == 0 {
		return f.save(ctx, next, c, nil)
	}
	saves, err := f.svc.cfg.Store.TriageSince(ctx, c.At, upTo, feedBatch+1)
	if err != nil {
		return err
	}
	full := len(saves) > feedBatch
	if full {
		saves = saves[:feedBatch] // the rest in the next pass
	}
	for _, t := range saves {
		if !after(c, t.UpdatedAt, t.ID) {
			continue
		}
		evs, err := triageEvents(t)
		for _, ev := range evs {
			if err != nil {
				break
			}
			subs := triaged
			if ev.Name == EventActionPublished {
				subs = actions
			}
			err = f.svc.enqueue(ctx, ev, subs)
		}
		if err != nil {
			return f.save(ctx, next, c, err)
		}
		next.At, next.Last = t.UpdatedAt, t.ID
	}
	if !full {
		next = consulta.FeedCursor{ID: triageFeed, At: upTo}
	}
	return f.save(ctx, next, c, nil)
}

// save records the feed's new position (when it moved) and returns failure.
func (f *Feed) save(ctx context.Context, next consulta.FeedCursor, prev *consulta.FeedCursor, failure error) error {
	if failure != nil && next.Last == "" && next.At.After(prev.At) {
		// Failed before anything was done: stay where it was.
		return failure
	}
	if next.At.Equal(prev.At) && next.Last == prev.Last {
		return failure
	}
	return errors.Join(failure, f.svc.cfg.Store.SaveFeedCursor(ctx, next))
}
