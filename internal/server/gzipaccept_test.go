package server

import "testing"

func TestGzipAccepted(t *testing.T) {
	for _, tc := range []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"gzip, deflate, br", true},
		{"br;q=1.0, gzip;q=0.8, *;q=0.1", true},
		{"GZIP", true},
		{"x-gzip", true},
		{"gzip;q=0", false},
		{"gzip; q=0.000", false},
		{"gzip;q=0.001", true},
		{"gzip;q=0.", false},
		{"deflate, br", false},
		{"*", true},
		{"*;q=0", false},
		{"br, *;q=0.5", true},
		{"*, gzip;q=0", false}, // named wins over *
		{"identity", false},
		{"gzipped", false},
		{" , gzip ", true},
	} {
		if got := gzipAccepted([]byte(tc.header)); got != tc.want {
			t.Errorf("Accept-Encoding %q: gzip accepted %v, want %v", tc.header, got, tc.want)
		}
	}
}
