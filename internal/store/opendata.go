package store

import (
	"context"

	"github.com/consulta/consulta/internal/consulta"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Open data (/datos) is served from snapshots: the files of one form for one
// published period, rendered once by the materializer (package opendata).
// Every document of the collection is read and written by _id only (FindOne,
// ReplaceOne with upsert), the one shape both stores answer from an index
// whatever else the collection holds; the collection is created at Open with
// the others (collections.go).
const openDataName = "opendata"

// openDataCatalogID is the _id of the catalog document. Snapshot ids contain
// "|", which no form id does, so they cannot collide with it.
const openDataCatalogID = "catalog"

// OpenDataSnapshotID is the _id of the snapshot of formID for period.
func OpenDataSnapshotID(formID, period string) string { return formID + "|" + period }

func (s *Store) openDataColl() *mongo.Collection { return s.db.Collection(openDataName) }

// OpenDataSnapshot returns the snapshot of formID for period, or ENOTFOUND.
func (s *Store) OpenDataSnapshot(ctx context.Context, formID, period string) (*consulta.OpenDataSnapshot, error) {
	var snap consulta.OpenDataSnapshot
	if err := s.findByID(ctx, s.openDataColl(), OpenDataSnapshotID(formID, period), &snap, "open data snapshot"); err != nil {
		return nil, err
	}
	snap.ComputedAt = snap.ComputedAt.UTC()
	return &snap, nil
}

// SaveOpenDataSnapshot stores snap in place of the one of its form and
// period. Replicas that compute the same snapshot write the same content, so
// the last write winning is harmless.
func (s *Store) SaveOpenDataSnapshot(ctx context.Context, snap *consulta.OpenDataSnapshot) error {
	snap.ID = OpenDataSnapshotID(snap.FormID, snap.Period)
	snap.ComputedAt = storedTime(snap.ComputedAt)
	return s.replaceOpenData(ctx, snap.ID, snap, "open data snapshot")
}

// openDataCatalogDoc is the catalog as stored, under its _id.
type openDataCatalogDoc struct {
	ID                       string `bson:"_id"`
	consulta.OpenDataCatalog `bson:",inline"`
}

// OpenDataCatalog returns the catalog, or ENOTFOUND before the first one is
// saved.
func (s *Store) OpenDataCatalog(ctx context.Context) (*consulta.OpenDataCatalog, error) {
	var doc openDataCatalogDoc
	if err := s.findByID(ctx, s.openDataColl(), openDataCatalogID, &doc, "open data catalog"); err != nil {
		return nil, err
	}
	c := doc.OpenDataCatalog
	c.UpdatedAt = c.UpdatedAt.UTC()
	return &c, nil
}

// SaveOpenDataCatalog replaces the catalog.
func (s *Store) SaveOpenDataCatalog(ctx context.Context, c *consulta.OpenDataCatalog) error {
	doc := openDataCatalogDoc{ID: openDataCatalogID, OpenDataCatalog: *c}
	doc.UpdatedAt = storedTime(c.UpdatedAt)
	return s.replaceOpenData(ctx, openDataCatalogID, doc, "open data catalog")
}

// replaceOpenData replaces the document of the opendata collection with the
// given _id by doc, inserting it when there is none.
func (s *Store) replaceOpenData(ctx context.Context, id string, doc any, what string) error {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	_, err := s.openDataColl().ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}}, doc, options.Replace().SetUpsert(true))
	return wrap(err, "save %s %s", what, id)
}
