package backup_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/backup"
)

// Retention deletes archives older than keep, never the newest, and nothing
// that is not an archive.
func TestPruneAndCheck(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 5, 20, 3, 0, 0, 0, time.UTC)
	for _, days := range []int{30, 15, 14, 1} {
		name := backup.FileName(now.Add(-time.Duration(days) * 24 * time.Hour).Add(time.Minute))
		os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600)
	}
	os.WriteFile(filepath.Join(dir, "consulta-notes.tar.gz"), []byte("x"), 0o600)
	os.WriteFile(filepath.Join(dir, "other.txt"), []byte("x"), 0o600)

	removed, err := backup.Prune(dir, 14*24*time.Hour, now)
	if err != nil || len(removed) != 2 {
		t.Fatalf("removed %v, %v; want the 30- and 15-day-old archives", removed, err)
	}
	left, _ := backup.List(dir)
	if len(left) != 2 {
		t.Fatalf("left %v", left)
	}
	for _, keep := range []string{"consulta-notes.tar.gz", "other.txt"} {
		if _, err := os.Stat(filepath.Join(dir, keep)); err != nil {
			t.Errorf("%s deleted", keep)
		}
	}

	// The newest archive stays even when every one is too old.
	removed, _ = backup.Prune(dir, time.Hour, now)
	if left, _ := backup.List(dir); len(removed) != 1 || len(left) != 1 {
		t.Fatalf("keep 1h: removed %v, left %v", removed, left)
	}

	if err := backup.Check(dir, 26*time.Hour, now); err != nil {
		t.Fatalf("a day-old archive, max age 26h: %v", err)
	}
	if err := backup.Check(dir, 12*time.Hour, now); err == nil || !strings.Contains(err.Error(), "old") {
		t.Fatalf("a day-old archive, max age 12h: %v", err)
	}
	if err := backup.Check(t.TempDir(), time.Hour, now); err == nil || !strings.Contains(err.Error(), "no backup") {
		t.Fatalf("empty directory: %v", err)
	}
}
