package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// The reasons an endpoint URL is refused (field codes admin.field.webhook_*).
const (
	codeURL     = "webhook_url"     // not an absolute http(s) URL without credentials
	codeHTTPS   = "webhook_https"   // http where https is required
	codePrivate = "webhook_private" // a loopback, private or otherwise internal address
	codeResolve = "webhook_resolve" // the host name does not resolve
)

// urlError is a refused endpoint URL and why (one of the codes above).
type urlError struct{ code, detail string }

func (e *urlError) Error() string {
	return "webhook: endpoint URL refused (" + e.code + "): " + e.detail
}

// resolveTimeout bounds the look-up of an endpoint's host at registration.
const resolveTimeout = 5 * time.Second

// guard keeps deliveries away from Consulta's own network (SSRF): unless
// allowPrivate, an endpoint must be https and every address it resolves to
// public, both when it is registered and, at every connection, for the
// address actually dialled (a name that later resolves elsewhere is caught
// there).
type guard struct {
	allowPrivate bool
	resolver     *net.Resolver
}

// checkURL parses and checks an endpoint URL at registration.
func (g guard) checkURL(ctx context.Context, raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.Fragment != "" ||
		len(raw) > 2000 {
		return nil, &urlError{codeURL, raw}
	}
	if u.Scheme == "http" && !g.allowPrivate {
		return nil, &urlError{codeHTTPS, raw}
	}
	host := u.Hostname()
	if ip, err := netip.ParseAddr(host); err == nil {
		if !g.allowed(ip) {
			return nil, &urlError{codePrivate, host}
		}
		return u, nil
	}
	ctx, cancel := context.WithTimeout(ctx, resolveTimeout)
	defer cancel()
	addrs, err := g.resolver.LookupNetIP(ctx, "ip", host)
	if err != nil || len(addrs) == 0 {
		return nil, &urlError{codeResolve, host}
	}
	for _, a := range addrs {
		if !g.allowed(a) {
			return nil, &urlError{codePrivate, fmt.Sprintf("%s resolves to %s", host, a)}
		}
	}
	return u, nil
}

// internal are the ranges no public endpoint is in, besides what netip
// classifies (loopback, private, link-local, multicast, unspecified).
var internal = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),      // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),  // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),   // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"),  // benchmarking
	netip.MustParsePrefix("240.0.0.0/4"),    // reserved, and the broadcast address
	netip.MustParsePrefix("64:ff9b:1::/48"), // local-use NAT64
	netip.MustParsePrefix("2001:db8::/32"),  // documentation
	netip.MustParsePrefix("fec0::/10"),      // deprecated site-local
	netip.MustParsePrefix("::ffff:0:0/96"),  // IPv4-mapped: checked as IPv4 below
	netip.MustParsePrefix("100::/64"),       // discard
	netip.MustParsePrefix("2002::/16"),      // 6to4, which can wrap any IPv4 address
	netip.MustParsePrefix("2001::/32"),      // Teredo, likewise
	netip.MustParsePrefix("192.88.99.0/24"), // 6to4 relays
	netip.MustParsePrefix("169.254.0.0/16"), // link-local (cloud metadata)
	netip.MustParsePrefix("255.255.255.255/32"),
}

// allowed reports whether a delivery may connect to ip.
func (g guard) allowed(ip netip.Addr) bool {
	if g.allowPrivate {
		return true
	}
	ip = ip.Unmap()
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	for _, p := range internal {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// errPrivateDial is a connection refused by the guard.
var errPrivateDial = errors.New("webhook: refused to connect to an internal address")

// control checks, for every connection, the address actually dialled.
func (g guard) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil || !g.allowed(ap.Addr()) {
		return fmt.Errorf("%w: %s", errPrivateDial, address)
	}
	return nil
}

// client is the HTTP client of deliveries: the guard on every connection,
// no proxy from the environment (it would be dialled instead of the
// endpoint), no redirects (a redirect is the receiver's answer, not a place
// to go), a deadline per attempt.
func (g guard) client(timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: timeout, Control: g.control}
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			DialContext: dialer.DialContext, Proxy: nil, TLSHandshakeTimeout: timeout,
			MaxIdleConnsPerHost: 2, IdleConnTimeout: time.Minute, ResponseHeaderTimeout: timeout,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
