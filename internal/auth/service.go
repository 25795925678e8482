package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/mail"
	"strings"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/store"
)

// Defaults of Service.
const (
	DefaultSessionTTL  = 12 * time.Hour
	DefaultMaxFailures = 5
	DefaultLockFor     = 15 * time.Minute
)

// Login outcomes that the login page tells apart. Both are EUNAUTHORIZED; the
// page never says whether the e-mail exists.
var (
	ErrBadCredentials = &consulta.Error{Code: consulta.EUNAUTHORIZED, Message: "wrong e-mail or password"}
	ErrLocked         = &consulta.Error{Code: consulta.EUNAUTHORIZED, Message: "too many failed logins: try again later"}
)

// Service signs people in and out and manages accounts.
type Service struct {
	Store *store.Store
	Now   func() time.Time
	// SessionTTL is how long a login lasts (DefaultSessionTTL when 0).
	SessionTTL time.Duration
	// MaxFailures failed logins in a row lock an account for LockFor.
	MaxFailures int
	LockFor     time.Duration
	// Throttle limits failed logins per client (nil: no per-client limit).
	Throttle *Throttle
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) ttl() time.Duration {
	if s.SessionTTL > 0 {
		return s.SessionTTL
	}
	return DefaultSessionTTL
}

// NormalizeEmail lower-cases and trims an e-mail address: the account ID.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// NewUser is what AddUser needs.
type NewUser struct {
	Email, Name, Role, Org, Password string
}

// AddUser creates an account after checking its fields; ECONFLICT when the
// e-mail is taken.
func (s *Service) AddUser(ctx context.Context, nu NewUser) (*store.User, error) {
	email := NormalizeEmail(nu.Email)
	if _, err := mail.ParseAddress(email); err != nil || strings.ContainsAny(email, "<> ") {
		return nil, fieldError("email", "invalid_email")
	}
	if err := checkAccess(nu.Role, nu.Org); err != nil {
		return nil, err
	}
	if len([]rune(nu.Password)) < MinPasswordLength {
		return nil, fieldError("password", "password_short")
	}
	now := s.now()
	u := &store.User{ID: email, Name: strings.TrimSpace(nu.Name), Role: nu.Role, Org: strings.TrimSpace(nu.Org),
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
	User  *store.User
	Login *store.LoginSession
	Token string // only known right after Login
}

// Login checks an e-mail and password. client identifies the requester for
// throttling (a keyed hash, never the raw IP). It returns ErrLocked while the
// account or client is locked out and ErrBadCredentials on any mismatch.
func (s *Service) Login(ctx context.Context, email, password, client string) (*Session, error) {
	now := s.now()
	if s.Throttle != nil && !s.Throttle.Allow(client, now) {
		return nil, ErrLocked
	}
	id := NormalizeEmail(email)
	u, err := s.Store.User(ctx, id)
	if consulta.ErrorCode(err) == consulta.ENOTFOUND {
		CheckPassword(dummyHash, password) // same time as a real check
		s.failed(client, now)
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, err
	}
	if now.Before(u.LockedUntil) {
		return nil, ErrLocked
	}
	if !CheckPassword(u.PasswordHash, password) || u.Disabled {
		s.failed(client, now)
		until, err := s.Store.RecordLoginFailure(ctx, id, s.maxFailures(), s.lockFor(), now)
		if err != nil {
			return nil, err
		}
		if !until.IsZero() {
			return nil, ErrLocked
		}
		return nil, ErrBadCredentials
	}
	if u.FailedLogins > 0 {
		if err := s.Store.ClearLoginFailures(ctx, id); err != nil {
			return nil, err
		}
	}
	return s.startSession(ctx, u, now)
}

func (s *Service) failed(client string, now time.Time) {
	if s.Throttle != nil {
		s.Throttle.Fail(client, now)
	}
}

func (s *Service) maxFailures() int {
	if s.MaxFailures > 0 {
		return s.MaxFailures
	}
	return DefaultMaxFailures
}

func (s *Service) lockFor() time.Duration {
	if s.LockFor > 0 {
		return s.LockFor
	}
	return DefaultLockFor
}

func (s *Service) startSession(ctx context.Context, u *store.User, now time.Time) (*Session, error) {
	token := randomToken()
	ls := &store.LoginSession{ID: tokenID(token), UserID: u.ID, CSRF: randomToken(),
		CreatedAt: now, ExpiresAt: now.Add(s.ttl())}
	if err := s.Store.CreateLoginSession(ctx, ls); err != nil {
		return nil, err
	}
	return &Session{User: u, Login: ls, Token: token}, nil
}

// Authenticate returns the session of a cookie token, or EUNAUTHORIZED when it
// is unknown, expired, or its account is disabled.
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
	if !s.now().Before(ls.ExpiresAt) {
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
	return &Session{User: u, Login: ls, Token: token}, nil
}

// Logout ends the session of a cookie token.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.Store.DeleteLoginSession(ctx, tokenID(token))
}

// ChangePassword replaces the password of sess's user after checking the
// current one, and signs out the user's other sessions.
func (s *Service) ChangePassword(ctx context.Context, sess *Session, current, next string) error {
	if !CheckPassword(sess.User.PasswordHash, current) {
		return fieldError("current", "wrong_password")
	}
	if len([]rune(next)) < MinPasswordLength {
		return fieldError("password", "password_short")
	}
	if err := s.Store.SetPasswordHash(ctx, sess.User.ID, HashPassword(next), s.now()); err != nil {
		return err
	}
	_, err := s.Store.DeleteUserLoginSessions(ctx, sess.User.ID, sess.Login.ID)
	return err
}

// SetPassword replaces a user's password (the command line's user add on an
// existing account is refused; this is for resets by an operator).
func (s *Service) SetPassword(ctx context.Context, id, password string) error {
	if len([]rune(password)) < MinPasswordLength {
		return fieldError("password", "password_short")
	}
	return s.Store.SetPasswordHash(ctx, id, HashPassword(password), s.now())
}

// ValidCSRF reports whether token is sess's anti-forgery token.
func ValidCSRF(sess *Session, token string) bool {
	return sess != nil && token != "" && len(token) == len(sess.Login.CSRF) &&
		constantEqual(token, sess.Login.CSRF)
}

func constantEqual(a, b string) bool {
	var v byte
	for i := 0; i < len(a); i++ {
		v |= a[i] ^ b[i]
	}
	return v == 0
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
