package backup

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"
)

// retryAfter is how soon a failed scheduled backup is tried again (or the
// interval, when shorter): a day's wait after a failure would leave a day
// more of data without a copy.
const retryAfter = 10 * time.Minute

// Keeper makes archives in a directory, on a schedule, and deletes them
// after a while (the compose file's backup service).
type Keeper struct {
	Dir   string
	Keep  time.Duration // archives older than this are deleted (0: none is)
	Every time.Duration // Run's interval
	// Make writes one archive (Write on the store).
	Make   func(ctx context.Context, w io.Writer) (*Manifest, error)
	Logger *slog.Logger
	Now    func() time.Time
}

// Once makes one archive, then applies retention, and returns the archive's
// path. A failed archive leaves no file and deletes nothing.
func (k *Keeper) Once(ctx context.Context) (string, error) {
	start := k.Now()
	path := filepath.Join(k.Dir, FileName(start))
	var m *Manifest
	err := WriteFile(path, func(w io.Writer) (err error) {
		m, err = k.Make(ctx, w)
		return err
	})
	if err != nil {
		return "", err
	}
	k.Logger.Info("backup written", "file", path, "collections", len(m.Collections), "documents", m.Documents(),
		"snapshot", m.Snapshot.At, "duration", k.Now().Sub(start).Round(time.Millisecond))
	if k.Keep > 0 {
		removed, err := Prune(k.Dir, k.Keep, k.Now())
		for _, r := range removed {
			k.Logger.Info("backup deleted by retention", "file", r, "keep", k.Keep)
		}
		if err != nil {
			return path, fmt.Errorf("backup: retention in %s: %w", k.Dir, err)
		}
	}
	return path, nil
}

// Run makes an archive now and then every Every until ctx ends; a failure
// is logged as an error and tried again sooner. It returns nil when ctx
// ends, the archive in progress abandoned (its temporary file removed).
func (k *Keeper) Run(ctx context.Context) error {
	for {
		wait := k.Every
		if _, err := k.Once(ctx); err != nil && ctx.Err() == nil {
			k.Logger.Error("backup failed", "dir", k.Dir, "error", err, "retry_in", min(retryAfter, k.Every))
			wait = min(retryAfter, k.Every)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
}

// Check returns nil when the newest archive of dir was started less than
// maxAge before now, and an error saying what is wrong otherwise: the
// backup service's health check.
func Check(dir string, maxAge time.Duration, now time.Time) error {
	archives, err := List(dir)
	if err != nil {
		return err
	}
	if len(archives) == 0 {
		return fmt.Errorf("no backup in %s yet", dir)
	}
	newest := archives[len(archives)-1]
	if age := now.Sub(newest.At); age > maxAge {
		return fmt.Errorf("the newest backup, %s, is %s old (more than %s)", filepath.Base(newest.Path), age.Round(time.Minute), maxAge)
	}
	return nil
}
