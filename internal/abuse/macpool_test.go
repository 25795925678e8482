package abuse

import (
	"crypto/hmac"
	"crypto/sha256"
	"strconv"
	"sync"
	"testing"
)

// TestPooledMACsMatchFreshOnes: reused HMAC states give the MACs a fresh
// state gives, also when many goroutines share the pool, so tokens stay the
// same on every replica and across versions.
func TestPooledMACsMatchFreshOnes(t *testing.T) {
	const secret = "0123456789abcdef0123456789abcdef"
	g := New(Config{Secret: secret, RateLimit: 30})
	fresh := func(key []byte, parts ...[]byte) []byte {
		m := hmac.New(sha256.New, key)
		for _, p := range parts {
			m.Write(p)
		}
		return m.Sum(nil)
	}
	tokenKey := derive(secret, "consulta/abuse/token/v1")
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				form, body := "form-"+strconv.Itoa(w), []byte(strconv.Itoa(i))
				if got, want := g.mac(form, body), fresh(tokenKey, []byte(form), []byte{0}, body)[:macLen]; !hmac.Equal(got, want) {
					t.Errorf("token MAC %x, want %x", got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}
