package outbox

import (
	"errors"
	"time"
)

// Default retry rules: the first retry a minute after a failure, each wait
// twice the one before, at most six hours; given up after ten attempts
// (about nine hours of trying).
const (
	DefaultFirstRetry  = time.Minute
	DefaultMaxRetry    = 6 * time.Hour
	DefaultMaxAttempts = 10
)

// Backoff is exponential: First after the first failure, doubled after each
// further one, at most Max.
type Backoff struct {
	First, Max time.Duration
}

func (b Backoff) withDefaults() Backoff {
	b.First = orDefault(b.First, DefaultFirstRetry)
	b.Max = max(orDefault(b.Max, DefaultMaxRetry), b.First)
	return b
}

// Delay is the wait after the attempts-th failed attempt.
func (b Backoff) Delay(attempts int) time.Duration {
	b = b.withDefaults()
	d := b.First
	for i := 1; i < attempts && d < b.Max; i++ {
		d *= 2
	}
	return min(d, b.Max)
}

// permanent marks an error that retrying cannot fix.
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// Permanent marks err as a refusal that retrying cannot fix (an address the
// server does not know, an endpoint that is gone): the message is given up.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanent{err}
}

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p permanent
	return errors.As(err, &p)
}
