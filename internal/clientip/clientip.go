// Package clientip finds the address of the client that sent a request. Behind
// trusted reverse proxies it reads X-Forwarded-For from the right, where each
// proxy appends the address it received the request from, and stops at the
// first address that is not one of the trusted proxies: everything to the left
// of it was written by the client and may be forged. Without trusted proxies
// the forwarding headers are ignored entirely.
package clientip

import (
	"bytes"
	"fmt"
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// localsKey is where Middleware leaves its Resolver for Of.
type localsKey struct{}

// Resolver knows which peers are trusted reverse proxies.
type Resolver struct {
	trusted []netip.Prefix
}

// New parses the trusted proxies, each an IP address or a CIDR prefix.
func New(trusted []string) (*Resolver, error) {
	r := &Resolver{}
	for _, s := range trusted {
		p, err := parsePrefix(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: %w", s, err)
		}
		r.trusted = append(r.trusted, p)
	}
	return r, nil
}

func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return p.Masked(), err
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()), nil
}

// Trusted reports whether a is one of the trusted proxies.
func (r *Resolver) Trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range r.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Client returns the client's address for a request that arrived from peer
// with the given X-Forwarded-For header values (in the order received, as
// fasthttp holds them: the hops are read in place, so a request costs no
// copies of its headers). When peer is not a trusted proxy, the header is
// ignored. Otherwise the right-most address that is not a trusted proxy is
// the client; if the chain holds only trusted proxies or something
// unreadable, the last trusted hop stands in.
func (r *Resolver) Client(peer netip.Addr, forwardedFor [][]byte) netip.Addr {
	peer = peer.Unmap()
	if !r.Trusted(peer) {
		return peer
	}
	hops := hopsFromRight{values: forwardedFor}
	client := peer
	for {
		h, more := hops.next()
		if !more {
			return client
		}
		a, ok := parseHop(string(h))
		if !ok {
			return client
		}
		client = a
		if !r.Trusted(a) {
			return a
		}
	}
}

// hopsFromRight yields the hops of several X-Forwarded-For values (in the
// order received) from the right-most one, skipping empty ones.
type hopsFromRight struct {
	values [][]byte
	cur    []byte // the rest of the value being read
}

func (h *hopsFromRight) next() ([]byte, bool) {
	for {
		if len(h.cur) == 0 {
			if len(h.values) == 0 {
				return nil, false
			}
			h.cur, h.values = h.values[len(h.values)-1], h.values[:len(h.values)-1]
			continue
		}
		hop := h.cur
		if i := bytes.LastIndexByte(h.cur, ','); i >= 0 {
			hop, h.cur = h.cur[i+1:], h.cur[:i]
		} else {
			h.cur = nil
		}
		if hop = bytes.TrimSpace(hop); len(hop) > 0 {
			return hop, true
		}
	}
}

// parseHop reads one hop: an address, possibly with a port ("1.2.3.4:5",
// "[::1]:5").
func parseHop(h string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(h); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(h); err == nil {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

// Middleware makes the client's address of every request available to Of,
// which resolves it when asked: most requests (style sheets, scripts) never
// ask, and a pointer kept in the request's locals costs no allocation where
// a resolved string did.
func (r *Resolver) Middleware() fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Locals(localsKey{}, r)
		return c.Next()
	}
}

// Of returns the client's address of a request, as resolved by the Resolver
// whose Middleware it passed (the peer's address when it passed none).
func Of(c *fiber.Ctx) string {
	peer, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	r, ok := c.Locals(localsKey{}).(*Resolver)
	if !ok {
		return peer.Unmap().String()
	}
	return r.Client(peer, c.Request().Header.PeekAll(fiber.HeaderXForwardedFor)).String()
}
