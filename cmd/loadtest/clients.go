package main

import (
	"encoding/binary"
	"math/rand/v2"
	"net/netip"

	"github.com/valyala/fasthttp"
)

// clients makes requests look like a crowd of people behind a reverse proxy, as
// in production: each request names one of n client addresses in
// X-Forwarded-For (the server must trust 127.0.0.1 as its proxy), so that the
// rate limits stay on and charge each person, not the load tool's one address.
// Browsers' Accept-Encoding is sent with every request, so that pages are
// served compressed, as to every real visitor.
type clients struct {
	n        int    // distinct addresses; 0 sends no X-Forwarded-For
	encoding string // Accept-Encoding; "" sends none
}

// dress adds the headers of one person's request.
func (c clients) dress(req *fasthttp.Request) {
	if c.encoding != "" {
		req.Header.Set(fasthttp.HeaderAcceptEncoding, c.encoding)
	}
	if c.n > 0 {
		req.Header.Set(fasthttp.HeaderXForwardedFor, c.address(rand.IntN(c.n)).String())
	}
}

// address is the i-th client address, in 10.0.0.0/8 from 10.0.0.1.
func (c clients) address(i int) netip.Addr {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], 10<<24|uint32(i+1)&0xffffff)
	return netip.AddrFrom4(b)
}
