package store

import (
	"context"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/consulta/consulta/internal/consulta"
)

// ResponseFilter selects responses. Empty fields do not filter.
type ResponseFilter struct {
	FormID, Lang, Department, Session, Status string
	// Text keeps responses with a text answer (or a chosen option) containing it,
	// ignoring case and accents. It is matched in Go: neither store can do it with
	// an index that both support.
	Text    string
	Channel consulta.Channel
	// From and To bound received_at to [From, To); a zero time leaves that side open.
	From, To time.Time
	// AfterID keeps responses whose ID sorts after it (keyset pagination).
	AfterID string
	// Limit caps the responses returned; 0 means no limit. With a limit, responses come
	// sorted by ID, so that Limit and AfterID page through them.
	Limit int
}

// query is the part of f that the store evaluates.
func (f ResponseFilter) query() bson.D {
	q := bson.D{}
	for _, c := range []struct{ key, value string }{
		{"form", f.FormID},
		{"lang", f.Lang},
		{"department", f.Department},
		{"session", f.Session},
		{"status", f.Status},
		{"channel", string(f.Channel)},
	} {
		if c.value != "" {
			q = append(q, bson.E{Key: c.key, Value: c.value})
		}
	}
	received := bson.D{}
	if !f.From.IsZero() {
		received = append(received, bson.E{Key: "$gte", Value: f.From.UTC()})
	}
	if !f.To.IsZero() {
		received = append(received, bson.E{Key: "$lt", Value: f.To.UTC()})
	}
	if len(received) > 0 {
		q = append(q, bson.E{Key: "received_at", Value: received})
	}
	if f.AfterID != "" {
		q = append(q, bson.E{Key: "_id", Value: bson.D{{Key: "$gt", Value: f.AfterID}}})
	}
	return q
}

// EachResponse calls fn for every response matching f, streaming them through a
// cursor so that memory does not grow with their number; an error from fn stops the
// stream and is returned.
//
// Order: with f.Limit > 0, responses come in ID order (keyset pagination: pass the
// last ID as the next page's AfterID). Without a limit they come in the store's
// natural order, because the embedded store sorts in memory: sorting a whole form's
// responses there would hold all of them at once.
//
// fields, when non-nil, lists the question IDs whose answers to fetch; other answers
// are left out (faster aggregation). The other fields of a response always come.
func (s *Store) EachResponse(ctx context.Context, f ResponseFilter, fields []string, fn func(*consulta.Response) error) error {
	if err := checkFields(fields); err != nil {
		return err
	}
	text := newTextMatcher(f.Text)
	opts := options.Find()
	if f.Limit > 0 {
		opts.SetSort(bson.D{{Key: "_id", Value: 1}})
		if text == nil {
			opts.SetLimit(int64(f.Limit))
		}
	}
	// A text search looks at every answer; the projection is then applied here.
	if fields != nil && text == nil {
		opts.SetProjection(projection(fields))
	}

	n := 0
	return s.each(ctx, s.responses, f.query(), opts, func(cur *mongo.Cursor) error {
		r, err := decodeResponse(cur)
		if err != nil {
			return err
		}
		if text != nil {
			if !text.matchesAny(r.Answers) {
				return nil
			}
			if fields != nil {
				r.Answers = keepOnly(r.Answers, fields)
			}
		}
		if err := fn(r); err != nil {
			return err
		}
		n++
		if f.Limit > 0 && n >= f.Limit {
			return errStop
		}
		return nil
	})
}

// CountResponses counts the responses matching f, ignoring AfterID and Limit: the
// total that a paginated view shows.
func (s *Store) CountResponses(ctx context.Context, f ResponseFilter) (int64, error) {
	f.AfterID, f.Limit = "", 0
	if f.Text != "" {
		var n int64
		err := s.EachResponse(ctx, f, nil, func(*consulta.Response) error { n++; return nil })
		return n, err
	}
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	n, err := s.responses.CountDocuments(ctx, f.query())
	return n, wrap(err, "count responses")
}

// projection fetches every field of a response but only the answers listed.
func projection(answers []string) bson.D {
	// Keep in step with the bson tags of consulta.Response (_id always comes).
	responseFields := []string{
		"form", "form_version", "lang", "channel", "page", "session", "received_at",
		"department", "has_contact", "request_hash", "status",
	}
	p := make(bson.D, 0, len(responseFields)+len(answers))
	for _, f := range responseFields {
		p = append(p, bson.E{Key: f, Value: 1})
	}
	for _, q := range answers {
		p = append(p, bson.E{Key: "answers." + q, Value: 1})
	}
	return p
}

// checkFields refuses question IDs that would be read as paths or operators.
func checkFields(fields []string) error {
	for _, q := range fields {
		if q == "" || strings.ContainsAny(q, ".$") {
			return consulta.Errorf(consulta.EINVALID, "store: bad question id %q in projection", q)
		}
	}
	return nil
}

// keepOnly returns the answers to the listed questions.
func keepOnly(answers map[string]any, fields []string) map[string]any {
	out := make(map[string]any, len(fields))
	for _, q := range fields {
		if v, ok := answers[q]; ok {
			out[q] = v
		}
	}
	return out
}
