package auth

import (
	"context"
	"runtime"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

// ErrBusy means that too many password checks are running: the client should
// retry after RetryAfter. It maps to 503.
var ErrBusy = &consulta.Error{Code: consulta.EUNAVAILABLE, Message: "too many password checks at once: retry shortly"}

// CheckLimiter bounds how many argon2id password checks run at once. Each
// takes 19 MiB and a core for tens of milliseconds: unbounded, a hundred
// anonymous logins take every core and 2 GB, and the probes and submissions
// that share the process stall.
type CheckLimiter struct {
	slots chan struct{}
	wait  time.Duration
}

// NewCheckLimiter allows n checks at once (at least 1); a check that cannot
// start within wait is refused with ErrBusy.
func NewCheckLimiter(n int, wait time.Duration) *CheckLimiter {
	return &CheckLimiter{slots: make(chan struct{}, max(n, 1)), wait: wait}
}

// DefaultCheckSlots is half the cores Go uses (at least one): password checks
// may take half the machine, never all of it.
func DefaultCheckSlots() int { return max(runtime.GOMAXPROCS(0)/2, 1) }

// RetryAfter is what a client refused with ErrBusy is told to wait.
func (l *CheckLimiter) RetryAfter() time.Duration { return time.Second }

// acquire waits for a slot, up to the limiter's wait or ctx's end, and returns
// the function that frees it. A nil limiter does not limit.
func (l *CheckLimiter) acquire(ctx context.Context) (release func(), err error) {
	if l == nil {
		return func() {}, nil
	}
	timer := time.NewTimer(l.wait)
	defer timer.Stop()
	select {
	case l.slots <- struct{}{}:
		return func() { <-l.slots }, nil
	case <-timer.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ErrBusy
	}
}
