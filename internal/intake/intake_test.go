package intake

import (
	"testing"

	"github.com/consulta/consulta/internal/consulta"
)

func TestChannelFor(t *testing.T) {
	tests := []struct {
		page, session string
		want          consulta.Channel
	}{
		{"", "", consulta.ChannelPage},
		{"https://www.mineduc.gob.gt/x", "", consulta.ChannelWidget},
		{"https://www.mineduc.gob.gt/x", "AB12CD", consulta.ChannelFocusGroup},
		{"", "AB12CD", consulta.ChannelFocusGroup},
	}
	for _, tt := range tests {
		t.Run(tt.page+"|"+tt.session, func(t *testing.T) {
			if got := ChannelFor(tt.page, tt.session); got != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestNormalizeSession(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"", "", true},
		{" ab12cd ", "AB12CD", true},
		{"AB1", "AB1", false},
		{"AB-12", "AB-12", false},
		{"ABCDEFGHIJKLM", "ABCDEFGHIJKLM", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := NormalizeSession(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("NormalizeSession(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestKeys(t *testing.T) {
	if a, b := NewKey(), NewKey(); a == b || !ValidKey(a) {
		t.Fatalf("NewKey: %q %q", a, b)
	}
	for _, bad := range []string{"", "short", "has space in it", string(make([]byte, 129))} {
		if ValidKey(bad) {
			t.Errorf("ValidKey(%q) = true", bad)
		}
	}
	// The response ID is a function of form and key: the store's unique _id is
	// what makes a retried submission idempotent.
	first, again := ResponseID("f", "key-0001"), ResponseID("f", "key-0001")
	if first != again || first == ResponseID("g", "key-0001") || first == ResponseID("f", "key-0002") {
		t.Fatal("ResponseID is not a deterministic function of form and key")
	}
}
