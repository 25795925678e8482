package consulta

import "time"

// User is a workspace account. Its ID is the normalized (lower-case) e-mail
// address, so that logging in is a lookup by _id and uniqueness comes from the
// insert. Accounts stored by earlier releases may also hold failed_logins and
// locked_until, from a per-account lockout that login throttling replaced
// (auth, login_attempts): they are read past and never written.
type User struct {
	ID           string    `bson:"_id"`
	Name         string    `bson:"name"`
	Role         string    `bson:"role"`
	Org          string    `bson:"org,omitempty"`
	PasswordHash string    `bson:"password_hash"`
	Disabled     bool      `bson:"disabled"`
	CreatedAt    time.Time `bson:"created_at"`
	UpdatedAt    time.Time `bson:"updated_at"`
	// LastLoginAt is when the account last signed in (zero: never, or not
	// since a release that did not record it).
	LastLoginAt time.Time `bson:"last_login_at,omitempty"`
	// Replies: an analyst an admin allowed to reveal, one response at a
	// time, the contact of citizens who asked for a reply (auth.RevealContact).
	Replies bool `bson:"replies,omitempty"`
}

// LoginSession is a signed-in browser. Its ID is a hash of the cookie's token,
// so that the store never holds a usable token and every request is a lookup by
// _id. CSRF is the session's anti-forgery token, sent back in every form.
type LoginSession struct {
	ID        string    `bson:"_id"`
	UserID    string    `bson:"user"`
	CSRF      string    `bson:"csrf"`
	CreatedAt time.Time `bson:"created_at"`
	ExpiresAt time.Time `bson:"expires_at"`
}
