package clientip

import (
	"net/netip"
	"testing"
)

func TestClient(t *testing.T) {
	r, err := New([]string{"10.0.0.0/8", "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"no proxy: the header is ignored", "203.0.113.9", []string{"198.51.100.1"}, "203.0.113.9"},
		{"one proxy appends the client", "192.0.2.1", []string{"198.51.100.1"}, "198.51.100.1"},
		{"a forged left part is skipped", "192.0.2.1", []string{"6.6.6.6, 7.7.7.7, 198.51.100.1"}, "198.51.100.1"},
		{"two proxies", "10.1.1.1", []string{"1.1.1.1, 198.51.100.1, 192.0.2.1"}, "198.51.100.1"},
		{"several header lines", "10.1.1.1", []string{"6.6.6.6", "198.51.100.1, 10.2.2.2"}, "198.51.100.1"},
		{"a port on a hop", "10.1.1.1", []string{"[2001:db8::1]:443"}, "2001:db8::1"},
		{"garbage right of the client", "10.1.1.1", []string{"198.51.100.1, nonsense"}, "10.1.1.1"},
		{"only proxies", "10.1.1.1", []string{"10.3.3.3"}, "10.3.3.3"},
		{"no header from a proxy", "10.1.1.1", nil, "10.1.1.1"},
		{"IPv4-mapped peer", "::ffff:192.0.2.1", []string{"198.51.100.1"}, "198.51.100.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var xff [][]byte
			for _, v := range tc.xff {
				xff = append(xff, []byte(v))
			}
			got := r.Client(netip.MustParseAddr(tc.peer), xff)
			if got.String() != tc.want {
				t.Errorf("Client = %s, want %s", got, tc.want)
			}
		})
	}
	if _, err := New([]string{"not-an-ip"}); err == nil {
		t.Error("a bad proxy was accepted")
	}
}
