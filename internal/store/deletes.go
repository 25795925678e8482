package store

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// DeleteResponses deletes the responses with the given IDs and their contacts,
// and returns how many responses went. Imports call it to undo a batch that
// failed midway (there are no transactions to roll back).
func (s *Store) DeleteResponses(ctx context.Context, ids []string) (int64, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	filter := bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}
	opCtx, cancel := s.OpContext(ctx)
	defer cancel()
	if _, err := s.contacts.DeleteMany(opCtx, filter); err != nil {
		return 0, wrap(err, "delete contacts")
	}
	res, err := s.responses.DeleteMany(opCtx, filter)
	if err != nil {
		return 0, wrap(err, "delete responses")
	}
	return res.DeletedCount, nil
}

// ExistingResponses returns which of ids are already stored (a lookup by _id).
func (s *Store) ExistingResponses(ctx context.Context, ids []string) ([]string, error) {
	found, err := s.responsesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(found))
	for _, id := range ids {
		if _, ok := found[id]; ok {
			out = append(out, id)
		}
	}
	return out, nil
}
