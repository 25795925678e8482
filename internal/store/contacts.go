package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/consulta/consulta/internal/consulta"
)

// Contact returns the contact stored with the response of the given ID, or ENOTFOUND
// (none was given, or retention deleted it).
func (s *Store) Contact(ctx context.Context, id string) (*consulta.Contact, error) {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	var c consulta.Contact
	if err := s.contacts.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&c); err != nil {
		return nil, wrap(err, "contact %s", id)
	}
	normalizeContact(&c)
	return &c, nil
}

// EachContact calls fn for every contact of a form (for admin exports), streaming
// them in the store's natural order; an error from fn stops and is returned.
func (s *Store) EachContact(ctx context.Context, formID string, fn func(*consulta.Contact) error) error {
	ctx, cancel := s.StreamContext(ctx)
	defer cancel()
	return s.backend.find(ctx, docQuery{coll: contactsName, conds: []docCond{eq("form", formID)}}, func(doc bson.Raw) error {
		var c consulta.Contact
		if err := bson.Unmarshal(doc, &c); err != nil {
			return wrap(err, "decode contact")
		}
		normalizeContact(&c)
		return fn(&c)
	})
}

// DeleteContactsBefore deletes the contacts received before t (the retention period)
// and returns how many. Their responses stay, with HasContact still true: it records
// that contact data was given. It is a long operation (the stream deadline).
func (s *Store) DeleteContactsBefore(ctx context.Context, t time.Time) (int64, error) {
	ctx, cancel := s.StreamContext(ctx)
	defer cancel()
	n, err := s.backend.deleteEach(ctx, docQuery{coll: contactsName, conds: []docCond{lt("received_at", t)}})
	if err != nil {
		return n, fmt.Errorf("delete contacts before %s: %w", t.UTC().Format(time.RFC3339), err)
	}
	return n, nil
}

func normalizeContact(c *consulta.Contact) {
	c.ReceivedAt = c.ReceivedAt.UTC()
	c.Fields = normalizeAnswers(c.Fields)
}

// SetReply records a response's reply state (consulta.ReplyRequested or
// ReplyAnswered); ENOTFOUND when there is no such response.
func (s *Store) SetReply(ctx context.Context, id, state string) error {
	return s.setByID(ctx, s.responses, id, bson.D{{Key: fieldReply, Value: state}}, "response")
}
