package abuse

import (
	"crypto/hmac"
	"crypto/sha256"
	"hash"
	"sync"
)

// macPool reuses HMAC-SHA256 states of one key. A fresh state hashes the key
// twice (its inner and outer pads) and allocates both SHA-256 states; a page
// load's token needs a MAC, and those costs, with the address key's MAC of
// the time, were a tenth of serving a cached form page (docs/performance.md).
// hmac's Reset returns a used state to its keyed start without hashing the
// key again.
type macPool struct {
	pool sync.Pool // of *macState
}

// macState is one keyed HMAC state with scratch space for its input and
// output: through the hash.Hash interface a caller's buffers would escape to
// the heap on every call.
type macState struct {
	h   hash.Hash
	in  []byte
	out [sha256.Size]byte
}

func newMACPool(key []byte) *macPool {
	p := &macPool{}
	p.pool.New = func() any { return &macState{h: hmac.New(sha256.New, key), in: make([]byte, 0, 64)} }
	return p
}

// sum appends to dst the MAC of a, then a zero byte when sep is set, then b.
func (p *macPool) sum(dst []byte, a string, sep bool, b []byte) []byte {
	st := p.pool.Get().(*macState)
	st.h.Reset()
	st.in = append(st.in[:0], a...)
	if sep {
		st.in = append(st.in, 0)
	}
	st.in = append(st.in, b...)
	st.h.Write(st.in)
	dst = append(dst, st.h.Sum(st.out[:0])...)
	p.pool.Put(st)
	return dst
}
