package store

import (
	"context"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

func (s *Store) loginSessions() *mongo.Collection { return s.db.Collection(loginSessionsName) }

// CreateLoginSession stores a new login session.
func (s *Store) CreateLoginSession(ctx context.Context, ls *consulta.LoginSession) error {
	ls.CreatedAt, ls.ExpiresAt = storedTime(ls.CreatedAt), storedTime(ls.ExpiresAt)
	return s.insertUnique(ctx, s.loginSessions(), ls, "login session")
}

// LoginSession returns the session with the given ID, or ENOTFOUND. Expiry is
// the caller's to check.
func (s *Store) LoginSession(ctx context.Context, id string) (*consulta.LoginSession, error) {
	var ls consulta.LoginSession
	if err := s.findByID(ctx, s.loginSessions(), id, &ls, "login session"); err != nil {
		return nil, err
	}
	ls.CreatedAt, ls.ExpiresAt = ls.CreatedAt.UTC(), ls.ExpiresAt.UTC()
	return &ls, nil
}

// DeleteLoginSession ends one session (logout); a missing one is not an error.
func (s *Store) DeleteLoginSession(ctx context.Context, id string) error {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	_, err := s.loginSessions().DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	return wrap(err, "delete login session")
}

// DeleteUserLoginSessions ends every session of a user except keep (after a
// password or role change), and returns how many ended.
func (s *Store) DeleteUserLoginSessions(ctx context.Context, userID, keep string) (int64, error) {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	res, err := s.loginSessions().DeleteMany(ctx, bson.D{
		{Key: "user", Value: userID}, {Key: "_id", Value: bson.D{{Key: "$ne", Value: keep}}},
	})
	if err != nil {
		return 0, wrap(err, "delete login sessions of %s", userID)
	}
	return res.DeletedCount, nil
}

// DeleteExpiredLoginSessions removes sessions that expired before now (a
// scheduled cleanup: TTL indexes are not available on the embedded store).
func (s *Store) DeleteExpiredLoginSessions(ctx context.Context, now time.Time) (int64, error) {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	res, err := s.loginSessions().DeleteMany(ctx, bson.D{{Key: "expires_at", Value: bson.D{{Key: "$lt", Value: now.UTC()}}}})
	if err != nil {
		return 0, wrap(err, "delete expired login sessions")
	}
	return res.DeletedCount, nil
}
