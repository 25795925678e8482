package server

import (
	"sync"
	"time"
)

const (
	// sessionCacheTTL is how long an open session's size is reused: a
	// flood of posts with one code costs one look-up this often, not one
	// per post.
	sessionCacheTTL = 30 * time.Second
	// sessionCacheMax bounds the sessions remembered; past it the cache
	// starts again (a few dozen sessions are open at once, at most).
	sessionCacheMax = 1000
)

// sessionCache remembers, for a short while, the participants expected by the
// open focus-group sessions that abuse control looked up, by form and code.
// It only sizes budgets: intake still checks every submission's code in the
// store (open, of this form), so a session closed meanwhile is refused all
// the same. Codes of no open session are not remembered. The zero value is
// ready to use.
type sessionCache struct {
	mu     sync.Mutex
	byCode map[string]cachedSession
}

type cachedSession struct {
	expected int
	until    time.Time
}

// get returns the expected participants of key, if remembered at now.
func (sc *sessionCache) get(key string, now time.Time) (int, bool) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	s, ok := sc.byCode[key]
	if !ok || now.After(s.until) {
		return 0, false
	}
	return s.expected, true
}

// put remembers that the session key expects that many participants.
func (sc *sessionCache) put(key string, expected int, now time.Time) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.byCode == nil || len(sc.byCode) >= sessionCacheMax {
		sc.byCode = map[string]cachedSession{}
	}
	sc.byCode[key] = cachedSession{expected: expected, until: now.Add(sessionCacheTTL)}
}
