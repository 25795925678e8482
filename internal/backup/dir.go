package backup

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Archives kept in a directory are named by the time they were started, in
// UTC, so that names sort by age and retention needs no other record.
const (
	namePrefix = "consulta-"
	nameSuffix = ".tar.gz"
	nameTime   = "20060102T150405Z"
)

// FileName is the name of an archive started at t.
func FileName(t time.Time) string { return namePrefix + t.UTC().Format(nameTime) + nameSuffix }

// parseName returns the time of an archive's name; ok is false for any other
// file, which retention never touches.
func parseName(name string) (time.Time, bool) {
	s, ok := strings.CutPrefix(name, namePrefix)
	if !ok {
		return time.Time{}, false
	}
	if s, ok = strings.CutSuffix(s, nameSuffix); !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(nameTime, s)
	return t, err == nil
}

// Archive is one archive in a directory.
type Archive struct {
	Path string
	At   time.Time
}

// List returns the archives of dir, oldest first.
func List(dir string) ([]Archive, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []Archive
	for _, e := range entries {
		if t, ok := parseName(e.Name()); ok && e.Type().IsRegular() {
			out = append(out, Archive{Path: filepath.Join(dir, e.Name()), At: t})
		}
	}
	slices.SortFunc(out, func(a, b Archive) int { return a.At.Compare(b.At) })
	return out, nil
}

// Prune deletes the archives of dir started more than keep before now,
// except the newest one, which stays whatever its age: if backups stop
// working, the last good one is not thrown away. It returns what it deleted.
func Prune(dir string, keep time.Duration, now time.Time) ([]string, error) {
	archives, err := List(dir)
	if err != nil || len(archives) == 0 {
		return nil, err
	}
	var removed []string
	for _, a := range archives[:len(archives)-1] {
		if now.Sub(a.At) <= keep {
			break
		}
		if err := os.Remove(a.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, err
		}
		removed = append(removed, a.Path)
	}
	return removed, nil
}

// WriteFile runs write into a temporary file beside path and renames it to
// path once complete and on disk, so that a failure never leaves part of an
// archive under an archive's name. The file is the owner's only (0600): it
// holds contact data.
func WriteFile(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".consulta-backup-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	err = write(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}
