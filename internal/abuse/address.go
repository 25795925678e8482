package abuse

import (
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"sync"
	"time"
)

// addressHasher turns an IP address into a limiter key: the HMAC-SHA256 of
// the address under a key that changes every rotation period. The key of a
// period is derived from the app's secret and the period's number, so every
// replica computes the same one without sharing state, and it is dropped when
// the period ends. Nothing that hashes an address is ever written anywhere.
type addressHasher struct {
	secret   string
	rotation time.Duration

	mu     sync.Mutex
	period int64
	cur    *macPool // MACs under the key of period
}

func newAddressHasher(secret string, rotation time.Duration) *addressHasher {
	return &addressHasher{secret: secret, rotation: rotation, period: -1}
}

// key returns the limiter key of address at time now (22 characters).
func (h *addressHasher) key(address string, now time.Time) string {
	var sum [sha256.Size]byte
	mac := h.macsAt(now).sum(sum[:0], address, false, nil)
	return base64.RawURLEncoding.EncodeToString(mac[:16])
}

// macsAt returns the MACs under the hashing key of the period that contains now.
func (h *addressHasher) macsAt(now time.Time) *macPool {
	period := now.UnixNano() / int64(h.rotation)
	h.mu.Lock()
	defer h.mu.Unlock()
	if period != h.period {
		h.period = period
		h.cur = newMACPool(derive(h.secret, "consulta/abuse/address/"+strconv.FormatInt(period, 10)))
	}
	return h.cur
}
