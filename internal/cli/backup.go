package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/consulta/consulta/internal/app"
	"github.com/consulta/consulta/internal/backup"
	"github.com/consulta/consulta/internal/config"
)

// runBackup writes an archive of the whole store, read at one moment, to
// --out, or into --dir under a name that says when, optionally deleting
// older ones (--keep) and repeating until stopped (--every): the compose
// file's backup service (docs/operations.md, "Backups and restore").
func runBackup(ctx context.Context, args []string, stdio IO) error {
	var out, dir string
	var keep, every time.Duration
	cfg, rest, err := parse("backup", args, stdio, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "out", "", "archive to write (a .tar.gz)")
		fs.StringVar(&dir, "dir", "", "directory of archives named by their time, instead of --out")
		fs.DurationVar(&keep, "keep", 0, "with --dir: delete archives older than this, e.g. 336h (the newest always stays)")
		fs.DurationVar(&every, "every", 0, "with --dir: one archive now, then one at this interval until stopped, e.g. 24h")
	})
	if err != nil {
		return err
	}
	if len(rest) > 0 || (out == "") == (dir == "") || (dir == "" && (keep != 0 || every != 0)) || keep < 0 || every < 0 {
		return errUsage
	}
	logger := newLogger(cfg, stdio.Stderr)
	env, err := app.OpenStoreOnly(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer env.Close()
	write := func(ctx context.Context, w io.Writer) (*backup.Manifest, error) {
		return backup.Write(ctx, env.Store, w, backup.Options{Database: cfg.Database, Store: storeKind(cfg), Logger: logger})
	}
	if out != "" {
		var m *backup.Manifest
		err := backup.WriteFile(out, func(w io.Writer) (err error) {
			m, err = write(ctx, w)
			return err
		})
		if err != nil {
			return fmt.Errorf("backup: %s not written: %w", out, err)
		}
		fmt.Fprintf(stdio.Stderr, "%d documents of %d collections, as they were at %s, written to %s\n",
			m.Documents(), len(m.Collections), m.Snapshot.At.Format(time.RFC3339), out)
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	k := &backup.Keeper{Dir: dir, Keep: keep, Every: every, Make: write, Logger: logger, Now: time.Now}
	if every == 0 {
		_, err := k.Once(ctx)
		return err
	}
	return k.Run(ctx)
}

func storeKind(cfg *config.Config) string {
	if cfg.Embedded() {
		return "embedded"
	}
	return "mongodb"
}

// runBackupCheck exits 0 when the newest archive of --dir is younger than
// --max-age: the backup service's health check.
func runBackupCheck(ctx context.Context, args []string, stdio IO) error {
	var dir string
	var maxAge time.Duration
	_, rest, err := parse("backup check", args, stdio, func(fs *flag.FlagSet) {
		fs.StringVar(&dir, "dir", "", "directory of archives (required)")
		fs.DurationVar(&maxAge, "max-age", 26*time.Hour, "the newest archive must be younger than this")
	})
	if err != nil {
		return err
	}
	if dir == "" || len(rest) > 0 || maxAge <= 0 {
		return errUsage
	}
	if err := backup.Check(dir, maxAge, time.Now()); err != nil {
		return problemf("%v: see the backup service's log", err)
	}
	return nil
}

// runRestore loads an archive into the store, which must be empty.
func runRestore(ctx context.Context, args []string, stdio IO) error {
	cfg, rest, err := parse("restore", args, stdio, nil)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return errUsage
	}
	file := rest[0]
	if _, err := os.Stat(file); err != nil {
		return problemf("cannot read the archive %s: %v", file, errors.Unwrap(err))
	}
	logger := newLogger(cfg, stdio.Stderr)
	env, err := app.OpenStoreOnly(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer env.Close()
	m, err := backup.Restore(ctx, env.Store, func() (io.ReadCloser, error) { return os.Open(file) }, logger)
	if err != nil {
		return restoreProblem(file, err)
	}
	fmt.Fprintf(stdio.Stderr, "%d documents of %d collections restored from %s (the store as it was at %s)\n",
		m.Documents(), len(m.Collections), file, m.Snapshot.At.Format(time.RFC3339))
	return nil
}

// restoreProblem tells a failed restore in one sentence, saying what became
// of the store.
func restoreProblem(file string, err error) error {
	var notEmpty *backup.NotEmptyError
	var damaged *backup.CorruptError
	var partial *backup.PartialError
	switch {
	case errors.As(err, &notEmpty):
		return &problem{cause: err, sentence: fmt.Sprintf("the store already holds data (collection %s is not empty), so nothing was restored: restore only into an empty store, a new CONSULTA_DATA_DIR or an empty MongoDB database", notEmpty.Collection)}
	case errors.As(err, &partial):
		return &problem{cause: err, sentence: fmt.Sprintf("the restore of %s stopped midway (%v), so the store holds part of the archive: empty it (a new CONSULTA_DATA_DIR, or drop the MongoDB database) and run the restore again", file, partial.Err)}
	case errors.As(err, &damaged):
		return &problem{cause: err, sentence: fmt.Sprintf("%s is not an intact Consulta backup (%s), so nothing was restored: use another archive", file, damaged.Reason)}
	}
	return err
}
