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
	return waitFor(bs.levelOf(bs.byKey[key], now, capacity), capacity)
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

// charge spends one unit of key's bucket.
func (bs *buckets) charge(key uint64, now time.Time, capacity float64) {
	capacity = bs.size(capacity)
	b := bs.byKey[key]
	bs.take(key, b, bs.levelOf(b, now, capacity), now, capacity)
}

// spend is wait then charge for a single bucket, with one look-up: it
// charges key and returns 0 when it has a unit, or returns the wait and
// charges nothing.
func (bs *buckets) spend(key uint64, now time.Time, capacity float64) time.Duration {
	capacity = bs.size(capacity)
	b := bs.byKey[key]
	level := bs.levelOf(b, now, capacity)
	if wait := waitFor(level, capacity); wait > 0 {
		return wait
	}
	bs.take(key, b, level, now, capacity)
	return 0
}

// levelOf is the units bucket b (nil: none kept, so full) holds at now.
func (bs *buckets) levelOf(b *bucket, now time.Time, capacity float64) float64 {
	if b == nil {
		return capacity
	}
	return b.levelAt(now, capacity)
}

// take leaves key's bucket b (nil: none kept) with one unit less than level.
// A kept bucket is updated in place: a client seen again allocates nothing.
func (bs *buckets) take(key uint64, b *bucket, level float64, now time.Time, capacity float64) {
	if b == nil {
		bs.byKey[key] = &bucket{level: level - 1, at: now, capacity: capacity}
	} else {
		b.level, b.at, b.capacity = level-1, now, capacity
	}
	bs.sweep(now)
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
