// Package clientip finds the address of the client that sent a request. Behind
// trusted reverse proxies it reads X-Forwarded-For from the right, where each
// proxy appends the address it received the request from, and stops at the
// first address that is not one of the trusted proxies: everything to the left
// of it was written by the client and may be forged. Without trusted proxies
// the forwarding headers are ignored entirely.
package clientip

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// localsKey is where Middleware leaves the resolved address of a request.
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
// with the given X-Forwarded-For header values (in the order received). When
// peer is not a trusted proxy, the header is ignored. Otherwise the right-most
// address that is not a trusted proxy is the client; if the chain holds only
// trusted proxies or something unreadable, the last trusted hop stands in.
func (r *Resolver) Client(peer netip.Addr, forwardedFor []string) netip.Addr {
	peer = peer.Unmap()
	if !r.Trusted(peer) {
		return peer
	}
	hops := splitHops(forwardedFor)
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHop(hops[i])
		if !ok {
			return client
		}
		client = a
		if !r.Trusted(a) {
			return a
		}
	}
	return client
}

// splitHops flattens several X-Forwarded-For values into one list of hops.
func splitHops(values []string) []string {
	var hops []string
	for _, v := range values {
		for _, h := range strings.Split(v, ",") {
			if h = strings.TrimSpace(h); h != "" {
				hops = append(hops, h)
			}
		}
	}
	return hops
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

// Middleware resolves the client's address of every request once, for Of.
func (r *Resolver) Middleware() fiber.Handler {
	return func(c *fiber.Ctx) error {
		peer, _ := netip.AddrFromSlice(c.Context().RemoteIP())
		var values []string
		for _, v := range c.Request().Header.PeekAll(fiber.HeaderXForwardedFor) {
			values = append(values, string(v))
		}
		c.Locals(localsKey{}, r.Client(peer, values).String())
		return c.Next()
	}
}

// Of returns the client's address of a request, as resolved by Middleware
// (the peer's address when the middleware did not run).
func Of(c *fiber.Ctx) string {
	if s, ok := c.Locals(localsKey{}).(string); ok {
		return s
	}
	a, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	return a.Unmap().String()
}
