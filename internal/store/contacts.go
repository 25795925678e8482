package store

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

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
	filter := bson.D{{Key: "form", Value: formID}}
	return s.each(ctx, s.contacts, filter, options.Find(), func(cur *mongo.Cursor) error {
		var c consulta.Contact
		if err := cur.Decode(&c); err != nil {
			return wrap(err, "decode contact")
		}
		normalizeContact(&c)
		return fn(&c)
	})
}

// DeleteContactsBefore deletes the contacts received before t (the retention period)
// and returns how many. Their responses stay, with HasContact still true: it records
// that contact data was given.
func (s *Store) DeleteContactsBefore(ctx context.Context, t time.Time) (int64, error) {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	filter := bson.D{{Key: "received_at", Value: bson.D{{Key: "$lt", Value: t.UTC()}}}}
	res, err := s.contacts.DeleteMany(ctx, filter)
	if err != nil {
		return 0, wrap(err, "delete contacts before %s", t.UTC().Format(time.RFC3339))
	}
	return res.DeletedCount, nil
}

func normalizeContact(c *consulta.Contact) {
	c.ReceivedAt = c.ReceivedAt.UTC()
	c.Fields = normalizeAnswers(c.Fields)
}
