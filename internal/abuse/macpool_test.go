package abuse

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"sync"
	"testing"
	"time"
)

// TestPooledMACsMatchFreshOnes: reused HMAC states give the MACs a fresh
// state gives, also when many goroutines share the pool, so tokens and
// address keys stay the same on every replica and across versions.
func TestPooledMACsMatchFreshOnes(t *testing.T) {
	const secret = "0123456789abcdef0123456789abcdef"
	g := New(Config{Secret: secret, RateLimit: 30})
	now := time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC)
	fresh := func(key []byte, parts ...[]byte) []byte {
		m := hmac.New(sha256.New, key)
		for _, p := range parts {
			m.Write(p)
		}
		return m.Sum(nil)
	}
	tokenKey := derive(secret, "consulta/abuse/token/v1")
	addressKey := derive(secret, "consulta/abuse/address/"+strconv.FormatInt(now.UnixNano()/int64(DefaultRotation), 10))
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
				addr := "10.0." + strconv.Itoa(w) + "." + strconv.Itoa(i%250)
				want := base64.RawURLEncoding.EncodeToString(fresh(addressKey, []byte(addr))[:16])
				if got := g.hasher.key(addr, now); got != want {
					t.Errorf("address key %s, want %s", got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}
