package backup

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/consulta/consulta/internal/store"
)

// partSize is the size after which a part is closed: large enough that a
// collection is a few files, small enough to hold in memory.
const partSize = 16 << 20

// Source is what a backup reads: a store (store.Store).
type Source interface {
	Snapshot(ctx context.Context, fn func(store.SnapshotReader) error) (store.SnapshotInfo, error)
}

// Options describes the store an archive comes from, for its manifest.
type Options struct {
	Database string
	Store    string // "embedded" or "mongodb"
	Logger   *slog.Logger
}

// Write writes an archive of every collection of src, read at one moment, to
// w, and returns its manifest. Collections that store.Collections does not
// name are archived too, with a warning: they are in Consulta's database, so
// a restore must not lose them.
func Write(ctx context.Context, src Source, w io.Writer, o Options) (*Manifest, error) {
	logger := o.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	m := &Manifest{Format: Format, Version: Version, CreatedAt: time.Now().UTC(), Database: o.Database, Store: o.Store}
	info, err := src.Snapshot(ctx, func(r store.SnapshotReader) error {
		for _, name := range r.Collections() {
			if !slices.Contains(store.Collections(), name) {
				logger.Warn("backup: archiving a collection Consulta does not declare", "collection", name)
			}
			c, err := writeCollection(tw, r, name, m.CreatedAt)
			if err != nil {
				return err
			}
			m.Collections = append(m.Collections, c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	m.Snapshot = Snapshot{Method: info.Method, At: info.At.UTC(), ClusterTime: info.ClusterTime}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := addFile(tw, manifestName, b, m.CreatedAt); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return m, gz.Close()
}

// writeCollection writes the parts of one collection.
func writeCollection(tw *tar.Writer, r store.SnapshotReader, name string, at time.Time) (Collection, error) {
	c := Collection{Name: name}
	var buf bytes.Buffer
	var docs int64
	flush := func() error {
		if docs == 0 && len(c.Parts) > 0 {
			return nil
		}
		sum := sha256.Sum256(buf.Bytes())
		p := Part{File: fmt.Sprintf("%s/%06d.bson", name, len(c.Parts)+1), Documents: docs,
			Bytes: int64(buf.Len()), SHA256: hex.EncodeToString(sum[:])}
		if err := addFile(tw, p.File, buf.Bytes(), at); err != nil {
			return err
		}
		c.Parts = append(c.Parts, p)
		c.Documents += docs
		c.Bytes += p.Bytes
		buf.Reset()
		docs = 0
		return nil
	}
	err := r.Each(name, func(doc bson.Raw) error {
		if buf.Len() > 0 && buf.Len()+len(doc) > partSize {
			if err := flush(); err != nil {
				return err
			}
		}
		buf.Write(doc)
		docs++
		return nil
	})
	if err != nil {
		return c, err
	}
	// An empty collection still gets one (empty) part: the manifest lists
	// every collection there was.
	return c, flush()
}

func addFile(tw *tar.Writer, name string, data []byte, at time.Time) error {
	hdr := &tar.Header{Name: name, Mode: 0o600, Size: int64(len(data)), ModTime: at, Typeflag: tar.TypeReg}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err := tw.Write(data)
	return err
}
