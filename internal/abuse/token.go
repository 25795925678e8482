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
// rendered, a random nonce that names this page load, and a MAC binding both
// to the form, so that it can be neither forged nor moved to another form:
//
//	version(1) | issued unix ms(8) | nonce(8) | HMAC-SHA256(...)[:16]
//
// in unpadded base64url: 44 characters.
//
// A token is good for one response: the page load's idempotency key is
// derived from it (KeyOf), and a submission with a genuine token is stored
// under that key whatever key it names. The response's ID comes from the key
// and the store's _id is unique, so a token replayed any number of times, on
// any replica, stores one response: replays with the same answers are
// acknowledged as that response, others are conflicts. No record of used
// tokens is needed.
const (
	tokenVersion = 1
	nonceLen     = 8
	macLen       = 16
	bodyLen      = 1 + 8 + nonceLen
	tokenLen     = bodyLen + macLen
	// keyPrefix marks the idempotency keys derived from tokens.
	keyPrefix = "p."
	// encodedTokenLen and encodedBodyLen are the lengths in unpadded base64.
	encodedTokenLen = (tokenLen*8 + 5) / 6
	encodedBodyLen  = (bodyLen*8 + 5) / 6
)

// token is a decoded page-load token. Its bytes are an array, so that
// decoding one (every form page does, for its key) allocates nothing.
type token struct {
	issued time.Time
	raw    [tokenLen]byte
}

// body is what the MAC covers: version, issue time and nonce.
func (t *token) body() []byte { return t.raw[:bodyLen] }

// nonce names the page load as a rate-limit client.
func (t *token) nonce() string { return base64.RawURLEncoding.EncodeToString(t.raw[9:bodyLen]) }

// key is the page load's idempotency key.
func (t *token) key() string {
	var key [len(keyPrefix) + encodedBodyLen]byte
	copy(key[:], keyPrefix)
	base64.RawURLEncoding.Encode(key[len(keyPrefix):], t.body())
	return string(key[:])
}

// IssueToken returns a fresh page-load token for a page of form formID.
func (g *Guard) IssueToken(formID string) string {
	var b [tokenLen]byte
	b[0] = tokenVersion
	binary.BigEndian.PutUint64(b[1:9], uint64(g.cfg.Now().UnixMilli()))
	_, _ = rand.Read(b[9:bodyLen])
	copy(b[bodyLen:], g.mac(formID, b[:bodyLen]))
	var out [encodedTokenLen]byte
	base64.RawURLEncoding.Encode(out[:], b[:])
	return string(out[:])
}

// KeyOf returns the idempotency key of the page load that a token issued
// by IssueToken names ("" for anything else): the form page sends it as its
// key, so that a retry without the token still names the same response.
func KeyOf(tok string) string {
	t, ok := decode(tok)
	if !ok {
		return ""
	}
	return t.key()
}

// ValidToken reports whether token is a genuine, unexpired token of form
// formID, so that a page shown again after a refused submission can keep it
// (and the time its person started).
func (g *Guard) ValidToken(formID, token string) bool {
	t, ok := g.verify(formID, token)
	return ok && !g.expired(g.cfg.Now().Sub(t.issued))
}

// verify checks a token's MAC and decodes it.
func (g *Guard) verify(formID, tok string) (token, bool) {
	t, ok := decode(tok)
	if !ok {
		return token{}, false
	}
	if !hmac.Equal(t.raw[bodyLen:], g.mac(formID, t.body())) {
		return token{}, false
	}
	return t, true
}

// decode reads a token's fields without checking its MAC.
func decode(tok string) (token, bool) {
	var t token
	var src [encodedTokenLen]byte
	if len(tok) != len(src) {
		return token{}, false
	}
	copy(src[:], tok)
	if n, err := base64.RawURLEncoding.Decode(t.raw[:], src[:]); err != nil || n != tokenLen || t.raw[0] != tokenVersion {
		return token{}, false
	}
	t.issued = time.UnixMilli(int64(binary.BigEndian.Uint64(t.raw[1:9])))
	return t, true
}

func (g *Guard) mac(formID string, body []byte) []byte {
	var sum [sha256.Size]byte
	return g.tokenMACs.sum(sum[:0], formID, true, body)[:macLen]
}

// derive returns a key for one purpose from the app's secret, so that a token
// key never doubles as an address-hashing key.
func derive(secret, purpose string) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(purpose))
	return h.Sum(nil)
}
