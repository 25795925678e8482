package opendata

import (
	"context"
	"sync"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

// DefaultCacheFor is how long Library keeps a snapshot it has read in
// memory when Library.CacheFor is not set. A snapshot made again is served
// at most this much later by every replica; clients may keep a file for an
// hour anyway (Cache-Control). Without it, every download would decode the
// whole snapshot (every language and format) from the store.
const DefaultCacheFor = time.Minute

// snapshotCache keeps the snapshots read by _id, and lets concurrent
// requests for the same one share a single read: a burst of downloads of a
// new semester, or the first after a restart, reads it once. Only snapshots
// found are kept, so it holds at most what the store holds.
type snapshotCache struct {
	mu      sync.Mutex
	entries map[string]*cacheEntry
}

// cacheEntry is one read, in flight until ready is closed; its fields are
// not written after that.
type cacheEntry struct {
	ready   chan struct{}
	snap    *consulta.OpenDataSnapshot
	err     error
	expires time.Time
}

// get returns the snapshot id, from memory when it was read less than ttl
// ago, else through read (once for all the callers waiting on it).
func (c *snapshotCache) get(ctx context.Context, id string, ttl time.Duration,
	read func(context.Context) (*consulta.OpenDataSnapshot, error)) (*consulta.OpenDataSnapshot, error) {
	e, owner := c.entry(id)
	if owner {
		// Not cut short by the first caller going away: others may wait on it.
		e.snap, e.err = read(context.WithoutCancel(ctx))
		e.expires = time.Now().Add(ttl)
		close(e.ready)
		if e.err != nil {
			c.forget(id, e)
		}
	}
	select {
	case <-e.ready:
		return e.snap, e.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// entry returns the entry of id to wait on, or a new one that the caller
// must fill (owner).
func (c *snapshotCache) entry(id string) (e *cacheEntry, owner bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.entries[id]; e != nil {
		select {
		case <-e.ready:
			if time.Now().Before(e.expires) {
				return e, false
			}
		default:
			return e, false // in flight
		}
	}
	if c.entries == nil {
		c.entries = map[string]*cacheEntry{}
	}
	e = &cacheEntry{ready: make(chan struct{})}
	c.entries[id] = e
	return e, true
}

// forget drops e, a failed read (a missing snapshot may appear any time).
func (c *snapshotCache) forget(id string, e *cacheEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries[id] == e {
		delete(c.entries, id)
	}
}
