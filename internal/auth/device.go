package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// A device token is what a browser keeps after signing in to an account:
// "nonce.expiry.mac", where mac is a keyed hash of the account, nonce and
// expiry. Presenting it on a later login for that account exempts the
// attempt from the account-wide limit (and from the address limit): an
// attacker who floods the account from elsewhere cannot lock its owner out
// of a browser the owner used before. (OWASP, "Slow Down Online Guessing
// Attacks with Device Cookies".) The browser gets its own per-device lock.

// newDevice returns a device token for account id valid until expires.
func (s *Service) newDevice(id string, expires time.Time) string {
	nonce := randomToken()[:22]
	exp := strconv.FormatInt(expires.Unix(), 10)
	return nonce + "." + exp + "." + s.deviceMAC(id, nonce, exp)
}

// deviceKey returns the lock key of a valid, unexpired device token for
// account id.
func (s *Service) deviceKey(token, id string, now time.Time) (string, bool) {
	if token == "" || len(token) > 200 {
		return "", false
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", false
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || !now.Before(time.Unix(exp, 0)) {
		return "", false
	}
	if !sameSecret([]byte(parts[2]), []byte(s.deviceMAC(id, parts[0], parts[1]))) {
		return "", false
	}
	return "d" + s.hash("device", parts[0]), true
}

func (s *Service) deviceMAC(id, nonce, exp string) string {
	m := hmac.New(sha256.New, s.Secret)
	m.Write([]byte("device\x00" + id + "\x00" + nonce + "\x00" + exp))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// hash is a keyed hash of value in a domain: what the attempt records and the
// audit log keep instead of e-mails, addresses and tokens.
func (s *Service) hash(domain, value string) string {
	m := hmac.New(sha256.New, s.Secret)
	m.Write([]byte("consulta/auth/" + domain + "\x00" + value))
	return hex.EncodeToString(m.Sum(nil)[:12])
}

// EmailHash is the keyed hash of an e-mail as typed (normalized), which the
// audit log keeps for failed logins instead of the text: the same e-mail
// always gives the same hash, so repeated attempts can be followed without
// keeping what was typed (a mistyped password, someone else's address).
func (s *Service) EmailHash(email string) string {
	return "#" + s.hash("email", NormalizeEmail(email))
}
