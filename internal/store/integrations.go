package store

import (
	"context"
	"sort"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Collections of the integrations (docs/integrations.md): the e-mail
// distribution lists of the scheduled reports, the webhook endpoints and the
// positions of the webhook event feeds. Lists and endpoints are few and read
// whole; feed positions are read and written by _id.
const (
	mailListsName        = "mail_lists"
	webhookEndpointsName = "webhook_endpoints"
	feedCursorsName      = "feed_cursors"
)

func (s *Store) mailLists() *mongo.Collection { return s.db.Collection(mailListsName) }

// CreateMailList stores a new list; ECONFLICT when its ID is taken.
func (s *Store) CreateMailList(ctx context.Context, l *consulta.MailList) error {
	l.CreatedAt, l.UpdatedAt = storedTime(l.CreatedAt), storedTime(l.UpdatedAt)
	return s.insertUnique(ctx, s.mailLists(), l, "mail list "+l.ID)
}

// SaveMailList replaces a list's name, schedule, form, language and
// recipients; ENOTFOUND when there is none.
func (s *Store) SaveMailList(ctx context.Context, l *consulta.MailList) error {
	return s.setByID(ctx, s.mailLists(), l.ID, bson.D{
		{Key: "name", Value: l.Name}, {Key: "kind", Value: l.Kind}, {Key: "form", Value: l.FormID},
		{Key: "lang", Value: l.Lang}, {Key: "recipients", Value: nonNil(l.Recipients)},
		{Key: "updated_at", Value: storedTime(l.UpdatedAt)}, {Key: "updated_by", Value: l.UpdatedBy},
	}, "mail list")
}

// DeleteMailList removes a list; ENOTFOUND when there is none.
func (s *Store) DeleteMailList(ctx context.Context, id string) error {
	return s.deleteByID(ctx, s.mailLists(), id, "mail list")
}

// MailList returns one list, or ENOTFOUND.
func (s *Store) MailList(ctx context.Context, id string) (*consulta.MailList, error) {
	var l consulta.MailList
	if err := s.findByID(ctx, s.mailLists(), id, &l, "mail list"); err != nil {
		return nil, err
	}
	l.CreatedAt, l.UpdatedAt = l.CreatedAt.UTC(), l.UpdatedAt.UTC()
	return &l, nil
}

// MailLists lists every distribution list by name.
func (s *Store) MailLists(ctx context.Context) ([]*consulta.MailList, error) {
	out, err := readAll[consulta.MailList](ctx, s, s.mailLists(), "mail list")
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

func (s *Store) webhookEndpoints() *mongo.Collection { return s.db.Collection(webhookEndpointsName) }

// CreateWebhookEndpoint stores a new endpoint; ECONFLICT when its ID is taken.
func (s *Store) CreateWebhookEndpoint(ctx context.Context, e *consulta.WebhookEndpoint) error {
	e.CreatedAt, e.UpdatedAt = storedTime(e.CreatedAt), storedTime(e.UpdatedAt)
	return s.insertUnique(ctx, s.webhookEndpoints(), e, "webhook endpoint "+e.ID)
}

// WebhookEndpoint returns one endpoint, or ENOTFOUND.
func (s *Store) WebhookEndpoint(ctx context.Context, id string) (*consulta.WebhookEndpoint, error) {
	var e consulta.WebhookEndpoint
	if err := s.findByID(ctx, s.webhookEndpoints(), id, &e, "webhook endpoint"); err != nil {
		return nil, err
	}
	utcEndpoint(&e)
	return &e, nil
}

// WebhookEndpoints lists every endpoint, the oldest first.
func (s *Store) WebhookEndpoints(ctx context.Context) ([]*consulta.WebhookEndpoint, error) {
	out, err := readAll[consulta.WebhookEndpoint](ctx, s, s.webhookEndpoints(), "webhook endpoint")
	for _, e := range out {
		utcEndpoint(e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.Before(out[j].CreatedAt) })
	return out, err
}

// SetWebhookEndpointEvents changes the events an endpoint receives.
func (s *Store) SetWebhookEndpointEvents(ctx context.Context, id string, events []string, now time.Time) error {
	return s.setByID(ctx, s.webhookEndpoints(), id, bson.D{{Key: "events", Value: nonNil(events)},
		{Key: "updated_at", Value: storedTime(now)}}, "webhook endpoint")
}

// SetWebhookEndpointSecret replaces an endpoint's sealed secret.
func (s *Store) SetWebhookEndpointSecret(ctx context.Context, id, sealed string, now time.Time) error {
	return s.setByID(ctx, s.webhookEndpoints(), id, bson.D{{Key: "secret", Value: sealed},
		{Key: "updated_at", Value: storedTime(now)}}, "webhook endpoint")
}

// SetWebhookEndpointDisabled disables an endpoint (reason "admin" or
// "failures") or enables it again, with its failures forgotten.
func (s *Store) SetWebhookEndpointDisabled(ctx context.Context, id string, disabled bool, reason string, now time.Time) error {
	set := bson.D{{Key: "disabled", Value: disabled}, {Key: "updated_at", Value: storedTime(now)}}
	if disabled {
		set = append(set, bson.E{Key: "disabled_reason", Value: reason}, bson.E{Key: "disabled_at", Value: storedTime(now)})
	} else {
		set = append(set, bson.E{Key: "disabled_reason", Value: ""}, bson.E{Key: "failures", Value: 0})
	}
	return s.setByID(ctx, s.webhookEndpoints(), id, set, "webhook endpoint")
}

// WebhookEndpointSucceeded records a delivery the endpoint accepted: its
// failures start again from zero.
func (s *Store) WebhookEndpointSucceeded(ctx context.Context, id string, now time.Time) error {
	defer s.attempts.lock("webhook:" + id)()
	return s.setByID(ctx, s.webhookEndpoints(), id, bson.D{{Key: "failures", Value: 0},
		{Key: "last_success", Value: storedTime(now)}}, "webhook endpoint")
}

// WebhookEndpointFailed counts a failed attempt at endpoint id and returns
// the failures since its last success. (The lock makes the count exact on
// the embedded store, whose findAndModify is a read then a write.)
func (s *Store) WebhookEndpointFailed(ctx context.Context, id string, now time.Time) (int, error) {
	defer s.attempts.lock("webhook:" + id)()
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	var e consulta.WebhookEndpoint
	err := s.webhookEndpoints().FindOneAndUpdate(ctx, bson.D{{Key: fieldID, Value: id}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "failures", Value: 1}}},
			{Key: "$set", Value: bson.D{{Key: "last_failure", Value: storedTime(now)}}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&e)
	return e.Failures, wrap(err, "count a failure of webhook endpoint %s", id)
}

// DeleteWebhookEndpoint removes an endpoint; ENOTFOUND when there is none.
func (s *Store) DeleteWebhookEndpoint(ctx context.Context, id string) error {
	return s.deleteByID(ctx, s.webhookEndpoints(), id, "webhook endpoint")
}

func utcEndpoint(e *consulta.WebhookEndpoint) {
	e.CreatedAt, e.UpdatedAt, e.DisabledAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC(), e.DisabledAt.UTC()
	e.LastSuccess, e.LastFailure = e.LastSuccess.UTC(), e.LastFailure.UTC()
}

// FeedCursor returns the position of feed id (nil, nil when it has none).
func (s *Store) FeedCursor(ctx context.Context, id string) (*consulta.FeedCursor, error) {
	var c consulta.FeedCursor
	err := s.findByID(ctx, s.db.Collection(feedCursorsName), id, &c, "feed cursor")
	if isNotFound(err) {
		return nil, nil
	}
	c.At = c.At.UTC()
	return &c, err
}

// SaveFeedCursor records the position of a feed.
func (s *Store) SaveFeedCursor(ctx context.Context, c consulta.FeedCursor) error {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	_, err := s.db.Collection(feedCursorsName).UpdateOne(ctx, bson.D{{Key: fieldID, Value: c.ID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "at", Value: storedTime(c.At)}, {Key: "last", Value: c.Last}}}},
		options.UpdateOne().SetUpsert(true))
	return wrap(err, "save feed cursor %s", c.ID)
}

// readAll reads a small collection whole.
func readAll[T any](ctx context.Context, s *Store, coll *mongo.Collection, what string) ([]*T, error) {
	var out []*T
	err := s.each(ctx, coll, bson.D{}, options.Find(), func(cur *mongo.Cursor) error {
		var v T
		if err := cur.Decode(&v); err != nil {
			return wrap(err, "decode %s", what)
		}
		out = append(out, &v)
		return nil
	})
	return out, err
}

// deleteByID deletes the document of coll with the given _id; ENOTFOUND
// when there is none.
func (s *Store) deleteByID(ctx context.Context, coll *mongo.Collection, id, what string) error {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	res, err := coll.DeleteOne(ctx, bson.D{{Key: fieldID, Value: id}})
	if err == nil && res.DeletedCount == 0 {
		err = mongo.ErrNoDocuments
	}
	return wrap(err, "delete %s %s", what, id)
}

// TriageSince lists the triage saved in [from, to), oldest first by
// (updated_at, _id), at most limit: the webhook feed of triage and actions.
func (s *Store) TriageSince(ctx context.Context, from, to time.Time, limit int) ([]*consulta.Triage, error) {
	q := docQuery{coll: triageName, conds: []docCond{gte("updated_at", storedTime(from)), lt("updated_at", storedTime(to))},
		sort: "updated_at", limit: limit}
	var out []*consulta.Triage
	err := s.findDocs(ctx, q, func(doc bson.Raw) error {
		var t consulta.Triage
		if err := bson.Unmarshal(doc, &t); err != nil {
			return wrap(err, "decode triage")
		}
		t.ActionAt, t.UpdatedAt = t.ActionAt.UTC(), t.UpdatedAt.UTC()
		out = append(out, &t)
		return nil
	})
	return out, err
}
