package auth

import (
	"context"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

func TestCheckNewPassword(t *testing.T) {
	for _, tc := range []struct {
		password, want string
	}{
		{"una frase bastante larga", ""},
		{"once letras", "password_short"},
		{"1qaz2wsx3edc", "password_common"},
		{"QWERTY123456", "password_common"},
		{"ana@example.org es mi clave", "password_common"},
	} {
		err := CheckNewPassword(tc.password, "Ana@Example.org")
		got := ""
		if fields := consulta.FieldErrors(err); len(fields) > 0 {
			got = fields[0].Code
		}
		if got != tc.want {
			t.Errorf("CheckNewPassword(%q) = %q, want %q", tc.password, got, tc.want)
		}
	}
}

func TestDeviceToken(t *testing.T) {
	s := &Service{Secret: []byte("a secret of the server, long enough")}
	now := time.Now()
	token := s.newDevice("ana@example.org", now.Add(time.Hour))
	if _, ok := s.deviceKey(token, "ana@example.org", now); !ok {
		t.Error("a fresh token for its account was refused")
	}
	if _, ok := s.deviceKey(token, "otro@example.org", now); ok {
		t.Error("a token was accepted for another account")
	}
	if _, ok := s.deviceKey(token, "ana@example.org", now.Add(2*time.Hour)); ok {
		t.Error("an expired token was accepted")
	}
	other := &Service{Secret: []byte("another server's secret, long enough")}
	if _, ok := other.deviceKey(token, "ana@example.org", now); ok {
		t.Error("a token signed with another secret was accepted")
	}
}

func TestThrottleReserve(t *testing.T) {
	th := NewThrottle(2, time.Minute)
	now := time.Now()
	for i := range 2 {
		if !th.Reserve("c", now) {
			t.Fatalf("attempt %d in the window was refused", i+1)
		}
	}
	if th.Reserve("c", now) {
		t.Error("a third attempt in the window was allowed")
	}
	th.Release("c") // one succeeded
	if !th.Reserve("c", now) {
		t.Error("a released attempt still counts")
	}
	if !th.Reserve("c", now.Add(time.Minute)) {
		t.Error("attempts of an old window still count")
	}
}

func TestCheckLimiter(t *testing.T) {
	l := NewCheckLimiter(1, 50*time.Millisecond)
	release, err := l.acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.acquire(context.Background()); !IsBusy(err) {
		t.Errorf("a second check while the only slot is taken: %v, want ErrBusy", err)
	}
	release()
	if release, err := l.acquire(context.Background()); err != nil {
		t.Errorf("after release: %v", err)
	} else {
		release()
	}
}
