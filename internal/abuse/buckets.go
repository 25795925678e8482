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
	byKey     map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	level    float64 // units left
	at       time.Time
	capacity float64 // units a minute, and the most it holds
}

func newBuckets(perMinute float64) *buckets {
	return &buckets{capacity: perMinute, byKey: map[string]*bucket{}}
}

// size returns capacity, or the set's capacity when it is 0.
func (bs *buckets) size(capacity float64) float64 {
	if capacity > 0 {
		return capacity
	}
	return bs.capacity
}

// level returns the units key has at now, in a bucket of that capacity.
func (bs *buckets) level(key string, now time.Time, capacity float64) float64 {
	b, ok := bs.byKey[key]
	if !ok {
		return capacity
	}
	elapsed := now.Sub(b.at).Seconds()
	if elapsed < 0 {
		elapsed = 0
	}
	return min(capacity, b.level+elapsed*capacity/60)
}

// wait returns 0 when key may spend one unit now, or how long until it may.
func (bs *buckets) wait(key string, now time.Time, capacity float64) time.Duration {
	capacity = bs.size(capacity)
	level := bs.level(key, now, capacity)
	if level >= 1 {
		return 0
	}
	if capacity <= 0 {
		return time.Minute
	}
	return time.Duration((1 - level) / (capacity / 60) * float64(time.Second))
}

// charge spends one unit of key's bucket.
func (bs *buckets) charge(key string, now time.Time, capacity float64) {
	capacity = bs.size(capacity)
	level := bs.level(key, now, capacity)
	bs.byKey[key] = &bucket{level: level - 1, at: now, capacity: capacity}
	bs.sweep(now)
}

// sweep drops the buckets that are full again.
func (bs *buckets) sweep(now time.Time) {
	if now.Sub(bs.lastSweep) < sweepEvery {
		return
	}
	bs.lastSweep = now
	for key, b := range bs.byKey {
		if bs.level(key, now, b.capacity) >= b.capacity {
			delete(bs.byKey, key)
		}
	}
}

// count is the number of buckets kept (for tests).
func (bs *buckets) count() int { return len(bs.byKey) }
