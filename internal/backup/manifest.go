// Package backup writes and restores Consulta's archives: every collection of
// the store, read at one moment (store.Snapshot), in a file that is the same
// whichever store it came from and whichever it goes to.
//
// An archive is a gzip-compressed tar file. Each collection is a series of
// parts, "<collection>/000001.bson" and so on, each a sequence of BSON
// documents as stored (what mongodump writes in a .bson file), cut at about
// 16 MiB so that neither writing nor reading holds a whole collection in
// memory. The last entry, "manifest.json", lists every part with its number
// of documents, its size and its SHA-256, and says how and when the snapshot
// was taken. A restore checks the whole archive against the manifest before
// it writes anything (docs/operations.md, "Backups and restore").
package backup

import (
	"strings"
	"time"
)

// Format and Version identify the archive layout in its manifest.
const (
	Format  = "consulta-backup"
	Version = 1
)

// manifestName is the archive's last entry.
const manifestName = "manifest.json"

// Manifest describes an archive.
type Manifest struct {
	Format    string    `json:"format"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	// Database is the database the archive was taken from; a restore writes
	// into the configured one, whatever its name.
	Database string `json:"database"`
	// Store is "embedded" or "mongodb".
	Store       string       `json:"store"`
	Snapshot    Snapshot     `json:"snapshot"`
	Collections []Collection `json:"collections"`
}

// Snapshot says how the documents were read consistently (store.SnapshotInfo).
type Snapshot struct {
	Method string `json:"method"`
	// At: every write acknowledged before it is in the archive.
	At          time.Time `json:"at"`
	ClusterTime string    `json:"cluster_time,omitempty"`
}

// Collection is one collection of an archive.
type Collection struct {
	Name      string `json:"name"`
	Documents int64  `json:"documents"`
	Bytes     int64  `json:"bytes"`
	Parts     []Part `json:"parts"`
}

// Part is one file of a collection.
type Part struct {
	File      string `json:"file"`
	Documents int64  `json:"documents"`
	Bytes     int64  `json:"bytes"`
	SHA256    string `json:"sha256"` // hex
}

// Documents is the number of documents of every collection.
func (m *Manifest) Documents() int64 {
	var n int64
	for _, c := range m.Collections {
		n += c.Documents
	}
	return n
}

// validName reports whether a collection name from an archive may be
// restored: one of the names MongoDB allows a client to write, and one that
// is a plain path in the archive.
func validName(name string) bool {
	return name != "" && len(name) <= 200 && !strings.ContainsAny(name, "/\\$\x00") &&
		!strings.HasPrefix(name, "system.") && !strings.HasPrefix(name, ".")
}
