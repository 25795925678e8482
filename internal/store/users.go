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

func (s *Store) users() *mongo.Collection { return s.db.Collection(usersName) }

// SetLastLogin records that account id signed in at at.
func (s *Store) SetLastLogin(ctx context.Context, id string, at time.Time) error {
	return s.setByID(ctx, s.users(), id, bson.D{{Key: "last_login_at", Value: storedTime(at)}}, "user")
}

// CreateUser stores a new account; ECONFLICT when the e-mail is taken.
func (s *Store) CreateUser(ctx context.Context, u *consulta.User) error {
	u.CreatedAt, u.UpdatedAt = storedTime(u.CreatedAt), storedTime(u.UpdatedAt)
	return s.insertUnique(ctx, s.users(), u, "user "+u.ID)
}

// User returns the account with the given ID, or ENOTFOUND.
func (s *Store) User(ctx context.Context, id string) (*consulta.User, error) {
	var u consulta.User
	if err := s.findByID(ctx, s.users(), id, &u, "user"); err != nil {
		return nil, err
	}
	return &u, nil
}

// Users lists every account by ID. There are few: the collection is read whole.
func (s *Store) Users(ctx context.Context) ([]*consulta.User, error) {
	var out []*consulta.User
	err := s.each(ctx, s.users(), bson.D{}, options.Find(), func(cur *mongo.Cursor) error {
		var u consulta.User
		if err := cur.Decode(&u); err != nil {
			return wrap(err, "decode user")
		}
		out = append(out, &u)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

// UpdateUserAccess sets an account's name, role, organisation and whether it is
// disabled.
func (s *Store) UpdateUserAccess(ctx context.Context, id, name, role, org string, disabled bool, now time.Time) error {
	return s.setByID(ctx, s.users(), id, bson.D{
		{Key: "name", Value: name}, {Key: "role", Value: role}, {Key: "org", Value: org},
		{Key: "disabled", Value: disabled}, {Key: "updated_at", Value: storedTime(now)},
	}, "user")
}

// SetUserReplies sets whether an account may reveal contacts to reply
// (User.Replies).
func (s *Store) SetUserReplies(ctx context.Context, id string, replies bool, now time.Time) error {
	return s.setByID(ctx, s.users(), id, bson.D{{Key: "replies", Value: replies}, {Key: "updated_at", Value: storedTime(now)}}, "user")
}

// SetPasswordHash replaces an account's password hash.
func (s *Store) SetPasswordHash(ctx context.Context, id, hash string, now time.Time) error {
	return s.setByID(ctx, s.users(), id, bson.D{
		{Key: "password_hash", Value: hash}, {Key: "updated_at", Value: storedTime(now)},
	}, "user")
}
