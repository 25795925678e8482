package auth

import "testing"

func TestPasswordHash(t *testing.T) {
	h := HashPassword("correct horse battery")
	for _, tc := range []struct {
		name, hash, password string
		want                 bool
	}{
		{"right password", h, "correct horse battery", true},
		{"wrong password", h, "correct horse batterY", false},
		{"empty password", h, "", false},
		{"malformed hash", "$argon2id$v=19$m=1", "correct horse battery", false},
		{"dummy hash", dummyHash, "anything", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := CheckPassword(tc.hash, tc.password); got != tc.want {
				t.Errorf("CheckPassword = %v, want %v", got, tc.want)
			}
		})
	}
	if first, second := HashPassword("x"), HashPassword("x"); first == second {
		t.Error("two hashes of one password are equal: no salt")
	}
}
