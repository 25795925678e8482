package abuse

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"time"
)

// A page-load token is issued with every form page and sent back with its
// submission (the hidden field "_t", or the Consulta-Token header of the JSON
// API). It carries no personal data: a version, the time the page was
// rendered, a random nonce that names this page load as a rate-limit client,
// and a MAC binding both to the form, so that it can be neither forged nor
// moved to another form:
//
//	version(1) | issued unix ms(8) | nonce(8) | HMAC-SHA256(...)[:16]
//
// in unpadded base64url: 44 characters.
const (
	tokenVersion = 1
	nonceLen     = 8
	macLen       = 16
	tokenLen     = 1 + 8 + nonceLen + macLen
)

// IssueToken returns a fresh page-load token for a page of form formID.
func (g *Guard) IssueToken(formID string) string {
	var b [tokenLen]byte
	b[0] = tokenVersion
	binary.BigEndian.PutUint64(b[1:9], uint64(g.cfg.Now().UnixMilli()))
	_, _ = rand.Read(b[9 : 9+nonceLen])
	copy(b[9+nonceLen:], g.mac(formID, b[:9+nonceLen]))
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// ValidToken reports whether token is a genuine token of form formID, so that
// a page shown again after a refused submission can keep it (and the time
// its person started).
func (g *Guard) ValidToken(formID, token string) bool {
	_, _, ok := g.verify(formID, token)
	return ok
}

// verify checks a token and returns its issue time and nonce.
func (g *Guard) verify(formID, token string) (time.Time, string, bool) {
	if len(token) != base64.RawURLEncoding.EncodedLen(tokenLen) {
		return time.Time{}, "", false
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != tokenLen || b[0] != tokenVersion {
		return time.Time{}, "", false
	}
	if !hmac.Equal(b[9+nonceLen:], g.mac(formID, b[:9+nonceLen])) {
		return time.Time{}, "", false
	}
	issued := time.UnixMilli(int64(binary.BigEndian.Uint64(b[1:9])))
	return issued, base64.RawURLEncoding.EncodeToString(b[9 : 9+nonceLen]), true
}

func (g *Guard) mac(formID string, body []byte) []byte {
	h := hmac.New(sha256.New, g.tokenKey)
	h.Write([]byte(formID))
	h.Write([]byte{0})
	h.Write(body)
	return h.Sum(nil)[:macLen]
}

// derive returns a key for one purpose from the app's secret, so that a token
// key never doubles as an address-hashing key.
func derive(secret, purpose string) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(purpose))
	return h.Sum(nil)
}
