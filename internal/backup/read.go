package backup

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// CorruptError is an archive that is not a complete, intact Consulta backup:
// truncated, altered, or something else altogether.
type CorruptError struct{ Reason string }

func (e *CorruptError) Error() string { return "backup: the archive is damaged: " + e.Reason }

func corrupt(format string, args ...any) error {
	return &CorruptError{Reason: fmt.Sprintf(format, args...)}
}

// maxDocument bounds one document of an archive: MongoDB's limit (16 MiB)
// with room for its own overhead, so that a damaged length cannot make a
// reader allocate gigabytes.
const maxDocument = 16<<20 + 16<<10

// Verify reads the whole archive from r and checks every part against the
// manifest: its checksum, size and number of documents, each document a
// valid BSON document, no part missing and none unlisted. It returns the
// manifest, or a *CorruptError saying what is wrong.
func Verify(r io.Reader) (*Manifest, error) {
	var m *Manifest
	seen := map[string]Part{}
	err := eachEntry(r, func(name string, body io.Reader) error {
		if m != nil {
			return corrupt("%s follows the manifest", name)
		}
		if name == manifestName {
			var err error
			m, err = readManifest(body)
			return err
		}
		p, err := checkPart(name, body, nil)
		seen[name] = p
		return err
	})
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, corrupt("it has no manifest (truncated, or not a Consulta backup)")
	}
	return m, matchManifest(m, seen)
}

// eachEntry calls fn with every regular file of the gzip-compressed tar r.
func eachEntry(r io.Reader, fn func(name string, body io.Reader) error) error {
	gz, err := gzip.NewReader(bufio.NewReader(r))
	if err != nil {
		return corrupt("not a gzip file: %v", err)
	}
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return corrupt("%v", err)
		}
		if hdr.Typeflag != tar.TypeReg {
			return corrupt("%s is not a regular file", hdr.Name)
		}
		if err := fn(hdr.Name, tr); err != nil {
			return err
		}
	}
	// The gzip trailer's CRC is checked at the end of the stream.
	if _, err := io.Copy(io.Discard, gz); err != nil {
		return corrupt("%v", err)
	}
	return nil
}

func readManifest(body io.Reader) (*Manifest, error) {
	var m Manifest
	if err := json.NewDecoder(io.LimitReader(body, 16<<20)).Decode(&m); err != nil {
		return nil, corrupt("unreadable manifest: %v", err)
	}
	if m.Format != Format {
		return nil, corrupt("not a Consulta backup (format %q)", m.Format)
	}
	if m.Version != Version {
		return nil, corrupt("archive version %d, this consulta reads version %d", m.Version, Version)
	}
	return &m, nil
}

// checkPart reads one part, hashing it and walking its documents; fn, when
// set, gets each document.
func checkPart(name string, body io.Reader, fn func(bson.Raw) error) (Part, error) {
	h := sha256.New()
	cr := &countReader{r: io.TeeReader(body, h)}
	p := Part{File: name}
	var size [4]byte
	for {
		_, err := io.ReadFull(cr, size[:])
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return p, corrupt("%s: %v", name, err)
		}
		n := int(binary.LittleEndian.Uint32(size[:]))
		if n < 5 || n > maxDocument {
			return p, corrupt("%s: document %d has an impossible length %d", name, p.Documents+1, n)
		}
		doc := make([]byte, n)
		copy(doc, size[:])
		if _, err := io.ReadFull(cr, doc[4:]); err != nil {
			return p, corrupt("%s: document %d: %v", name, p.Documents+1, err)
		}
		if err := bson.Raw(doc).Validate(); err != nil {
			return p, corrupt("%s: document %d is not valid BSON: %v", name, p.Documents+1, err)
		}
		p.Documents++
		if fn != nil {
			if err := fn(doc); err != nil {
				return p, err
			}
		}
	}
	p.Bytes = cr.n
	p.SHA256 = hex.EncodeToString(h.Sum(nil))
	return p, nil
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

// matchManifest checks the parts read against the manifest.
func matchManifest(m *Manifest, seen map[string]Part) error {
	listed := map[string]bool{}
	for _, c := range m.Collections {
		if !validName(c.Name) {
			return corrupt("the manifest names a collection %q that cannot be restored", c.Name)
		}
		var docs, size int64
		for _, want := range c.Parts {
			got, ok := seen[want.File]
			switch {
			case !ok:
				return corrupt("%s is missing", want.File)
			case got.SHA256 != want.SHA256:
				return corrupt("%s does not match its checksum", want.File)
			case got.Documents != want.Documents || got.Bytes != want.Bytes:
				return corrupt("%s holds %d documents in %d bytes, the manifest says %d in %d",
					want.File, got.Documents, got.Bytes, want.Documents, want.Bytes)
			}
			listed[want.File] = true
			docs += want.Documents
			size += want.Bytes
		}
		if docs != c.Documents || size != c.Bytes {
			return corrupt("collection %s: its parts hold %d documents, the manifest says %d", c.Name, docs, c.Documents)
		}
	}
	for name := range seen {
		if !listed[name] {
			return corrupt("%s is not in the manifest", name)
		}
	}
	return nil
}
