package consulta

import "time"

// OpenDataFile is one rendered download of an open-data snapshot (/datos).
type OpenDataFile struct {
	Lang   string `bson:"lang"`
	Format string `bson:"format"` // "csv" or "json"
	Body   []byte `bson:"body"`
	ETag   string `bson:"etag"`
}

// OpenDataSnapshot is what /datos publishes for one form and one period: its
// files, rendered once by the materializer (package opendata).
type OpenDataSnapshot struct {
	ID                  string `bson:"_id"` // the store's id of (FormID, Period)
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
