package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/consulta/consulta/internal/consulta"
)

// bulkBatchSize is the number of documents per InsertMany in InsertResponses: the
// size measured fastest on the embedded store (docs/storage.md, "Writes").
const bulkBatchSize = 1000

// InsertResponse stores r, and c when non-nil (the contact: same ID, kept apart),
// exactly once per r.ID. Concurrent calls are gathered (Options.BatchWindow) and
// written together, contacts first, so that an acknowledged response never lacks its
// contact. InsertResponse returns once the batch holding r is written.
//
// If a response with r.ID was already stored (before, or earlier in the same batch),
// nothing is written and InsertResponse returns the stored response and false.
// Otherwise it returns the response as stored and true: a copy of r with ReceivedAt
// in UTC at millisecond precision (what BSON keeps), HasContact set to c != nil and
// Status defaulting to consulta.StatusNew.
//
// A store that cannot be reached in time gives an EUNAVAILABLE error; the caller may
// retry with the same ID, which is then recognised.
func (s *Store) InsertResponse(ctx context.Context, r *consulta.Response, c *consulta.Contact) (*consulta.Response, bool, error) {
	r, c, err := prepareResponse(r, c)
	if err != nil {
		return nil, false, err
	}
	return s.batcher.insert(ctx, r, c)
}

// InsertResponses writes many responses directly, for seeding and imports: each
// contact of cs (matched to its response by ID) first, then the responses, in
// InsertMany batches of 1000, in order. It stops at the first failure and returns how
// many responses were inserted; a response or contact ID that already exists gives an
// ECONFLICT error naming it. The stored copies are normalized as in InsertResponse.
func (s *Store) InsertResponses(ctx context.Context, rs []*consulta.Response, cs []*consulta.Contact) (int, error) {
	byID, err := contactsByResponse(rs, cs)
	if err != nil {
		return 0, err
	}
	responses := make([]any, 0, len(rs))
	contacts := make([]*consulta.Contact, 0, len(byID))
	for _, r := range rs {
		c := byID[r.ID]
		pr, pc, err := prepareResponse(r, c)
		if err != nil {
			return 0, err
		}
		responses = append(responses, pr)
		if pc != nil {
			contacts = append(contacts, pc)
		}
	}

	inserted := 0
	for start := 0; start < len(responses); start += bulkBatchSize {
		chunk := responses[start:min(start+bulkBatchSize, len(responses))]
		if err := s.insertContactsOf(ctx, chunk, contacts); err != nil {
			return inserted, err
		}
		n, err := s.insertOrdered(ctx, s.responses, chunk)
		inserted += n
		if err != nil {
			return inserted, err
		}
	}
	return inserted, nil
}

// contactsByResponse indexes cs by ID, checking that each belongs to one of rs.
func contactsByResponse(rs []*consulta.Response, cs []*consulta.Contact) (map[string]*consulta.Contact, error) {
	ids := make(map[string]bool, len(rs))
	for _, r := range rs {
		if r == nil {
			return nil, consulta.Errorf(consulta.EINVALID, "store: nil response")
		}
		ids[r.ID] = true
	}
	byID := make(map[string]*consulta.Contact, len(cs))
	for _, c := range cs {
		if c == nil {
			continue
		}
		if !ids[c.ID] {
			return nil, consulta.Errorf(consulta.EINVALID, "store: contact %s has no response", c.ID)
		}
		byID[c.ID] = c
	}
	return byID, nil
}

// insertContactsOf inserts the contacts of the responses in chunk.
func (s *Store) insertContactsOf(ctx context.Context, chunk []any, contacts []*consulta.Contact) error {
	if len(contacts) == 0 {
		return nil
	}
	wanted := make(map[string]bool, len(chunk))
	for _, doc := range chunk {
		if r := doc.(*consulta.Response); r.HasContact {
			wanted[r.ID] = true
		}
	}
	var docs []any
	for _, c := range contacts {
		if wanted[c.ID] {
			docs = append(docs, c)
		}
	}
	if len(docs) == 0 {
		return nil
	}
	_, err := s.insertOrdered(ctx, s.contacts, docs)
	return err
}

// insertOrdered inserts docs in order, stopping at the first failure; it returns how
// many were inserted.
func (s *Store) insertOrdered(ctx context.Context, coll *mongo.Collection, docs []any) (int, error) {
	opCtx, cancel := s.OpContext(ctx)
	defer cancel()
	res, err := coll.InsertMany(opCtx, docs, options.InsertMany().SetOrdered(true))
	if err == nil {
		return len(res.InsertedIDs), nil
	}
	var bwe mongo.BulkWriteException
	if errors.As(err, &bwe) && bwe.WriteConcernError == nil && len(bwe.WriteErrors) > 0 {
		first := bwe.WriteErrors[0]
		id := docID(docs[first.Index])
		if mongo.IsDuplicateKeyError(first.WriteError) {
			return first.Index, fmt.Errorf("%w: %w",
				consulta.Errorf(consulta.ECONFLICT, "store: %s %s already exists", coll.Name(), id), err)
		}
		return first.Index, wrap(err, "insert %s %s", coll.Name(), id)
	}
	// Unknown progress: the batch may be partly written. The caller learns how many
	// from a recount; reporting 0 is the safe lower bound.
	return 0, wrap(err, "insert into %s", coll.Name())
}

// docID is the _id of a document given to InsertMany.
func docID(doc any) string {
	switch d := doc.(type) {
	case *consulta.Response:
		return d.ID
	case *consulta.Contact:
		return d.ID
	}
	return "?"
}

// prepareResponse checks r and c and returns the copies to store.
func prepareResponse(r *consulta.Response, c *consulta.Contact) (*consulta.Response, *consulta.Contact, error) {
	if r == nil {
		return nil, nil, consulta.Errorf(consulta.EINVALID, "store: nil response")
	}
	if r.ID == "" {
		return nil, nil, consulta.Errorf(consulta.EINVALID, "store: response without ID")
	}
	if err := checkKeys(r.Answers); err != nil {
		return nil, nil, err
	}
	rc := *r
	rc.ReceivedAt = storedTime(r.ReceivedAt)
	rc.HasContact = c != nil
	if rc.Answers == nil {
		rc.Answers = map[string]any{}
	}
	if rc.Status == "" {
		rc.Status = consulta.StatusNew
	}
	if c == nil {
		return &rc, nil, nil
	}
	if c.ID != r.ID {
		return nil, nil, consulta.Errorf(consulta.EINVALID, "store: contact %s given for response %s", c.ID, r.ID)
	}
	if err := checkKeys(c.Fields); err != nil {
		return nil, nil, err
	}
	cc := *c
	if cc.FormID == "" {
		cc.FormID = rc.FormID
	}
	cc.ReceivedAt = storedTime(c.ReceivedAt)
	if cc.ReceivedAt.IsZero() {
		cc.ReceivedAt = rc.ReceivedAt // retention counts from it: never leave it empty
	}
	if cc.Fields == nil {
		cc.Fields = map[string]any{}
	}
	return &rc, &cc, nil
}

// storedTime is t as BSON keeps it: UTC, millisecond precision.
func storedTime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Millisecond)
}

// checkKeys refuses answer keys that MongoDB and FerretDB would read as paths or
// operators.
func checkKeys(m map[string]any) error {
	for k := range m {
		if k == "" || strings.ContainsAny(k, ".$") {
			return consulta.Errorf(consulta.EINVALID, "store: answer key %q must not be empty or contain '.' or '$'", k)
		}
	}
	return nil
}

// Response returns the stored response with the given ID, or ENOTFOUND.
func (s *Store) Response(ctx context.Context, id string) (*consulta.Response, error) {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	var r consulta.Response
	if err := s.responses.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&r); err != nil {
		return nil, wrap(err, "response %s", id)
	}
	normalizeResponse(&r)
	return &r, nil
}

// responsesByID reads the stored responses among ids, as the backend does best,
// within ctx's deadline (the batch's, or the import check's).
func (s *Store) responsesByID(ctx context.Context, ids []string) (map[string]*consulta.Response, error) {
	return s.backend.responsesByID(ctx, ids)
}

func decodeResponse(cur *mongo.Cursor) (*consulta.Response, error) {
	var r consulta.Response
	if err := cur.Decode(&r); err != nil {
		return nil, wrap(err, "decode response")
	}
	normalizeResponse(&r)
	return &r, nil
}

// normalizeResponse gives a decoded response the Go types of consulta.Response.
func normalizeResponse(r *consulta.Response) {
	r.ReceivedAt = r.ReceivedAt.UTC()
	r.Answers = normalizeAnswers(r.Answers)
}
