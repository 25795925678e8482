package store

import (
	"context"
	"sync"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

// batcher is InsertResponse's group commit. Single inserts are slow on the embedded
// store (each one a SQLite transaction) while InsertMany batches reach about 7,800/s
// (docs/storage.md, "Writes"), so concurrent submissions are queued and written together; each
// caller is answered once its batch is written. One goroutine writes one batch at a
// time: while it writes, the next batch gathers in the queue.
type batcher struct {
	store    *Store
	window   time.Duration
	maxDocs  int
	requests chan *request
	done     chan struct{} // closed when run has written everything and returned

	mu     sync.RWMutex // guards closed against sends on a closed channel
	closed bool
}

// request is one InsertResponse call waiting for its batch.
type request struct {
	ctx      context.Context
	response *consulta.Response
	contact  *consulta.Contact
	result   chan result // buffered: the writer never waits for a caller
}

type result struct {
	response *consulta.Response
	created  bool
	err      error
}

func newBatcher(s *Store, window time.Duration, maxDocs int) *batcher {
	b := &batcher{
		store:    s,
		window:   window,
		maxDocs:  maxDocs,
		requests: make(chan *request, maxDocs),
		done:     make(chan struct{}),
	}
	go b.run()
	return b
}

// insert queues r and c and waits until they are written or ctx ends.
func (b *batcher) insert(ctx context.Context, r *consulta.Response, c *consulta.Contact) (*consulta.Response, bool, error) {
	req := &request{ctx: ctx, response: r, contact: c, result: make(chan result, 1)}
	if err := b.submit(req); err != nil {
		return nil, false, err
	}
	select {
	case res := <-req.result:
		return res.response, res.created, res.err
	case <-ctx.Done():
		// The batch may still write r: a retry with the same ID will find it.
		return nil, false, wrap(ctx.Err(), "insert response %s", r.ID)
	}
}

// submit queues req, waiting for room while the queue is full (back pressure).
func (b *batcher) submit(req *request) error {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return errClosed()
	}
	select {
	case b.requests <- req:
		return nil
	case <-req.ctx.Done():
		return wrap(req.ctx.Err(), "queue response %s", req.response.ID)
	}
}

// close stops accepting requests and waits until the queued ones are written.
func (b *batcher) close(ctx context.Context) error {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		close(b.requests)
	}
	b.mu.Unlock()
	select {
	case <-b.done:
		return nil
	case <-ctx.Done():
		return wrap(ctx.Err(), "close: write queued responses")
	}
}

// run writes batches until the queue is closed and drained.
func (b *batcher) run() {
	defer close(b.done)
	for first := range b.requests {
		b.flush(b.gather(first))
	}
}

// gather collects the requests queued with first, and those arriving within the
// window if there is one, up to maxDocs.
func (b *batcher) gather(first *request) []*request {
	batch := []*request{first}
	if b.window == 0 {
		return b.gatherQueued(batch)
	}
	timer := time.NewTimer(b.window)
	defer timer.Stop()
	for len(batch) < b.maxDocs {
		select {
		case req, ok := <-b.requests:
			if !ok {
				return batch
			}
			batch = append(batch, req)
		case <-timer.C:
			return batch
		}
	}
	return batch
}

// gatherQueued adds the requests already queued, without waiting.
func (b *batcher) gatherQueued(batch []*request) []*request {
	for len(batch) < b.maxDocs {
		select {
		case req, ok := <-b.requests:
			if !ok {
				return batch
			}
			batch = append(batch, req)
		default:
			return batch
		}
	}
	return batch
}

// flush writes a batch under one operation deadline and answers its callers.
func (b *batcher) flush(batch []*request) {
	ctx, cancel := b.store.OpContext(context.Background())
	defer cancel()
	entries := groupByID(batch)
	if len(entries) == 0 {
		return
	}
	w := batchWrite{store: b.store, entries: entries}
	w.skipExisting(ctx)
	w.insertContacts(ctx)
	w.insertResponses(ctx)
	w.readBack(ctx)
	for _, e := range entries {
		e.answer()
	}
}
