package auth

import (
	"sync"
	"time"
)

// Throttle counts failed logins per client in memory and refuses a client
// with too many in its window. The per-account lockout (in the store) holds
// across replicas; this adds a brake on one client guessing many accounts.
type Throttle struct {
	max    int
	window time.Duration

	mu       sync.Mutex
	failures map[string][]time.Time
}

// NewThrottle allows max failed logins per client per window.
func NewThrottle(max int, window time.Duration) *Throttle {
	return &Throttle{max: max, window: window, failures: map[string][]time.Time{}}
}

// Allow reports whether client may try to log in at now.
func (t *Throttle) Allow(client string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.recent(client, now)) < t.max
}

// Fail records a failed login of client at now.
func (t *Throttle) Fail(client string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.failures[client] = append(t.recent(client, now), now)
	if len(t.failures) > 10000 { // forget the oldest clients rather than grow without bound
		for k := range t.failures {
			delete(t.failures, k)
			if len(t.failures) <= 5000 {
				break
			}
		}
	}
}

// recent drops client's failures older than the window; t.mu is held.
func (t *Throttle) recent(client string, now time.Time) []time.Time {
	list := t.failures[client]
	i := 0
	for i < len(list) && now.Sub(list[i]) >= t.window {
		i++
	}
	list = list[i:]
	if len(list) == 0 {
		delete(t.failures, client)
	}
	return list
}
