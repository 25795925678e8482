package locale

import (
	"crypto/sha1"
	"encoding/hex"

	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// Hash returns what a translation of the Spanish text records in its "hash"
// key: "sha1-" and the hex SHA-1 of the text. SHA-1 is used as a fingerprint of
// the source, not for security. For a plural Spanish message, hash its "other"
// form (see sourceHash).
func Hash(spanish string) string {
	sum := sha1.Sum([]byte(spanish))
	return "sha1-" + hex.EncodeToString(sum[:])
}

// sourceHash is the hash of a Spanish message: of its "other" form, the one
// every message has, so that plain and plural sources follow one rule.
func sourceHash(m *i18n.Message) string { return Hash(m.Other) }
