package opendata

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

// TestSnapshotCache: concurrent requests share one read; a read is kept for
// its time to live; a failed read is not kept.
func TestSnapshotCache(t *testing.T) {
	var c snapshotCache
	var reads atomic.Int32
	release := make(chan struct{})
	slow := func(context.Context) (*consulta.OpenDataSnapshot, error) {
		reads.Add(1)
		<-release
		return &consulta.OpenDataSnapshot{Period: "2026-S1"}, nil
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			if s, err := c.get(ctx, "f|2026-S1", time.Hour, slow); err != nil || s.Period != "2026-S1" {
				t.Errorf("got %+v, %v", s, err)
			}
		})
	}
	time.Sleep(20 * time.Millisecond) // let them all ask
	close(release)
	wg.Wait()
	if n := reads.Load(); n != 1 {
		t.Errorf("16 concurrent requests read the snapshot %d times, want once", n)
	}
	if _, _ = c.get(ctx, "f|2026-S1", time.Hour, slow); reads.Load() != 1 {
		t.Error("a fresh read was not kept")
	}

	missing := func(context.Context) (*consulta.OpenDataSnapshot, error) {
		reads.Add(1)
		return nil, consulta.Errorf(consulta.ENOTFOUND, "none")
	}
	for range 2 {
		if _, err := c.get(ctx, "f|2025-S2", time.Hour, missing); consulta.ErrorCode(err) != consulta.ENOTFOUND {
			t.Fatal(err)
		}
	}
	if n := reads.Load(); n != 3 {
		t.Errorf("a missing snapshot was remembered: %d reads", n)
	}

	once := func(context.Context) (*consulta.OpenDataSnapshot, error) {
		reads.Add(1)
		return &consulta.OpenDataSnapshot{}, nil
	}
	for range 2 {
		if _, err := c.get(ctx, "f|2025-S1", -time.Second, once); err != nil {
			t.Fatal(err)
		}
	}
	if n := reads.Load(); n != 5 {
		t.Errorf("an expired read was served: %d reads", n)
	}
}
