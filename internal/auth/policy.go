package auth

import "time"

// Policy holds the account rules' numbers. DefaultPolicy is the one place
// where their defaults live; a zero field of Service.Policy takes the default.
type Policy struct {
	// SessionIdle ends a session this long after its last request.
	SessionIdle time.Duration
	// SessionMax ends a session this long after sign-in, however active.
	SessionMax time.Duration
	// Window is the period over which attempts are counted (fixed windows).
	Window time.Duration
	// PairAttempts is how many password checks one client (an address, or a
	// browser that signed in to the account before) gets on one account per
	// Window: the lock a guesser meets.
	PairAttempts int
	// AccountAttempts is how many password checks one account gets per Window
	// from browsers it never signed in from, whatever their addresses: the
	// brake on a guesser with many addresses. Browsers the account signed in
	// from before are exempt, so no third party can lock its owner out.
	AccountAttempts int
	// ClientAttempts is how many attempts one address gets per Window over all
	// accounts (in memory, per replica).
	ClientAttempts int
	// PasswordChangeAttempts is how many guesses of the current password a
	// session gets per Window on the change-password page.
	PasswordChangeAttempts int
	// DeviceTTL is how long a browser is remembered after a sign-in.
	DeviceTTL time.Duration
	// CheckWait is how long a login waits for a free password check slot
	// before it is answered 503.
	CheckWait time.Duration
}

// DefaultPolicy returns the default account rules.
func DefaultPolicy() Policy {
	return Policy{
		SessionIdle:            30 * time.Minute,
		SessionMax:             12 * time.Hour,
		Window:                 15 * time.Minute,
		PairAttempts:           5,
		AccountAttempts:        20,
		ClientAttempts:         20,
		PasswordChangeAttempts: 5,
		DeviceTTL:              90 * 24 * time.Hour,
		CheckWait:              5 * time.Second,
	}
}

// withDefaults fills p's zero fields from DefaultPolicy.
func (p Policy) withDefaults() Policy {
	d := DefaultPolicy()
	pick := func(v, def time.Duration) time.Duration {
		if v > 0 {
			return v
		}
		return def
	}
	count := func(v, def int) int {
		if v > 0 {
			return v
		}
		return def
	}
	return Policy{
		SessionIdle: pick(p.SessionIdle, d.SessionIdle), SessionMax: pick(p.SessionMax, d.SessionMax),
		Window: pick(p.Window, d.Window), PairAttempts: count(p.PairAttempts, d.PairAttempts),
		AccountAttempts:        count(p.AccountAttempts, d.AccountAttempts),
		ClientAttempts:         count(p.ClientAttempts, d.ClientAttempts),
		PasswordChangeAttempts: count(p.PasswordChangeAttempts, d.PasswordChangeAttempts),
		DeviceTTL:              pick(p.DeviceTTL, d.DeviceTTL), CheckWait: pick(p.CheckWait, d.CheckWait),
	}
}
