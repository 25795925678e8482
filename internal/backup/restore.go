package backup

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Target is what a restore writes into: a store (store.Store).
type Target interface {
	NonEmpty(ctx context.Context) (string, error)
	RestoreDocuments(ctx context.Context, coll string, docs []bson.Raw) error
}

// NotEmptyError is a store that already holds data: a restore adds to
// nothing, so that it never mixes two states of the data.
type NotEmptyError struct{ Collection string }

func (e *NotEmptyError) Error() string {
	return fmt.Sprintf("backup: the store is not empty (collection %s holds documents)", e.Collection)
}

// PartialError is a restore that stopped after writing some documents: the
// store holds part of the archive.
type PartialError struct{ Err error }

func (e *PartialError) Error() string { return "backup: restore stopped midway: " + e.Err.Error() }
func (e *PartialError) Unwrap() error { return e.Err }

// Batches of a restore: each one InsertMany.
const (
	batchDocs  = 1000
	batchBytes = 8 << 20
)

// Restore loads the archive that open returns into dst, which must be empty.
// It reads the archive twice: once to check all of it against its manifest
// (Verify), so that a damaged archive changes nothing, then to write its
// documents. A failure while writing leaves dst partly restored: empty it
// (a new data directory, or drop the database) before trying again.
func Restore(ctx context.Context, dst Target, open func() (io.ReadCloser, error), logger *slog.Logger) (*Manifest, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if coll, err := dst.NonEmpty(ctx); err != nil {
		return nil, err
	} else if coll != "" {
		return nil, &NotEmptyError{Collection: coll}
	}
	m, err := readWith(open, Verify)
	if err != nil {
		return nil, err
	}
	// Verify checked that every entry is a listed part.
	want := map[string]listedPart{}
	for _, c := range m.Collections {
		for _, p := range c.Parts {
			want[p.File] = listedPart{coll: c.Name, Part: p}
		}
	}
	_, err = readWith(open, func(r io.Reader) (*Manifest, error) {
		return nil, eachEntry(r, func(name string, body io.Reader) error {
			if name == manifestName {
				return nil
			}
			return restorePart(ctx, dst, want[name], body)
		})
	})
	if err != nil {
		return nil, &PartialError{Err: err}
	}
	logger.Info("backup restored", "collections", len(m.Collections), "documents", m.Documents(),
		"snapshot", m.Snapshot.At, "from", m.Store)
	return m, nil
}

func readWith(open func() (io.ReadCloser, error), read func(io.Reader) (*Manifest, error)) (*Manifest, error) {
	f, err := open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return read(f)
}

// restorePart writes the documents of one part in batches, and checks that
// the part is still the one verified.
func restorePart(ctx context.Context, dst Target, want listedPart, body io.Reader) error {
	coll := want.coll
	var batch []bson.Raw
	size := 0
	flush := func() error {
		err := dst.RestoreDocuments(ctx, coll, batch)
		batch, size = batch[:0], 0
		return err
	}
	got, err := checkPart(want.File, body, func(doc bson.Raw) error {
		batch = append(batch, doc)
		size += len(doc)
		if len(batch) >= batchDocs || size >= batchBytes {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return err
	}
	if got.SHA256 != want.SHA256 {
		return corrupt("%s changed between the check and the restore", want.File)
	}
	return nil
}

// listedPart is a part of the manifest and its collection.
type listedPart struct {
	coll string
	Part
}
