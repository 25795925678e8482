package auth

import (
	"testing"

	"github.com/consulta/consulta/internal/consulta"
)

// TestValidCSRF: only the session's own token passes; a prefix of it, the
// token with a byte more, another token of the same length, an empty one and
// a missing session do not.
func TestValidCSRF(t *testing.T) {
	const token = "3q2-7wABEjRWeJq83v8AESIzRFVmd4iZqrvM3e7_AAA"
	sess := &Session{Login: &consulta.LoginSession{CSRF: token}}
	for _, tc := range []struct {
		name, got string
		sess      *Session
		want      bool
	}{
		{"its own token", token, sess, true},
		{"a prefix", token[:len(token)-1], sess, false},
		{"one byte more", token + "A", sess, false},
		{"the last byte differs", token[:len(token)-1] + "B", sess, false},
		{"empty", "", sess, false},
		{"empty against an empty token", "", &Session{Login: &consulta.LoginSession{}}, false},
		{"no session", token, nil, false},
	} {
		if got := ValidCSRF(tc.sess, tc.got); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
