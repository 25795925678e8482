package auth

import "crypto/subtle"

// sameSecret reports whether a and b are equal in a time that depends on
// their lengths only, not on where they first differ, so that an attacker
// cannot guess a secret byte by byte from response times. Every comparison
// of a secret in this package (password hashes, CSRF tokens, MACs) uses it.
func sameSecret(a, b []byte) bool { return subtle.ConstantTimeCompare(a, b) == 1 }
