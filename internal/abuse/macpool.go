package abuse

import (
	"crypto/hmac"
	"crypto/sha256"
	"hash"
	"sync"
)

// macPool reuses HMAC-SHA256 states of one key. A fresh state hashes the key
// twice (its inner and outer pads) and allocates both SHA-256 states; a page
// load needs two MACs (its token and its address's limiter key), and those
// costs were a tenth of serving a cached form page (docs/performance.md).
// hmac's Reset returns a used state to its keyed start without hashing the
// key again.
type macPool struct {
	pool sync.Pool
}

func newMACPool(key []byte) *macPool {
	p := &macPool{}
	p.pool.New = func() any { return hmac.New(sha256.New, key) }
	return p
}

// sum appends to dst the MAC of a, then a zero byte when sep is set, then b.
func (p *macPool) sum(dst []byte, a string, sep bool, b []byte) []byte {
	h := p.pool.Get().(hash.Hash)
	h.Reset()
	var buf [64]byte
	h.Write(append(buf[:0], a...))
	if sep {
		h.Write([]byte{0})
	}
	h.Write(b)
	dst = h.Sum(dst)
	p.pool.Put(h)
	return dst
}
