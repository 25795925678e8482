package store

import (
	"context"
	"errors"
	"maps"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/consulta/consulta/internal/consulta"
)

// entry is every request of one batch for one response ID. The first request's
// documents are the ones written; the others learn what was stored.
type entry struct {
	requests []*request
	created  bool               // the first request's response was inserted
	exists   bool               // a response with this ID was stored before
	stored   *consulta.Response // read back when exists, or for the other requests
	err      error              // the entry failed: every request gets it
	readErr  error              // reading back failed: the requests not created get it
}

func (e *entry) leader() *request { return e.requests[0] }

// answer sends each request its result.
func (e *entry) answer() {
	for i, req := range e.requests {
		switch {
		case e.err != nil:
			req.result <- result{err: e.err}
		case i == 0 && e.created:
			req.result <- result{response: req.response, created: true}
		case e.readErr != nil:
			req.result <- result{err: e.readErr}
		case e.stored == nil:
			req.result <- result{err: consulta.Errorf(consulta.EINTERNAL,
				"store: response %s reported as existing but not found", req.response.ID)}
		default:
			req.result <- result{response: cloneResponse(e.stored)}
		}
	}
}

// groupByID drops requests whose caller has already given up (nothing waits for
// their result, and not writing them is what the caller was told) and groups the
// others by response ID, in arrival order.
func groupByID(batch []*request) []*entry {
	var entries []*entry
	byID := make(map[string]*entry, len(batch))
	for _, req := range batch {
		if req.ctx.Err() != nil {
			continue
		}
		if e, ok := byID[req.response.ID]; ok {
			e.requests = append(e.requests, req)
			continue
		}
		e := &entry{requests: []*request{req}}
		byID[req.response.ID] = e
		entries = append(entries, e)
	}
	return entries
}

// batchWrite is one batch being written.
type batchWrite struct {
	store   *Store
	entries []*entry
}

// pending returns the entries still to write.
func (w *batchWrite) pending() []*entry {
	var out []*entry
	for _, e := range w.entries {
		if e.err == nil && !e.exists {
			out = append(out, e)
		}
	}
	return out
}

// skipExisting marks as existing the responses with a contact that are already
// stored, so that a replay does not leave behind a contact (personal data) that no
// response refers to. Responses without contact need no such check: their insert
// is the check.
func (w *batchWrite) skipExisting(ctx context.Context) {
	var withContact []*entry
	var ids []string
	for _, e := range w.pending() {
		if e.leader().contact != nil {
			withContact = append(withContact, e)
			ids = append(ids, e.leader().response.ID)
		}
	}
	if len(ids) == 0 {
		return
	}
	found, err := w.store.responsesByID(ctx, ids)
	for _, e := range withContact {
		switch {
		case err != nil:
			e.err = err
		case found[e.leader().response.ID] != nil:
			e.exists = true
			e.stored = found[e.leader().response.ID]
		}
	}
}

// insertContacts writes the contacts of the pending entries. A contact already
// stored (an earlier attempt whose response failed) is fine; any other failure
// fails its entry, whose response is then not written.
func (w *batchWrite) insertContacts(ctx context.Context) {
	var entries []*entry
	var docs []any
	for _, e := range w.pending() {
		if c := e.leader().contact; c != nil {
			entries = append(entries, e)
			docs = append(docs, c)
		}
	}
	w.insertUnordered(ctx, w.store.contacts, entries, docs, func(*entry, error) {})
}

// insertResponses writes the responses of the pending entries; a duplicate ID means
// the response was stored before.
func (w *batchWrite) insertResponses(ctx context.Context) {
	entries := w.pending()
	docs := make([]any, len(entries))
	for i, e := range entries {
		docs[i] = e.leader().response
	}
	w.insertUnordered(ctx, w.store.responses, entries, docs, func(e *entry, _ error) { e.exists = true })
	for _, e := range entries {
		if e.err == nil && !e.exists {
			e.created = true
		}
	}
}

// insertUnordered inserts docs (docs[i] belongs to entries[i]) in one unordered
// InsertMany. A duplicate key calls onDuplicate; any other failure of a document
// fails its entry; a failure of the whole command fails every entry.
func (w *batchWrite) insertUnordered(ctx context.Context, coll *mongo.Collection, entries []*entry, docs []any,
	onDuplicate func(*entry, error)) {
	if len(docs) == 0 {
		return
	}
	_, err := coll.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	if err == nil {
		return
	}
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) || bwe.WriteConcernError != nil || len(bwe.WriteErrors) == 0 {
		// Unknown outcome (store down, write concern not met): fail them all; a retry
		// with the same IDs is recognised.
		err = wrap(err, "insert into %s", coll.Name())
		for _, e := range entries {
			e.err = err
		}
		return
	}
	for _, we := range bwe.WriteErrors {
		e := entries[we.Index]
		if mongo.IsDuplicateKeyError(we.WriteError) {
			onDuplicate(e, we)
			continue
		}
		e.err = wrap(we, "insert into %s", coll.Name())
	}
}

// readBack loads the stored response of every entry that needs it: those stored
// before, and those whose later requests repeated an ID written in this batch.
func (w *batchWrite) readBack(ctx context.Context) {
	var need []*entry
	var ids []string
	for _, e := range w.entries {
		if e.err == nil && e.stored == nil && (e.exists || len(e.requests) > 1) {
			need = append(need, e)
			ids = append(ids, e.leader().response.ID)
		}
	}
	if len(ids) == 0 {
		return
	}
	found, err := w.store.responsesByID(ctx, ids)
	for _, e := range need {
		e.readErr = err
		e.stored = found[e.leader().response.ID]
	}
}

// cloneResponse gives each caller its own copy of a stored response.
func cloneResponse(r *consulta.Response) *consulta.Response {
	c := *r
	c.Answers = maps.Clone(r.Answers)
	return &c
}
