package store

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/consulta/consulta/internal/consulta"
)

// Collections of the workspace: accounts, their login sessions, the audit log,
// triage of responses and focus-group sessions.
const (
	usersName         = "users"
	loginSessionsName = "login_sessions"
	auditName         = "audit"
	triageName        = "triage"
	focusGroupsName   = "focus_groups"
)

// insertUnique inserts doc into coll, turning a duplicate _id into ECONFLICT.
func (s *Store) insertUnique(ctx context.Context, coll *mongo.Collection, doc any, what string) error {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	_, err := coll.InsertOne(ctx, doc)
	if mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("%w: %w", consulta.Errorf(consulta.ECONFLICT, "store: %s already exists", what), err)
	}
	return wrap(err, "insert %s", what)
}

// findByID decodes the document of coll with the given _id into out.
func (s *Store) findByID(ctx context.Context, coll *mongo.Collection, id string, out any, what string) error {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(out)
	return wrap(err, "%s %s", what, id)
}

// setByID applies $set to the document of coll with the given _id; ENOTFOUND
// when there is none.
func (s *Store) setByID(ctx context.Context, coll *mongo.Collection, id string, set bson.D, what string) error {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	res, err := coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$set", Value: set}})
	if err != nil {
		return wrap(err, "update %s %s", what, id)
	}
	if res.MatchedCount == 0 {
		return wrap(mongo.ErrNoDocuments, "update %s %s", what, id)
	}
	return nil
}

// isNotFound reports whether err is the store's ENOTFOUND.
func isNotFound(err error) bool {
	var e *consulta.Error
	return errors.As(err, &e) && e.Code == consulta.ENOTFOUND
}
