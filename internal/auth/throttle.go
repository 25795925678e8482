package auth

import (
	"sync"
	"time"
)

// Throttle counts login attempts per client address in memory and refuses a
// client with too many in its window. An attempt is counted when it starts
// (Reserve) and forgotten when it succeeds (Release), so that parallel
// attempts cannot all pass before the first failure is counted. The
// per-account limits, in the store, hold across replicas; this one brakes a
// client that tries many accounts.
type Throttle struct {
	max    int
	window time.Duration

	mu       sync.Mutex
	attempts map[string][]time.Time
}

// NewThrottle allows max failed logins per client per window.
func NewThrottle(max int, window time.Duration) *Throttle {
	return &Throttle{max: max, window: window, attempts: map[string][]time.Time{}}
}

// Reserve counts an attempt of client at now and reports whether it may go
// on; a refused attempt is not counted.
func (t *Throttle) Reserve(client string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	list := t.recent(client, now)
	if len(list) >= t.max {
		return false
	}
	t.attempts[client] = append(list, now)
	t.bound()
	return true
}

// Release forgets one attempt of client: it succeeded.
func (t *Throttle) Release(client string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if list := t.attempts[client]; len(list) > 0 {
		t.attempts[client] = list[:len(list)-1]
	}
}

// bound forgets clients rather than grow without bound; t.mu is held.
func (t *Throttle) bound() {
	if len(t.attempts) <= 10000 {
		return
	}
	for k := range t.attempts {
		delete(t.attempts, k)
		if len(t.attempts) <= 5000 {
			return
		}
	}
}

// recent drops client's attempts older than the window; t.mu is held.
func (t *Throttle) recent(client string, now time.Time) []time.Time {
	list := t.attempts[client]
	i := 0
	for i < len(list) && now.Sub(list[i]) >= t.window {
		i++
	}
	list = list[i:]
	if len(list) == 0 {
		delete(t.attempts, client)
	}
	return list
}
