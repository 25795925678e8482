package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/abuse"
	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/store"
)

// fillTime is the minimum fill time of these tests: short, to keep them quick.
const fillTime = 700 * time.Millisecond

func abuseApp(t *testing.T, rate string) *testApp {
	return startApp(t, map[string]string{"CONSULTA_RATE_LIMIT": rate, "CONSULTA_MIN_FILL_TIME": fillTime.String()})
}

// usefulAnswer is a valid no-JavaScript answer to utilidad-pagina, with the
// page's hidden fields.
func usefulAnswer(fields url.Values) url.Values {
	v := url.Values{"useful": {"false"}, "looking_for": {"Presupuesto por departamento"}}
	for k := range fields {
		v.Set(k, fields.Get(k))
	}
	return v
}

func TestFormPostAbuseControl(t *testing.T) {
	a := abuseApp(t, "30")
	tests := []struct {
		name       string
		change     func(v url.Values)
		wait       time.Duration
		wantStatus int
		wantRetry  bool
		wantStored bool
	}{
		{"a person at human speed", func(url.Values) {}, fillTime + 100*time.Millisecond, http.StatusSeeOther, false, true},
		{"the honeypot filled: looks accepted, nothing stored", func(v url.Values) { v.Set("website", "http://spam.example") }, fillTime + 100*time.Millisecond, http.StatusSeeOther, false, false},
		{"at once on a one-tap form, which has no minimum fill time", func(url.Values) {}, 0, http.StatusSeeOther, false, true},
		{"without the page-load token", func(v url.Values) { v.Del("_t") }, fillTime + 100*time.Millisecond, http.StatusTooManyRequests, true, false},
		{"with a forged token", func(v url.Values) { v.Set("_t", strings.Repeat("A", 44)) }, fillTime + 100*time.Millisecond, http.StatusTooManyRequests, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fields := a.pageFields(t, "/f/utilidad-pagina")
			values := usefulAnswer(fields)
			tt.change(values)
			time.Sleep(tt.wait)
			r := a.postForm(t, "utilidad-pagina", values)
			if r.status != tt.wantStatus {
				t.Fatalf("status %d, want %d; body %.300s", r.status, tt.wantStatus, r.body)
			}
			if got := r.header.Get("Retry-After"); (got != "") != tt.wantRetry {
				t.Fatalf("Retry-After %q, want present = %t", got, tt.wantRetry)
			}
			if tt.wantStatus == http.StatusSeeOther && !strings.Contains(r.header.Get("Location"), "/f/utilidad-pagina/thanks") {
				t.Fatalf("Location %q, want the thank-you page", r.header.Get("Location"))
			}
			if tt.wantStatus == http.StatusTooManyRequests {
				again := hiddenFields(r.body)
				if !strings.Contains(r.body, "Presupuesto por departamento") || again.Get("_key") != abuse.KeyOf(again.Get("_t")) {
					t.Fatal("the refused page lost the person's answers, or its key is not its token's")
				}
				if values.Get("_t") == fields.Get("_t") && (again.Get("_t") != fields.Get("_t") || again.Get("_key") != fields.Get("_key")) {
					t.Fatal("a valid token was replaced: the person's start time, or the response it names, is lost")
				}
				if !strings.Contains(r.body, `class="notice"`) {
					t.Fatal("no notice tells the person what happened")
				}
			}
			// Whether anything was stored under the page's key: replaying it
			// with the same answers says so.
			replay := a.postJSON(t, "utilidad-pagina", fields.Get("_key"), map[string]any{"useful": false, "looking_for": "Presupuesto por departamento"}, nil)
			if stored := replay.header.Get("Idempotent-Replayed") == "true"; stored != tt.wantStored {
				t.Fatalf("stored = %t, want %t (replay: %d %s)", stored, tt.wantStored, replay.status, replay.body)
			}
		})
	}
}

func TestRefusedPersonGetsThroughOnSecondTry(t *testing.T) {
	a := abuseApp(t, "30")
	fields := a.pageFields(t, "/f/sugerencias")
	r := a.postForm(t, "sugerencias", suggestionAnswer(fields)) // at once: too fast for the default minimum
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("first try: %d, want 429", r.status)
	}
	wait, _ := strconv.Atoi(r.header.Get("Retry-After"))
	if wait < 1 || wait > 2 {
		t.Fatalf("Retry-After %q, want 1 or 2 seconds", r.header.Get("Retry-After"))
	}
	time.Sleep(fillTime)
	again := hiddenFields(r.body) // the page shown again, as the person presses Send
	if r := a.postForm(t, "sugerencias", suggestionAnswer(again)); r.status != http.StatusSeeOther {
		t.Fatalf("second try: %d, want 303", r.status)
	}
}

func TestAPIRateLimit(t *testing.T) {
	a := abuseApp(t, "5")
	answer := map[string]any{"useful": true}
	t.Run("one page load names one response, and its replays are limited", func(t *testing.T) {
		fields := a.pageFields(t, "/f/utilidad-pagina")
		time.Sleep(fillTime)
		var last response
		for i := 0; i < 6; i++ {
			last = a.postJSON(t, "utilidad-pagina", fmt.Sprintf("%s-%d", fields.Get("_key"), i), answer, map[string]string{"Consulta-Token": fields.Get("_t")})
			if replayed := last.header.Get("Idempotent-Replayed") == "true"; i < 5 && (last.status != http.StatusCreated || replayed != (i > 0)) {
				t.Fatalf("submission %d: %d replayed %t %s", i, last.status, replayed, last.body)
			}
		}
		if last.status != http.StatusTooManyRequests {
			t.Fatalf("6th submission: %d, want 429", last.status)
		}
		wait, err := strconv.Atoi(last.header.Get("Retry-After"))
		if err != nil || wait < 1 || wait > 60 {
			t.Fatalf("Retry-After %q, want 1..60 seconds", last.header.Get("Retry-After"))
		}
		errs := errorBody(t, last)
		if len(errs) != 1 || errs[0]["code"] != "rate_limited" || !strings.Contains(errs[0]["message"], "Espere") {
			t.Fatalf("errors %v, want one localized rate_limited", errs)
		}
	})
	t.Run("a room of 40 behind one address gets through", func(t *testing.T) {
		var tokens []url.Values
		for i := 0; i < 40; i++ {
			tokens = append(tokens, a.pageFields(t, "/f/utilidad-pagina"))
		}
		time.Sleep(fillTime)
		for i, f := range tokens {
			r := a.postJSON(t, "utilidad-pagina", f.Get("_key"), answer, map[string]string{"Consulta-Token": f.Get("_t")})
			if r.status != http.StatusCreated {
				t.Fatalf("person %d of 40: %d %s", i, r.status, r.body)
			}
		}
	})
	t.Run("a client without tokens is limited by address", func(t *testing.T) {
		other := abuseApp(t, "5")
		var last response
		for i := 0; i < 6; i++ {
			last = other.postJSON(t, "utilidad-pagina", fmt.Sprintf("tokenless-client-%d", i), answer, nil)
		}
		if last.status != http.StatusTooManyRequests {
			t.Fatalf("6th tokenless submission: %d, want 429", last.status)
		}
	})
}

// openSession creates an open focus-group session of formID expecting that
// many participants in the running app's store, through its loopback
// listener, and returns its code.
func openSession(t *testing.T, a *testApp, formID string, expected int) string {
	t.Helper()
	return openSessionCode(t, a, formID, expected, "SALA40")
}

// openSessionCode is openSession with the session's code.
func openSessionCode(t *testing.T, a *testApp, formID string, expected int, code string) string {
	t.Helper()
	uri, err := os.ReadFile(filepath.Join(a.dataDir, "store.uri"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := store.Open(ctx, store.Options{URI: strings.TrimSpace(string(uri))})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(ctx)
	now := time.Now()
	g := &consulta.FocusGroup{Org: "Asociación de prueba", FormID: formID, Lang: "es", Date: now, Expected: expected,
		OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(time.Hour), CreatedAt: now, UpdatedAt: now}
	if err := st.CreateFocusGroup(ctx, g, func() string { return code }); err != nil {
		t.Fatal(err)
	}
	return g.Code
}

func TestRateLimitOff(t *testing.T) {
	a := abuseApp(t, "0")
	for i := 0; i < 40; i++ {
		r := a.postJSON(t, "utilidad-pagina", fmt.Sprintf("no-limit-%02d", i), map[string]any{"useful": true}, nil)
		if r.status != http.StatusCreated {
			t.Fatalf("submission %d with CONSULTA_RATE_LIMIT=0: %d %s", i, r.status, r.body)
		}
	}
}
