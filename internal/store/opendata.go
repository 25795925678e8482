package store

import (
	"context"
	"time"

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

// OpenDataFile is one rendered download of a snapshot.
type OpenDataFile struct {
	Lang   string `bson:"lang"`
	Format string `bson:"format"` // "csv" or "json"
	Body   []byte `bson:"body"`
	ETag   string `bson:"etag"`
}

// OpenDataSnapshot is what /datos publishes for one form and one period.
type OpenDataSnapshot struct {
	ID                  string `bson:"_id"` // OpenDataSnapshotID(FormID, Period)
	FormID              string `bson:"form"`
	Period              string `bson:"period"`
	OpenDataFingerprint `bson:",inline"`
	// Recipe identifies how the files were made (form version, translations,
	// k, format). A snapshot whose fingerprint or recipe is no longer current
	// is made again.
	Recipe     string         `bson:"recipe"`
	ComputedAt time.Time      `bson:"computed_at"`
	Files      []OpenDataFile `bson:"files"`
}

// OpenDataFingerprint is what a snapshot aggregated, in the terms the store
// can count from an index: the responses of its period and, for forms whose
// files publish triage statuses, how many have each status. Responses are
// never edited but for their status, so a snapshot whose fingerprint still
// matches the store's counts is current.
type OpenDataFingerprint struct {
	Responses int64            `bson:"responses"`
	Statuses  map[string]int64 `bson:"statuses,omitempty"`
}

// File returns the rendering of the snapshot in lang and format.
func (s *OpenDataSnapshot) File(lang, format string) (OpenDataFile, bool) {
	for _, f := range s.Files {
		if f.Lang == lang && f.Format == format {
			return f, true
		}
	}
	return OpenDataFile{}, false
}

// OpenDataCatalog says what has been materialized: one small document, read
// by the index page and by the materializer (which alone writes it), so that
// neither needs to open the snapshots.
type OpenDataCatalog struct {
	Forms     []OpenDataForm `bson:"forms"`
	UpdatedAt time.Time      `bson:"updated_at"`
}

// OpenDataForm is the catalog entry of one form.
type OpenDataForm struct {
	FormID string `bson:"form"`
	// First is the first period with responses ("" when none had any).
	First string `bson:"first"`
	// Periods lists the snapshots stored, oldest first.
	Periods []OpenDataPeriod `bson:"periods"`
}

// OpenDataPeriod is the catalog's copy of a snapshot's identity.
type OpenDataPeriod struct {
	Period              string `bson:"period"`
	OpenDataFingerprint `bson:",inline"`
	Recipe              string    `bson:"recipe"`
	ComputedAt          time.Time `bson:"computed_at"`
}

// OpenDataSnapshotID is the _id of the snapshot of formID for period.
func OpenDataSnapshotID(formID, period string) string { return formID + "|" + period }

func (s *Store) openDataColl() *mongo.Collection { return s.db.Collection(openDataName) }

// OpenDataSnapshot returns the snapshot of formID for period, or ENOTFOUND.
func (s *Store) OpenDataSnapshot(ctx context.Context, formID, period string) (*OpenDataSnapshot, error) {
	var snap OpenDataSnapshot
	if err := s.findByID(ctx, s.openDataColl(), OpenDataSnapshotID(formID, period), &snap, "open data snapshot"); err != nil {
		return nil, err
	}
	snap.ComputedAt = snap.ComputedAt.UTC()
	return &snap, nil
}

// SaveOpenDataSnapshot stores snap in place of the one of its form and
// period. Replicas that compute the same snapshot write the same content, so
// the last write winning is harmless.
func (s *Store) SaveOpenDataSnapshot(ctx context.Context, snap *OpenDataSnapshot) error {
	snap.ID = OpenDataSnapshotID(snap.FormID, snap.Period)
	snap.ComputedAt = storedTime(snap.ComputedAt)
	return s.replaceOpenData(ctx, snap.ID, snap, "open data snapshot")
}

// openDataCatalogDoc is the catalog as stored, under its _id.
type openDataCatalogDoc struct {
	ID              string `bson:"_id"`
	OpenDataCatalog `bson:",inline"`
}

// OpenDataCatalog returns the catalog, or ENOTFOUND before the first one is
// saved.
func (s *Store) OpenDataCatalog(ctx context.Context) (*OpenDataCatalog, error) {
	var doc openDataCatalogDoc
	if err := s.findByID(ctx, s.openDataColl(), openDataCatalogID, &doc, "open data catalog"); err != nil {
		return nil, err
	}
	c := doc.OpenDataCatalog
	c.UpdatedAt = c.UpdatedAt.UTC()
	return &c, nil
}

// SaveOpenDataCatalog replaces the catalog.
func (s *Store) SaveOpenDataCatalog(ctx context.Context, c *OpenDataCatalog) error {
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
