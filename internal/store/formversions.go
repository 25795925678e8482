package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/consulta/consulta/internal/consulta"
)

// formVersion is a snapshot of a form definition, kept so that reports on older
// responses read the questions they were answered with.
type formVersion struct {
	ID         string    `bson:"_id"` // "<form>@<version>"
	Form       string    `bson:"form"`
	Version    int       `bson:"version"`
	Hash       string    `bson:"hash"`
	Definition []byte    `bson:"definition"`
	SavedAt    time.Time `bson:"saved_at"`
}

func formVersionID(formID string, version int) string {
	return fmt.Sprintf("%s@%d", formID, version)
}

// SaveFormVersion records the definition of a form version. Saving the same version
// again with the same hash does nothing; with a different hash it is ECONFLICT: a form
// whose definition changed must get a new version number. Uniqueness comes from the
// insert of the _id, the one check that both stores get right (docs/storage.md, "Uniqueness through inserts").
func (s *Store) SaveFormVersion(ctx context.Context, formID string, version int, hash string, definition []byte) error {
	id := formVersionID(formID, version)
	opCtx, cancel := s.OpContext(ctx)
	defer cancel()
	_, err := s.formVersions.InsertOne(opCtx, formVersion{
		ID: id, Form: formID, Version: version, Hash: hash, Definition: definition,
		SavedAt: storedTime(time.Now()),
	})
	if err == nil {
		return nil
	}
	if !mongo.IsDuplicateKeyError(err) {
		return wrap(err, "save form version %s", id)
	}

	var stored formVersion
	if err := s.formVersions.FindOne(opCtx, bson.D{{Key: "_id", Value: id}}).Decode(&stored); err != nil {
		return wrap(err, "read form version %s", id)
	}
	if stored.Hash != hash {
		return consulta.Errorf(consulta.ECONFLICT,
			"form %s version %d changed since it was first used (hash %s, now %s): give it a new version",
			formID, version, stored.Hash, hash)
	}
	return nil
}

// FormVersion returns the definition saved for a form version, or ENOTFOUND.
func (s *Store) FormVersion(ctx context.Context, formID string, version int) ([]byte, error) {
	id := formVersionID(formID, version)
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	var stored formVersion
	if err := s.formVersions.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&stored); err != nil {
		return nil, wrap(err, "form version %s", id)
	}
	return stored.Definition, nil
}
