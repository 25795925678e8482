package abuse

import (
	"hash/maphash"
	"sync/atomic"
	"time"
)

// addressHasher turns an IP address into a limiter key: a 64-bit keyed hash
// (hash/maphash) of the address under a random seed that this process draws
// for each rotation period and drops when the period ends. Nothing that
// hashes an address is ever written anywhere, and the buckets are per process
// anyway, so the key needs no secret shared between replicas; an HMAC-SHA256
// of the address cost a third of the page-load check (docs/performance.md,
// "Form pages"). Without the seed nobody can pick two addresses whose keys
// collide, so one client cannot spend another's budget.
type addressHasher struct {
	rotation time.Duration
	cur      atomic.Pointer[periodSeed]
}

// periodSeed is the seed of one rotation period.
type periodSeed struct {
	period int64
	seed   maphash.Seed
}

func newAddressHasher(rotation time.Duration) *addressHasher {
	return &addressHasher{rotation: rotation}
}

// key returns the limiter key of address at time now. A 64-bit key, not a
// string: the bucket maps look it up on every page load, and a map keyed by
// integers does so in a third less time.
func (h *addressHasher) key(address string, now time.Time) uint64 {
	return maphash.String(h.seedAt(now), address)
}

// tagged returns the limiter key of address at time now in a bucket set that
// also holds other kinds of keys (tag tells them apart: see bucketKey).
func (h *addressHasher) tagged(tag byte, address string, now time.Time) uint64 {
	return bucketKey(h.seedAt(now), tag, address)
}

// bucketKey is the key of s, of the kind tag, under seed: keys of different
// kinds in one bucket set differ even for the same s.
func bucketKey(seed maphash.Seed, tag byte, s string) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	_ = h.WriteByte(tag)
	_, _ = h.WriteString(s)
	return h.Sum64()
}

// seedAt returns the seed of the period that contains now, drawing a new one
// when the period changed; of two callers that see the change at once, the
// first to store its seed wins and the other uses it.
func (h *addressHasher) seedAt(now time.Time) maphash.Seed {
	period := now.UnixNano() / int64(h.rotation)
	for {
		cur := h.cur.Load()
		if cur != nil && cur.period >= period {
			return cur.seed
		}
		if h.cur.CompareAndSwap(cur, &periodSeed{period: period, seed: maphash.MakeSeed()}) {
			return h.cur.Load().seed
		}
	}
}
