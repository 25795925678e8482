package store

import (
	"context"
)

// DeleteResponses deletes the responses with the given IDs and their contacts,
// and returns how many responses went. Imports call it to undo a batch that
// failed midway (there are no transactions to roll back); it has the long-read
// deadline, since the embedded store deletes one _id at a time.
func (s *Store) DeleteResponses(ctx context.Context, ids []string) (int64, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	ctx, cancel := s.StreamContext(ctx)
	defer cancel()
	if _, err := s.backend.deleteEach(ctx, docQuery{coll: contactsName, conds: []docCond{in(fieldID, ids)}}); err != nil {
		return 0, err
	}
	return s.backend.deleteEach(ctx, docQuery{coll: responsesName, conds: []docCond{in(fieldID, ids)}})
}

// ExistingResponses returns which of ids are already stored (lookups by _id).
// An import checks thousands at once: it has the long-read deadline.
func (s *Store) ExistingResponses(ctx context.Context, ids []string) ([]string, error) {
	ctx, cancel := s.StreamContext(ctx)
	defer cancel()
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
