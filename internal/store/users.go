package store

import (
	"context"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// User is a workspace account. Its ID is the normalized (lower-case) e-mail
// address, so that logging in is a lookup by _id and uniqueness comes from the
// insert.
type User struct {
	ID           string    `bson:"_id"`
	Name         string    `bson:"name"`
	Role         string    `bson:"role"`
	Org          string    `bson:"org,omitempty"`
	PasswordHash string    `bson:"password_hash"`
	Disabled     bool      `bson:"disabled"`
	FailedLogins int       `bson:"failed_logins"`
	LockedUntil  time.Time `bson:"locked_until"`
	CreatedAt    time.Time `bson:"created_at"`
	UpdatedAt    time.Time `bson:"updated_at"`
}

func (s *Store) users() *mongo.Collection { return s.db.Collection(usersName) }

// CreateUser stores a new account; ECONFLICT when the e-mail is taken.
func (s *Store) CreateUser(ctx context.Context, u *User) error {
	u.CreatedAt, u.UpdatedAt = storedTime(u.CreatedAt), storedTime(u.UpdatedAt)
	return s.insertUnique(ctx, s.users(), u, "user "+u.ID)
}

// User returns the account with the given ID, or ENOTFOUND.
func (s *Store) User(ctx context.Context, id string) (*User, error) {
	var u User
	if err := s.findByID(ctx, s.users(), id, &u, "user"); err != nil {
		return nil, err
	}
	u.LockedUntil = u.LockedUntil.UTC()
	return &u, nil
}

// Users lists every account by ID. There are few: the collection is read whole.
func (s *Store) Users(ctx context.Context) ([]*User, error) {
	var out []*User
	err := s.each(ctx, s.users(), bson.D{}, options.Find(), func(cur *mongo.Cursor) error {
		var u User
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

// SetPasswordHash replaces an account's password hash and clears its lockout.
func (s *Store) SetPasswordHash(ctx context.Context, id, hash string, now time.Time) error {
	return s.setByID(ctx, s.users(), id, bson.D{
		{Key: "password_hash", Value: hash}, {Key: "failed_logins", Value: 0},
		{Key: "locked_until", Value: time.Time{}}, {Key: "updated_at", Value: storedTime(now)},
	}, "user")
}

// RecordLoginFailure counts a failed login of an existing account and, once
// max failures in a row are reached, locks it until now+lockFor (the count
// starts again). It returns the time the account is locked until (zero when
// not locked).
func (s *Store) RecordLoginFailure(ctx context.Context, id string, max int, lockFor time.Duration, now time.Time) (time.Time, error) {
	opCtx, cancel := s.OpContext(ctx)
	defer cancel()
	var u User
	err := s.users().FindOneAndUpdate(opCtx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "failed_logins", Value: 1}}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&u)
	if err != nil {
		return time.Time{}, wrap(err, "record login failure of %s", id)
	}
	if u.FailedLogins < max {
		return time.Time{}, nil
	}
	until := storedTime(now.Add(lockFor))
	return until, s.setByID(ctx, s.users(), id, bson.D{
		{Key: "failed_logins", Value: 0}, {Key: "locked_until", Value: until},
	}, "user")
}

// ClearLoginFailures resets the failure count after a successful login.
func (s *Store) ClearLoginFailures(ctx context.Context, id string) error {
	return s.setByID(ctx, s.users(), id, bson.D{{Key: "failed_logins", Value: 0}}, "user")
}
