package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
)

// LoginCSRF issues and checks the anti-forgery token of the login form.
// Before signing in there is no session to bind a token to, so the form
// carries a keyed hash of a random nonce that the browser keeps in a cookie
// (a signed double-submit cookie). A cross-site page can make a browser post
// the login form, but can neither read the cookie nor compute the hash, so it
// cannot sign a victim into the attacker's account (login CSRF).
type LoginCSRF struct {
	// Key is the server's secret; replicas that share it accept each other's forms.
	Key []byte
}

// New returns a fresh nonce for the cookie and the token for the form.
func (l LoginCSRF) New() (nonce, token string) {
	nonce = randomToken()
	return nonce, l.Token(nonce)
}

// Token is the form token of nonce ("" for an empty nonce).
func (l LoginCSRF) Token(nonce string) string {
	if nonce == "" {
		return ""
	}
	m := hmac.New(sha256.New, l.Key)
	m.Write([]byte("login-csrf\x00" + nonce))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Valid reports whether token was issued for nonce.
func (l LoginCSRF) Valid(nonce, token string) bool {
	if nonce == "" || token == "" || len(nonce) > 100 {
		return false
	}
	return sameSecret([]byte(token), []byte(l.Token(nonce)))
}
