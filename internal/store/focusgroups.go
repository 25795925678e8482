package store

import (
	"context"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/consulta/consulta/internal/consulta"
)

func (s *Store) focusGroups() *mongo.Collection { return s.db.Collection(focusGroupsName) }

// codeAttempts bounds the retries on a code collision.
const codeAttempts = 8

// CreateFocusGroup stores g under a new code from newCode, drawing another on
// the rare collision (uniqueness comes from the insert of the _id).
func (s *Store) CreateFocusGroup(ctx context.Context, g *consulta.FocusGroup, newCode func() string) error {
	for i := 0; ; i++ {
		g.Code = newCode()
		c := *g
		c.Date, c.OpensAt, c.ClosesAt = storedTime(g.Date), storedTime(g.OpensAt), storedTime(g.ClosesAt)
		c.CreatedAt, c.UpdatedAt = storedTime(g.CreatedAt), storedTime(g.UpdatedAt)
		err := s.insertUnique(ctx, s.focusGroups(), &c, "focus group "+g.Code)
		if consulta.ErrorCode(err) != consulta.ECONFLICT || i+1 == codeAttempts {
			return err
		}
	}
}

// FocusGroup returns the session with the given code, or ENOTFOUND.
func (s *Store) FocusGroup(ctx context.Context, code string) (*consulta.FocusGroup, error) {
	var g consulta.FocusGroup
	if err := s.findByID(ctx, s.focusGroups(), code, &g, "focus group"); err != nil {
		return nil, err
	}
	utcFocusGroup(&g)
	return &g, nil
}

// FocusGroups lists the sessions of an organisation ("" = all), newest first.
func (s *Store) FocusGroups(ctx context.Context, org string) ([]*consulta.FocusGroup, error) {
	q := docQuery{coll: focusGroupsName}
	if org != "" {
		q.conds = append(q.conds, eq("org", org))
	}
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	var out []*consulta.FocusGroup
	err := s.backend.find(ctx, q, func(doc bson.Raw) error {
		var g consulta.FocusGroup
		if err := bson.Unmarshal(doc, &g); err != nil {
			return wrap(err, "decode focus group")
		}
		utcFocusGroup(&g)
		out = append(out, &g)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].OpensAt.After(out[j].OpensAt) })
	return out, err
}

// SetFocusGroupWindow changes when a session accepts answers.
func (s *Store) SetFocusGroupWindow(ctx context.Context, code string, opens, closes, now time.Time) error {
	return s.setByID(ctx, s.focusGroups(), code, bson.D{
		{Key: "opens_at", Value: storedTime(opens)}, {Key: "closes_at", Value: storedTime(closes)},
		{Key: "updated_at", Value: storedTime(now)},
	}, "focus group")
}

// CheckSession implements intake.SessionChecker: the code must name a session
// of this form that is open at now (ENOTFOUND, ECLOSED otherwise).
func (s *Store) CheckSession(ctx context.Context, code, formID string, now time.Time) error {
	_, err := s.openSession(ctx, code, formID, now)
	return err
}

// SessionExpected returns how many participants the session code of form
// formID, open at now, expects (ENOTFOUND, ECLOSED as CheckSession): abuse
// control sizes the session's budget by it.
func (s *Store) SessionExpected(ctx context.Context, code, formID string, now time.Time) (int, error) {
	g, err := s.openSession(ctx, code, formID, now)
	if err != nil {
		return 0, err
	}
	return g.Expected, nil
}

// SessionResponses counts the responses of session code, of every channel,
// stopping at limit (0: no limit). It reads the session index only.
func (s *Store) SessionResponses(ctx context.Context, code string, limit int64) (int64, error) {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	n, _, err := s.backend.countResponses(ctx, consulta.ResponseFilter{Session: code}, limit, 0)
	return n, err
}

// openSession returns the session code if it is of form formID and open at now.
func (s *Store) openSession(ctx context.Context, code, formID string, now time.Time) (*consulta.FocusGroup, error) {
	g, err := s.FocusGroup(ctx, code)
	if err != nil {
		return nil, err
	}
	if g.FormID != formID {
		return nil, consulta.Errorf(consulta.ENOTFOUND, "session %s is not for form %s", code, formID)
	}
	if !g.Open(now) {
		return nil, consulta.Errorf(consulta.ECLOSED, "session %s accepts answers from %s to %s", code,
			g.OpensAt.Format(time.RFC3339), g.ClosesAt.Format(time.RFC3339))
	}
	return g, nil
}

func utcFocusGroup(g *consulta.FocusGroup) {
	g.Date, g.OpensAt, g.ClosesAt = g.Date.UTC(), g.OpensAt.UTC(), g.ClosesAt.UTC()
	g.CreatedAt, g.UpdatedAt = g.CreatedAt.UTC(), g.UpdatedAt.UTC()
}
