package abuse

import "time"

// sweepEvery is how often full buckets are forgotten.
const sweepEvery = time.Minute

// buckets is a set of token buckets sharing one rate: each key may spend
// perMinute units in a burst, refilled continuously at perMinute a minute.
// A bucket that is full again is the same as no bucket, so it is dropped at
// the next sweep: memory follows the clients of the last minute or so. The
// Guard's mutex protects it.
type buckets struct {
	capacity  float64
	perSecond float64
	byKey     map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	level float64 // units left
	at    time.Time
}

func newBuckets(perMinute float64) *buckets {
	return &buckets{capacity: perMinute, perSecond: perMinute / 60, byKey: map[string]*bucket{}}
}

// level returns the units key has at now.
func (bs *buckets) level(key string, now time.Time) float64 {
	b, ok := bs.byKey[key]
	if !ok {
		return bs.capacity
	}
	elapsed := now.Sub(b.at).Seconds()
	if elapsed < 0 {
		elapsed = 0
	}
	return min(bs.capacity, b.level+elapsed*bs.perSecond)
}

// wait returns 0 when key may spend one unit now, or how long until it may.
func (bs *buckets) wait(key string, now time.Time) time.Duration {
	level := bs.level(key, now)
	if level >= 1 {
		return 0
	}
	if bs.perSecond <= 0 {
		return time.Minute
	}
	return time.Duration((1 - level) / bs.perSecond * float64(time.Second))
}

// charge spends one unit of key's bucket.
func (bs *buckets) charge(key string, now time.Time) {
	level := bs.level(key, now)
	bs.byKey[key] = &bucket{level: level - 1, at: now}
	bs.sweep(now)
}

// sweep drops the buckets that are full again.
func (bs *buckets) sweep(now time.Time) {
	if now.Sub(bs.lastSweep) < sweepEvery {
		return
	}
	bs.lastSweep = now
	for key := range bs.byKey {
		if bs.level(key, now) >= bs.capacity {
			delete(bs.byKey, key)
		}
	}
}

// size is the number of buckets kept (for tests).
func (bs *buckets) size() int { return len(bs.byKey) }
