package auth

import "testing"

func TestLoginCSRF(t *testing.T) {
	server := LoginCSRF{Key: []byte("server secret, long enough to matter")}
	other := LoginCSRF{Key: []byte("another server's secret")}
	nonce, token := server.New()
	otherNonce, otherToken := server.New()
	for _, tc := range []struct {
		name, nonce, token string
		want               bool
	}{
		{"the pair issued together", nonce, token, true},
		{"the token recomputed from the nonce", nonce, server.Token(nonce), true},
		{"another browser's token", nonce, otherToken, false},
		{"a token for another nonce", otherNonce, token, false},
		{"a token made with another key", nonce, other.Token(nonce), false},
		{"no cookie", "", token, false},
		{"no token", nonce, "", false},
		{"the nonce as the token", nonce, nonce, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := server.Valid(tc.nonce, tc.token); got != tc.want {
				t.Errorf("Valid = %v, want %v", got, tc.want)
			}
		})
	}
	if nonce == otherNonce {
		t.Error("two nonces are equal")
	}
}
