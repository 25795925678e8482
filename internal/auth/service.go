// Package auth holds workspace accounts' security: argon2id password hashes
// and the password rules, roles and what each may do, server-side login
// sessions with their CSRF tokens and idle timeout, and the limits on
// password guessing. It knows nothing about HTTP: the workspace package turns
// its answers into cookies, redirects and statuses.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

// Login outcomes that the login page tells apart. Both are EUNAUTHORIZED and
// both happen alike for existing and unknown accounts, so that neither says
// whether an e-mail has an account.
var (
	ErrBadCredentials = &consulta.Error{Code: consulta.EUNAUTHORIZED, Message: "wrong e-mail or password"}
	ErrLocked         = &consulta.Error{Code: consulta.EUNAUTHORIZED, Message: "too many attempts: try again later"}
)

// Store is what the service keeps in the database: accounts, login
// sessions and the counters of login attempts. *store.Store is one; the
// service depends on this behaviour, not on the database.
type Store interface {
	CreateUser(ctx context.Context, u *consulta.User) error
	User(ctx context.Context, id string) (*consulta.User, error)
	UpdateUserAccess(ctx context.Context, id, name, role, org string, disabled bool, now time.Time) error
	SetPasswordHash(ctx context.Context, id, hash string, now time.Time) error
	SetLastLogin(ctx context.Context, id string, at time.Time) error

	CreateLoginSession(ctx context.Context, ls *consulta.LoginSession) error
	LoginSession(ctx context.Context, id string) (*consulta.LoginSession, error)
	SetLoginSessionExpiry(ctx context.Context, id string, at time.Time) error
	DeleteLoginSession(ctx context.Context, id string) error
	DeleteUserLoginSessions(ctx context.Context, userID, keep string) (int64, error)

	CountAttempt(ctx context.Context, key string, expires time.Time) (int, error)
	ClearAttempts(ctx context.Context, keys ...string) error
	FirstUse(ctx context.Context, key string, expires time.Time) (bool, error)
	DeleteExpiredAttempts(ctx context.Context, now time.Time) (int64, error)
}

// Service signs people in and out and manages accounts.
type Service struct {
	Store Store
	Now   func() time.Time
	// Secret keys the hashes kept instead of e-mails, addresses and tokens,
	// and signs device tokens; replicas must share it.
	Secret []byte
	// Policy overrides the account rules (zero fields: DefaultPolicy).
	Policy Policy
	// Throttle limits attempts per client address (nil: no per-address limit).
	Throttle *Throttle
	// Checks bounds concurrent password checks (nil: unbounded, for the
	// command line).
	Checks *CheckLimiter
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) policy() Policy { return s.Policy.withDefaults() }

// Rules returns the account rules in force (Policy with its defaults).
func (s *Service) Rules() Policy { return s.policy() }

// NormalizeEmail lower-cases and trims an e-mail address: the account ID.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// NewUser is what AddUser needs.
type NewUser struct {
	Email, Name, Role, Org, Password string
}

// AddUser creates an account after checking its fields; ECONFLICT when the
// e-mail is taken.
func (s *Service) AddUser(ctx context.Context, nu NewUser) (*consulta.User, error) {
	email := NormalizeEmail(nu.Email)
	if _, err := mail.ParseAddress(email); err != nil || strings.ContainsAny(email, "<> ") {
		return nil, fieldError("email", "invalid_email")
	}
	if err := checkAccess(nu.Role, nu.Org); err != nil {
		return nil, err
	}
	if err := CheckNewPassword(nu.Password, email); err != nil {
		return nil, err
	}
	now := s.now()
	u := &consulta.User{ID: email, Name: strings.TrimSpace(nu.Name), Role: nu.Role, Org: strings.TrimSpace(nu.Org),
		PasswordHash: HashPassword(nu.Password), CreatedAt: now, UpdatedAt: now}
	if err := s.Store.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	return u, nil
}

// checkAccess validates a role and organisation: facilitators need one.
func checkAccess(role, org string) error {
	if !ValidRole(role) {
		return fieldError("role", "invalid_role")
	}
	if role == RoleFacilitator && strings.TrimSpace(org) == "" {
		return fieldError("org", "org_required")
	}
	return nil
}

// UpdateAccess changes an account's name, role, organisation or disabled
// flag, and signs it out everywhere so that the change applies at once.
func (s *Service) UpdateAccess(ctx context.Context, id, name, role, org string, disabled bool) error {
	if err := checkAccess(role, org); err != nil {
		return err
	}
	if err := s.Store.UpdateUserAccess(ctx, id, strings.TrimSpace(name), role, strings.TrimSpace(org), disabled, s.now()); err != nil {
		return err
	}
	_, err := s.Store.DeleteUserLoginSessions(ctx, id, "")
	return err
}

func fieldError(field, code string) error {
	return &consulta.Error{Code: consulta.EINVALID, Message: field + ": " + code,
		Fields: []consulta.FieldError{{Question: field, Code: code}}}
}

// Session is a signed-in user with the token of their cookie.
type Session struct {
	User  *consulta.User
	Login *consulta.LoginSession
	Token string // only known right after Login
	// Device is the browser's new device token (only right after Login).
	Device string
}

// LoginRequest is one attempt to sign in.
type LoginRequest struct {
	Email, Password string
	// Client is the client's address; only its keyed hash is kept.
	Client string
	// Device is the device token the browser kept from an earlier sign-in.
	Device string
}

// Login checks an e-mail and password. Every attempt is counted before the
// password is checked (so parallel attempts cannot slip past a limit while
// the first ones are being checked) and forgotten when it succeeds. It
// returns ErrLocked when a limit is reached, ErrBusy when too many password
// checks are running, and ErrBadCredentials on any mismatch; an unknown
// e-mail goes through the same counting and an equally slow check.
func (s *Service) Login(ctx context.Context, req LoginRequest) (*Session, error) {
	now, id := s.now(), NormalizeEmail(req.Email)
	who := attempter{account: s.hash("account", id), client: "a" + s.hash("client", req.Client)}
	if key, ok := s.deviceKey(req.Device, id, now); ok {
		who.client, who.known = key, true
	}
	keys, err := s.reserve(ctx, who, now)
	if err != nil {
		return nil, err
	}
	u, err := s.verify(ctx, id, req.Password)
	if err != nil {
		return nil, err
	}
	if err := s.Store.ClearAttempts(ctx, keys...); err != nil {
		return nil, err
	}
	if !who.known && s.Throttle != nil {
		s.Throttle.Release(who.client)
	}
	sess, err := s.startSession(ctx, u, now)
	if err != nil {
		return nil, err
	}
	sess.Device = s.newDevice(id, now.Add(s.policy().DeviceTTL))
	return sess, nil
}

// attempter is who makes a login attempt: hashes of the account tried and of
// the client (an address, or a browser known to the account).
type attempter struct {
	account, client string
	known           bool // the client is a browser the account signed in from
}

// reserve counts an attempt against every limit that applies and returns the
// keys to clear if it succeeds, or ErrLocked when a limit is reached.
func (s *Service) reserve(ctx context.Context, who attempter, now time.Time) ([]string, error) {
	p := s.policy()
	if !who.known && s.Throttle != nil && !s.Throttle.Reserve(who.client, now) {
		return nil, ErrLocked
	}
	win, end := window(now, p.Window)
	pair := "p:" + who.account + ":" + who.client + ":" + win
	if err := s.count(ctx, pair, end, p.PairAttempts); err != nil {
		return nil, err
	}
	keys := []string{pair}
	if !who.known {
		acct := "a:" + who.account + ":" + win
		if err := s.count(ctx, acct, end, p.AccountAttempts); err != nil {
			return nil, err
		}
		keys = append(keys, acct)
	}
	return keys, nil
}

// count adds an attempt under key and refuses it beyond limit.
func (s *Service) count(ctx context.Context, key string, end time.Time, limit int) error {
	n, err := s.Store.CountAttempt(ctx, key, end)
	if err != nil {
		return err
	}
	if n > limit {
		return ErrLocked
	}
	return nil
}

// window names the fixed window that contains now and says when it ends.
func window(now time.Time, d time.Duration) (string, time.Time) {
	i := now.UnixNano() / int64(d)
	return strconv.FormatInt(i, 36), time.Unix(0, (i+1)*int64(d))
}

// verify checks the password of account id, in a check slot. An unknown
// account is checked against a dummy hash, so that it takes as long.
func (s *Service) verify(ctx context.Context, id, password string) (*consulta.User, error) {
	u, err := s.Store.User(ctx, id)
	if err != nil && consulta.ErrorCode(err) != consulta.ENOTFOUND {
		return nil, err
	}
	if err := s.checkPassword(ctx, u, password); err != nil {
		return nil, err
	}
	return u, nil
}

// checkPassword checks password against u's hash (the dummy hash when u is
// nil) in a slot of the check limiter; a disabled account never passes.
func (s *Service) checkPassword(ctx context.Context, u *consulta.User, password string) error {
	release, err := s.Checks.acquire(ctx)
	if err != nil {
		return err
	}
	defer release()
	hash := dummyHash
	if u != nil {
		hash = u.PasswordHash
	}
	if !CheckPassword(hash, password) || u == nil || u.Disabled {
		return ErrBadCredentials
	}
	return nil
}

func (s *Service) startSession(ctx context.Context, u *consulta.User, now time.Time) (*Session, error) {
	token := randomToken()
	ls := &consulta.LoginSession{ID: tokenID(token), UserID: u.ID, CSRF: randomToken(),
		CreatedAt: now, ExpiresAt: s.expiry(now, now)}
	if err := s.Store.CreateLoginSession(ctx, ls); err != nil {
		return nil, err
	}
	// Shown on the accounts page, so that unused accounts can be found.
	if err := s.Store.SetLastLogin(ctx, u.ID, now); err != nil {
		return nil, err
	}
	u.LastLoginAt = now
	return &Session{User: u, Login: ls, Token: token}, nil
}

// expiry is when a session created at created and last used at now ends:
// SessionIdle after now, and never later than SessionMax after created.
func (s *Service) expiry(created, now time.Time) time.Time {
	p := s.policy()
	end := now.Add(p.SessionIdle)
	if limit := created.Add(p.SessionMax); end.After(limit) {
		return limit
	}
	return end
}

// Authenticate returns the session of a cookie token, or EUNAUTHORIZED when it
// is unknown, expired (idle or too old), or its account is disabled. A used
// session's idle deadline moves forward.
func (s *Service) Authenticate(ctx context.Context, token string) (*Session, error) {
	if token == "" || len(token) > 100 {
		return nil, consulta.Errorf(consulta.EUNAUTHORIZED, "no session")
	}
	ls, err := s.Store.LoginSession(ctx, tokenID(token))
	if consulta.ErrorCode(err) == consulta.ENOTFOUND {
		return nil, consulta.Errorf(consulta.EUNAUTHORIZED, "unknown session")
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	if !now.Before(ls.ExpiresAt) {
		_ = s.Store.DeleteLoginSession(ctx, ls.ID)
		return nil, consulta.Errorf(consulta.EUNAUTHORIZED, "session expired")
	}
	u, err := s.Store.User(ctx, ls.UserID)
	if consulta.ErrorCode(err) == consulta.ENOTFOUND || (err == nil && u.Disabled) {
		return nil, consulta.Errorf(consulta.EUNAUTHORIZED, "account gone or disabled")
	}
	if err != nil {
		return nil, err
	}
	if err := s.touch(ctx, ls, now); err != nil {
		return nil, err
	}
	return &Session{User: u, Login: ls, Token: token}, nil
}

// touchEvery is how stale an idle deadline may get before a request moves it:
// one write a minute per active session rather than one per request (a tenth
// of the idle timeout when that is shorter).
const touchEvery = time.Minute

// touch moves ls's idle deadline to now + SessionIdle (capped by SessionMax).
func (s *Service) touch(ctx context.Context, ls *consulta.LoginSession, now time.Time) error {
	next := s.expiry(ls.CreatedAt, now)
	if next.Sub(ls.ExpiresAt) < min(touchEvery, s.policy().SessionIdle/10) {
		return nil
	}
	if err := s.Store.SetLoginSessionExpiry(ctx, ls.ID, next); err != nil {
		return err
	}
	ls.ExpiresAt = next
	return nil
}

// Logout ends the session of a cookie token.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.Store.DeleteLoginSession(ctx, tokenID(token))
}

// ChangePassword replaces the password of sess's user after checking the
// current one, and signs out the user's other sessions. Guesses of the
// current password count against the session like logins do: beyond
// PasswordChangeAttempts per window it returns ErrLocked without checking.
// A wrong current password is the field error current/wrong_password.
func (s *Service) ChangePassword(ctx context.Context, sess *Session, current, next string) error {
	if err := CheckNewPassword(next, sess.User.ID); err != nil {
		return err
	}
	p, now := s.policy(), s.now()
	win, end := window(now, p.Window)
	key := "c:" + s.hash("session", sess.Login.ID) + ":" + win
	if err := s.count(ctx, key, end, p.PasswordChangeAttempts); err != nil {
		return err
	}
	switch err := s.checkPassword(ctx, sess.User, current); {
	case errors.Is(err, ErrBadCredentials):
		return fieldError("current", "wrong_password")
	case err != nil:
		return err
	}
	if err := s.Store.SetPasswordHash(ctx, sess.User.ID, HashPassword(next), now); err != nil {
		return err
	}
	_ = s.Store.ClearAttempts(ctx, key)
	_, err := s.Store.DeleteUserLoginSessions(ctx, sess.User.ID, sess.Login.ID)
	return err
}

// SetPassword replaces another user's password (a reset by an admin, or an
// operator), applying the password rules, and signs that user out everywhere.
func (s *Service) SetPassword(ctx context.Context, id, password string) error {
	if err := CheckNewPassword(password, id); err != nil {
		return err
	}
	if err := s.Store.SetPasswordHash(ctx, id, HashPassword(password), s.now()); err != nil {
		return err
	}
	_, err := s.Store.DeleteUserLoginSessions(ctx, id, "")
	return err
}

// UseLoginForm records that the login form with this nonce was posted, and
// reports whether it was the first time: each form may be used once.
func (s *Service) UseLoginForm(ctx context.Context, nonce string, ttl time.Duration) (bool, error) {
	return s.Store.FirstUse(ctx, "n:"+s.hash("nonce", nonce), s.now().Add(ttl))
}

// DeleteExpired removes the attempt records and used login forms that
// expired before now (the hourly cleanup).
func (s *Service) DeleteExpired(ctx context.Context, now time.Time) (int64, error) {
	return s.Store.DeleteExpiredAttempts(ctx, now)
}

// ValidCSRF reports whether token is sess's anti-forgery token.
func ValidCSRF(sess *Session, token string) bool {
	return sess != nil && token != "" && sameSecret([]byte(token), []byte(sess.Login.CSRF))
}

// randomToken returns 32 random bytes, URL-safe base64.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// tokenID is the store's key of a token: its SHA-256, so that a leaked
// database holds no usable cookie.
func tokenID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// IsLocked reports whether err is ErrLocked.
func IsLocked(err error) bool { return errors.Is(err, ErrLocked) }

// IsBusy reports whether err is ErrBusy.
func IsBusy(err error) bool { return errors.Is(err, ErrBusy) }
