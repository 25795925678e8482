package backup_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/backup"
)

// Run makes an archive at once and then at each interval, retries a failure
// sooner, leaves no file for a failed archive, and returns when its context
// ends.
func TestKeeperRun(t *testing.T) {
	dir := t.TempDir()
	var mu sync.Mutex
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	calls := 0
	k := &backup.Keeper{
		Dir: dir, Keep: 150 * time.Second, Every: 20 * time.Millisecond, Logger: slog.New(slog.DiscardHandler),
		Now: func() time.Time {
			mu.Lock()
			defer mu.Unlock()
			return clock
		},
		// Each archive takes a minute of the fake clock: a new name each.
		Make: func(ctx context.Context, w io.Writer) (*backup.Manifest, error) {
			mu.Lock()
			clock = clock.Add(time.Minute)
			mu.Unlock()
			calls++
			if calls == 2 {
				io.WriteString(w, "half an archive")
				return nil, errors.New("store unavailable")
			}
			_, err := io.WriteString(w, "archive")
			return &backup.Manifest{}, err
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	if err := k.Run(ctx); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if calls < 3 {
		t.Fatalf("%d archives made in 150ms at 20ms", calls)
	}
	archives, _ := backup.List(dir)
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(archives) {
		t.Fatalf("directory %v holds more than the archives %v", entries, archives)
	}
	// calls-1 archives were written, a minute apart; at each retention the
	// previous one is two minutes old (150s keeps it), the one before three.
	if len(archives) != 2 || calls-1 <= 2 {
		t.Fatalf("%d archives written, %d kept: %v", calls-1, len(archives), archives)
	}
	for _, a := range archives {
		if clock.Sub(a.At) > 2*time.Minute {
			t.Errorf("%s kept, %s old", a.Path, clock.Sub(a.At))
		}
	}
	b, _ := os.ReadFile(archives[1].Path)
	if string(b) != "archive" {
		t.Fatalf("newest archive holds %q", b)
	}
}
