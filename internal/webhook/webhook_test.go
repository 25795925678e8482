package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/outbox"
	"github.com/consulta/consulta/internal/store"
	"github.com/consulta/consulta/internal/storetest"
	"github.com/consulta/consulta/internal/webhook"
)

const secretKey = "test-secret-key-test-secret-key-0123456789"

// clock is the tests' time, moved by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }

// receiver is an endpoint as a partner would write it: it checks the
// signature and the replay window with webhook.Verify, drops ids it has
// seen, and answers as told: fail (500), hang past the sender's timeout,
// or accept.
type receiver struct {
	t      *testing.T
	secret string
	clock  *clock
	mu     sync.Mutex
	mode   string // "fail", "hang", "ok"
	hits   int
	seen   map[string]bool
	bodies []string
	bad    []string
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.hits++
	mode, secret := rc.mode, rc.secret
	rc.mu.Unlock()
	switch mode {
	case "fail":
		http.Error(w, "down for maintenance", http.StatusInternalServerError)
		return
	case "hang":
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
		return
	}
	id := r.Header.Get(webhook.HeaderID)
	err := webhook.Verify(secret, id, r.Header.Get(webhook.HeaderTimestamp), r.Header.Get(webhook.HeaderSignature), body,
		rc.clock.Now(), webhook.DefaultTolerance)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if err != nil || rc.seen[id] {
		rc.bad = append(rc.bad, id+": "+errString(err))
		http.Error(w, "refused", http.StatusBadRequest)
		return
	}
	rc.seen[id] = true
	rc.bodies = append(rc.bodies, string(body))
	w.WriteHeader(http.StatusNoContent)
}

func errString(err error) string {
	if err == nil {
		return "replayed"
	}
	return err.Error()
}

func (rc *receiver) set(mode string) { rc.mu.Lock(); rc.mode = mode; rc.mu.Unlock() }

type env struct {
	st     *store.Store
	svc    *webhook.Service
	feed   *webhook.Feed
	worker *outbox.Worker
	clock  *clock
	rc     *receiver
	url    string
	off    []string
}

func newEnv(t *testing.T, disableAfter int) *env {
	t.Helper()
	e := &env{st: storetest.New(t), clock: &clock{now: time.Now().UTC().Truncate(time.Second)}}
	svc, err := webhook.New(webhook.Config{Store: e.st, Secret: secretKey, AllowPrivate: true, DisableAfter: disableAfter,
		BaseURL: "https://consulta.test", Timeout: 500 * time.Millisecond, Now: e.clock.Now,
		Disabled: func(id string) { e.off = append(e.off, id) }})
	if err != nil {
		t.Fatal(err)
	}
	e.svc, e.feed = svc, webhook.NewFeed(svc)
	e.worker, err = outbox.New(outbox.Config{Box: consulta.WebhookOutbox, Store: e.st, Send: svc.Send, Done: svc.Done,
		Now: e.clock.Now, Backoff: outbox.Backoff{First: webhook.DefaultFirstRetry, Max: webhook.DefaultMaxRetry},
		MaxAttempts: webhook.DefaultMaxAttempts, Lease: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	e.rc = &receiver{t: t, clock: e.clock, mode: "ok", seen: map[string]bool{}}
	srv := httptest.NewServer(e.rc)
	t.Cleanup(srv.Close)
	e.url = srv.URL + "/consulta-hook"
	return e
}

func (e *env) register(t *testing.T, events ...string) *consulta.WebhookEndpoint {
	t.Helper()
	ep, secret, err := e.svc.CreateEndpoint(context.Background(), webhook.EndpointInput{URL: e.url, Events: events}, "admin@mineduc.test")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "whsec_") || strings.Contains(ep.Secret, secret) {
		t.Fatalf("secret %q, stored as %q", secret, ep.Secret)
	}
	e.rc.secret = secret
	return ep
}

// submit stores a response with its contact, as intake does.
func (e *env) submit(t *testing.T, id string) {
	t.Helper()
	r := &consulta.Response{ID: id, FormID: "sugerencias", FormVersion: 1, Lang: "es", Channel: consulta.ChannelPage,
		ReceivedAt: e.clock.Now(), Status: consulta.StatusNew, HasContact: true,
		Answers: map[string]any{"topic": "docentes", "message": "Publiquen los datos"}}
	c := &consulta.Contact{ID: id, FormID: "sugerencias", ReceivedAt: r.ReceivedAt,
		Fields: map[string]any{"email": "ana.perez@example.com", "phone": "+502 5555 1234"}}
	if _, _, err := e.st.InsertResponse(context.Background(), r, c); err != nil {
		t.Fatal(err)
	}
}

// run makes the feed read what settled and the worker send what is due.
func (e *env) run(t *testing.T) int {
	t.Helper()
	if err := e.feed.Pass(context.Background()); err != nil {
		t.Fatal(err)
	}
	n, err := e.worker.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestDeliveryRetriesUntilTheReceiverRecovers: a response becomes a signed
// delivery that the receiver refuses, then lets time out, then accepts; its
// body never carries the contact, the log shows every attempt, and the
// endpoint's failures start again from zero.
func TestDeliveryRetriesUntilTheReceiverRecovers(t *testing.T) {
	e := newEnv(t, 10)
	ep := e.register(t, webhook.EventResponseCreated)
	e.run(t) // the feed starts here
	e.submit(t, "r-1")
	e.clock.Add(webhook.DefaultSettle + time.Second)
	e.rc.set("fail")
	if n := e.run(t); n != 1 {
		t.Fatalf("attempts: %d, want 1", n)
	}
	e.rc.set("hang")
	e.clock.Add(webhook.DefaultFirstRetry)
	if n := e.run(t); n != 1 {
		t.Fatalf("attempts after the first retry delay: %d, want 1", n)
	}
	got, _ := e.svc.Endpoint(context.Background(), ep.ID)
	if got.Failures != 2 || got.Disabled {
		t.Fatalf("after two failures: %+v", got)
	}
	e.rc.set("ok")
	e.clock.Add(webhook.DefaultFirstRetry) // not yet: the second wait is twice the first
	if n := e.run(t); n != 0 {
		t.Fatalf("attempted %d before the backoff ended", n)
	}
	e.clock.Add(webhook.DefaultFirstRetry + time.Second)
	if n := e.run(t); n != 1 {
		t.Fatalf("attempts after recovery: %d", n)
	}
	if len(e.rc.bodies) != 1 || len(e.rc.bad) != 0 {
		t.Fatalf("accepted %d, refused %v", len(e.rc.bodies), e.rc.bad)
	}
	var d struct {
		ID, Event string
		Timestamp time.Time
		Data      struct{ Response map[string]any }
	}
	if err := json.Unmarshal([]byte(e.rc.bodies[0]), &d); err != nil {
		t.Fatal(err)
	}
	if d.Event != webhook.EventResponseCreated || !strings.HasPrefix(d.ID, "evt_") || d.Data.Response["id"] != "r-1" ||
		d.Timestamp.IsZero() {
		t.Errorf("delivery: %s", e.rc.bodies[0])
	}
	for _, leak := range []string{"ana.perez", "5555", "contact", "request_hash"} {
		if strings.Contains(e.rc.bodies[0], leak) {
			t.Errorf("the delivery carries %q: %s", leak, e.rc.bodies[0])
		}
	}
	log, err := e.svc.Log(context.Background(), ep.ID, 10)
	if err != nil || len(log) != 3 || !log[0].OK || log[0].Detail != "HTTP 204" || log[2].Detail != "HTTP 500" ||
		!strings.Contains(log[1].Error, "Timeout") {
		for _, a := range log {
			t.Logf("%+v", a)
		}
		t.Fatalf("delivery log: %d entries, %v", len(log), err)
	}
	if got, _ := e.svc.Endpoint(context.Background(), ep.ID); got.Failures != 0 {
		t.Errorf("failures after a success: %d", got.Failures)
	}
	// Later passes deliver nothing again.
	e.clock.Add(time.Hour)
	if n := e.run(t); n != 0 || e.rc.hits != 3 {
		t.Errorf("later: %d attempts, %d hits", n, e.rc.hits)
	}
}

// TestEndpointDisabledAfterFailures: an endpoint that fails DisableAfter
// attempts in a row is disabled, counted, and gets nothing more.
func TestEndpointDisabledAfterFailures(t *testing.T) {
	e := newEnv(t, 3)
	ep := e.register(t, webhook.EventResponseCreated)
	e.run(t)
	for _, id := range []string{"a", "b", "c", "d"} {
		e.submit(t, id)
	}
	e.clock.Add(webhook.DefaultSettle + time.Second)
	e.rc.set("fail")
	e.run(t)
	got, _ := e.svc.Endpoint(context.Background(), ep.ID)
	if !got.Disabled || got.DisabledReason != "failures" || len(e.off) != 1 || e.off[0] != ep.ID {
		t.Fatalf("after failures: %+v, disabled %v", got, e.off)
	}
	e.rc.set("ok")
	hits := e.rc.hits
	e.clock.Add(24 * time.Hour)
	e.run(t)
	if e.rc.hits != hits {
		t.Errorf("a disabled endpoint got %d more requests", e.rc.hits-hits)
	}
	// Enabled again, it receives what happens from then on.
	if err := e.svc.SetEnabled(context.Background(), ep.ID, true); err != nil {
		t.Fatal(err)
	}
	e.submit(t, "e")
	e.clock.Add(webhook.DefaultSettle + time.Second)
	e.run(t)
	if len(e.rc.bodies) != 1 || !strings.Contains(e.rc.bodies[0], `"id":"e"`) {
		t.Errorf("after enabling: %v", e.rc.bodies)
	}
}

// TestTriageEvents: a triage save that publishes an action becomes
// response.triaged and action.published, without the internal note.
func TestTriageEvents(t *testing.T) {
	e := newEnv(t, 10)
	e.register(t, webhook.EventResponseTriaged, webhook.EventActionPublished)
	e.run(t)
	e.submit(t, "r-2")
	r, _ := e.st.Response(context.Background(), "r-2")
	if _, err := e.st.SaveTriage(context.Background(), r, consulta.TriageUpdate{Status: consulta.StatusActioned,
		Action: "Publicamos los datos de docentes.", ActionLang: "es", Note: "nota interna", By: "analyst@mineduc.test",
		At: e.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	e.clock.Add(webhook.DefaultSettle + time.Second)
	e.run(t)
	all := strings.Join(e.rc.bodies, "\n")
	if len(e.rc.bodies) != 2 || !strings.Contains(all, `"event":"response.triaged"`) || !strings.Contains(all, `"event":"action.published"`) ||
		!strings.Contains(all, "Publicamos los datos") {
		t.Fatalf("deliveries: %v (refused %v)", e.rc.bodies, e.rc.bad)
	}
	if strings.Contains(all, "nota interna") || strings.Contains(all, "analyst@") || strings.Contains(all, "ana.perez") {
		t.Errorf("internal data left: %s", all)
	}
}

// TestSignature: the signature covers the timestamp, the id and the body; a
// change to any, or a timestamp outside the window, is refused.
func TestSignature(t *testing.T) {
	now := time.Unix(1_780_000_000, 0)
	body := []byte(`{"id":"evt_1"}`)
	sig := webhook.Sign("whsec_x", "evt_1", now.Unix(), body)
	ts := "1780000000"
	if err := webhook.Verify("whsec_x", "evt_1", ts, sig, body, now.Add(time.Minute), webhook.DefaultTolerance); err != nil {
		t.Fatal(err)
	}
	for name, err := range map[string]error{
		"body":      webhook.Verify("whsec_x", "evt_1", ts, sig, []byte(`{"id":"evt_2"}`), now, webhook.DefaultTolerance),
		"id":        webhook.Verify("whsec_x", "evt_2", ts, sig, body, now, webhook.DefaultTolerance),
		"timestamp": webhook.Verify("whsec_x", "evt_1", "1780000001", sig, body, now, webhook.DefaultTolerance),
		"secret":    webhook.Verify("whsec_y", "evt_1", ts, sig, body, now, webhook.DefaultTolerance),
		"replay":    webhook.Verify("whsec_x", "evt_1", ts, sig, body, now.Add(6*time.Minute), webhook.DefaultTolerance),
	} {
		if err == nil {
			t.Errorf("%s changed: accepted", name)
		}
	}
	if !errors.Is(webhook.Verify("whsec_x", "evt_1", ts, sig, body, now.Add(-6*time.Minute), webhook.DefaultTolerance), webhook.ErrTimestamp) {
		t.Error("a timestamp from the future is not refused")
	}
}
