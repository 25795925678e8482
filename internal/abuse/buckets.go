package abuse

import "time"

// sweepEvery is how often full buckets are forgotten.
const sweepEvery = time.Minute

// buckets is a set of token buckets: each key may spend its capacity in a
// burst, refilled continuously at its capacity a minute. The set has a
// capacity for every key; a caller may give one key another (a focus-group
// session's budget depends on the session), and the bucket keeps it. A
// bucket that is full again is the same as no bucket, so it is dropped at the
// next sweep: memory follows the clients of the last minute or so. The
// Guard's mutex protects it.
type buckets struct {
	capacity  float64
	byKey     map[uint64]*bucket // by bucketKey or addressHasher.key
	lastSweep time.Time
}

type bucket struct {
	level    float64 // units left
	at       time.Time
	capacity float64 // units a minute, and the most it holds
}

func newBuckets(perMinute float64) *buckets {
	return &buckets{capacity: perMinute, byKey: map[uint64]*bucket{}}
}

// size returns capacity, or the set's capacity when it is 0.
func (bs *buckets) size(capacity float64) float64 {
	if capacity > 0 {
		return capacity
	}
	return bs.capacity
}

// level returns the units key has at now, in a bucket of that capacity.
func (bs *buckets) level(key uint64, now time.Time, capacity float64) float64 {
	b, ok := bs.byKey[key]
	if !ok {
		return capacity
	}
	return b.levelAt(now, capacity)
}

// levelAt returns the units b holds at now, refilled at capacity a minute.
func (b *bucket) levelAt(now time.Time, capacity float64) float64 {
	elapsed := now.Sub(b.at).Seconds()
	if elapsed < 0 {
		elapsed = 0
	}
	return min(capacity, b.level+elapsed*capacity/60)
}

// wait returns 0 when key may spend one unit now, or how long until it may.
func (bs *buckets) wait(key uint64, now time.Time, capacity float64) time.Duration {
	capacity = bs.size(capacity)
	return waitFor(bs.level(key, now, capacity), capacity)
}

// waitFor is how long a bucket of capacity that holds level units makes its
// client wait for one unit (0: none).
func waitFor(level, capacity float64) time.Duration {
	if level >= 1 {
		return 0
	}
	if capacity <= 0 {
		return time.Minute
	}
	return time.Duration((1 - level) / (capacity / 60) * float64(time.Second))
}

// charge spends one unit of key's bucket. A kept bucket is updated in place:
// a client seen again allocates nothing.
func (bs *buckets) charge(key uint64, now time.Time, capacity float64) {
	capacity = bs.size(capacity)
	if b, ok := bs.byKey[key]; ok {
		b.level, b.at, b.capacity = b.levelAt(now, capacity)-1, now, capacity
	} else {
		bs.byKey[key] = &bucket{level: capacity - 1, at: now, capacity: capacity}
	}
	bs.sweep(now)
}

// spend is wait then charge for a single bucket, with one look-up: it
// charges key and returns 0 when it has a unit, or returns the wait and
// charges nothing.
func (bs *buckets) spend(key uint64, now time.Time, capacity float64) time.Duration {
	capacity = bs.size(capacity)
	b, ok := bs.byKey[key]
	if !ok {
		if wait := waitFor(capacity, capacity); wait > 0 {
			return wait
		}
		bs.byKey[key] = &bucket{level: capacity - 1, at: now, capacity: capacity}
		bs.sweep(now)
		return 0
	}
	level := b.levelAt(now, capacity)
	if wait := waitFor(level, capacity); wait > 0 {
		return wait
	}
	b.level, b.at, b.capacity = level-1, now, capacity
	bs.sweep(now)
	return 0
}

// sweep drops the buckets that are full again.
func (bs *buckets) sweep(now time.Time) {
	if now.Sub(bs.lastSweep) < sweepEvery {
		return
	}
	bs.lastSweep = now
	for key, b := range bs.byKey {
		if b.levelAt(now, b.capacity) >= b.capacity {
			delete(bs.byKey, key)
		}
	}
}

// count is the number of buckets kept (for tests).
func (bs *buckets) count() int { return len(bs.byKey) }
