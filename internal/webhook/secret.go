package webhook

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
)

// secretPrefix starts every endpoint secret, so that one pasted in the
// wrong place is recognised.
const secretPrefix = "whsec_"

// newSecret returns a fresh endpoint secret: 32 random bytes.
func newSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return secretPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// sealer keeps endpoint secrets sealed in the store (AES-256-GCM, with a
// key derived from CONSULTA_SECRET_KEY): a copy of the database alone does
// not give them away. The service needs them back to sign.
type sealer struct{ aead cipher.AEAD }

func newSealer(serviceSecret string) (sealer, error) {
	if len(serviceSecret) < 16 {
		return sealer{}, errors.New("webhook: the service's secret key is required")
	}
	mac := hmac.New(sha256.New, []byte(serviceSecret))
	mac.Write([]byte("consulta webhook endpoint secrets v1"))
	block, err := aes.NewCipher(mac.Sum(nil))
	if err != nil {
		return sealer{}, err
	}
	aead, err := cipher.NewGCM(block)
	return sealer{aead}, err
}

// seal returns the secret sealed, as text.
func (s sealer) seal(secret, endpointID string) string {
	nonce := make([]byte, s.aead.NonceSize())
	_, _ = rand.Read(nonce)
	out := s.aead.Seal(nonce, nonce, []byte(secret), []byte(endpointID))
	return "v1:" + base64.RawStdEncoding.EncodeToString(out)
}

// errUnseal means the secret cannot be opened: CONSULTA_SECRET_KEY changed.
var errUnseal = errors.New("webhook: the endpoint's secret cannot be opened (was CONSULTA_SECRET_KEY changed? make a new secret)")

// open returns a sealed secret.
func (s sealer) open(sealed, endpointID string) (string, error) {
	raw, err := base64.RawStdEncoding.DecodeString(strings.TrimPrefix(sealed, "v1:"))
	if err != nil || len(raw) < s.aead.NonceSize() {
		return "", errUnseal
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], []byte(endpointID))
	if err != nil {
		return "", errUnseal
	}
	return string(plain), nil
}
