// Package auth holds workspace accounts' security: argon2id password hashes,
// roles and what each may do, server-side login sessions with their CSRF
// tokens, and throttling of failed logins. It knows nothing about HTTP: the
// workspace package turns its answers into cookies, redirects and statuses.
package auth

import (
	"crypto/rand"
	_ "embed"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters: OWASP's 2023 minimum (19 MiB, 2 passes, 1 lane), chosen
// for small servers shared with the form intake. They are stored in every hash,
// so raising them later keeps older hashes verifiable.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// MinPasswordLength is the shortest password accepted (ASVS 2.1.1).
const MinPasswordLength = 12

// commonPasswords lists the 10,000 most common passwords, lower case, one a
// line after a comment header (see the file for where it comes from).
//
//go:embed common_passwords.txt
var commonPasswords string

// CheckNewPassword applies the password rules to a password chosen for the
// account email: at least MinPasswordLength characters, not one of the
// 10,000 most common passwords (ignoring case), not the e-mail itself. The
// error is a field error on "password" (password_short, password_common).
func CheckNewPassword(password, email string) error {
	if len([]rune(password)) < MinPasswordLength {
		return fieldError("password", "password_short")
	}
	lower := strings.ToLower(password)
	if isCommon(lower) || (email != "" && strings.Contains(lower, NormalizeEmail(email))) {
		return fieldError("password", "password_common")
	}
	return nil
}

// isCommon reports whether the lower-case password is on the list. A scan of
// 90 KB is cheap next to the argon2 hash that follows it, and keeps no state.
func isCommon(lower string) bool {
	if strings.ContainsAny(lower, "\n\r") {
		return false
	}
	return strings.Contains(commonPasswords, "\n"+lower+"\n")
}

// HashPassword returns the argon2id hash of password in the PHC string format
// ($argon2id$v=19$m=...,t=...,p=...$salt$key).
func HashPassword(password string) string {
	salt := make([]byte, saltLen)
	_, _ = rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// CheckPassword reports whether password matches hash, in constant time.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	var memory, passes uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &threads); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, passes, memory, threads, uint32(len(want)))
	return sameSecret(got, want)
}

// dummyHash is checked against when the account does not exist, so that a
// failed login takes as long whether or not the e-mail is known.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3QjS4dxE0h+DM5X+f8cjkS3qYXFSvT/qsK3n2pHcxNM"
