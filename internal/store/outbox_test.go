package store

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

// TestOutboxClaimOnce runs two "replicas" (two stores, two connections, on
// the same embedded store) claiming the same due messages at once: each
// message must be claimed by exactly one of them.
func TestOutboxClaimOnce(t *testing.T) {
	srv := embeddedServer(t)
	a := openOn(t, srv, Options{EmbeddedDir: srv.StoreDir()})
	b := openOn(t, srv, Options{EmbeddedDir: srv.StoreDir()})
	ctx := testCtx(t)
	now := time.Date(2026, 7, 1, 6, 0, 0, 0, time.UTC)
	const n = 40
	for i := range n {
		if _, err := a.Enqueue(ctx, consulta.MailOutbox, consulta.OutboxItem{ID: fmt.Sprintf("m%02d", i), CreatedAt: now}); err != nil {
			t.Fatal(err)
		}
	}
	if again, err := b.Enqueue(ctx, consulta.MailOutbox, consulta.OutboxItem{ID: "m00", CreatedAt: now}); err != nil || again {
		t.Fatalf("second enqueue of m00: created %v, %v; want false", again, err)
	}
	var mu sync.Mutex
	claims := map[string][]string{}
	var wg sync.WaitGroup
	for _, w := range []struct {
		name string
		s    *Store
	}{{"a", a}, {"b", b}, {"a2", a}, {"b2", b}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids, err := w.s.DueOutbox(ctx, consulta.MailOutbox, now, 100)
			if err != nil {
				t.Error(err)
				return
			}
			for _, id := range ids {
				it, err := w.s.ClaimOutbox(ctx, consulta.MailOutbox, id, w.name, time.Minute, now)
				if err != nil {
					t.Error(err)
					return
				}
				if it == nil {
					continue
				}
				mu.Lock()
				claims[id] = append(claims[id], w.name)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(claims) != n {
		t.Errorf("%d messages claimed, want %d", len(claims), n)
	}
	for id, who := range claims {
		if len(who) != 1 {
			t.Errorf("%s claimed by %v", id, who)
		}
	}
	due, err := a.DueOutbox(ctx, consulta.MailOutbox, now.Add(30*time.Second), 100)
	if err != nil || len(due) != 0 {
		t.Errorf("due while leased: %v, %v", due, err)
	}
}

// TestOutboxLease: a worker that dies loses its message when the lease ends;
// the next attempt is another worker's, and the first one's late outcome
// changes nothing. An attempt abandoned before it was recorded is stepped
// over. A sent message is never claimed again.
func TestOutboxLease(t *testing.T) {
	srv := embeddedServer(t)
	s := openOn(t, srv, Options{EmbeddedDir: srv.StoreDir()})
	ctx := testCtx(t)
	now := time.Date(2026, 7, 1, 6, 0, 0, 0, time.UTC)
	if _, err := s.Enqueue(ctx, consulta.WebhookOutbox, consulta.OutboxItem{ID: "d1", Group: "e1", Label: "report.stored", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	first, err := s.ClaimOutbox(ctx, consulta.WebhookOutbox, "d1", "dead", time.Minute, now)
	if err != nil || first == nil || first.Attempts != 1 {
		t.Fatalf("first claim: %+v, %v", first, err)
	}
	if again, _ := s.ClaimOutbox(ctx, consulta.WebhookOutbox, "d1", "other", time.Minute, now.Add(59*time.Second)); again != nil {
		t.Fatal("claimed during the lease")
	}
	// Attempt 2 abandoned between its insert and the message's update.
	if err := s.insertUnique(ctx, s.outboxAttempts(), &consulta.OutboxAttempt{ID: attemptID(consulta.WebhookOutbox, "d1", 2), Item: "d1",
		Attempt: 2, LeaseUntil: now.Add(90 * time.Second)}, "attempt"); err != nil {
		t.Fatal(err)
	}
	later := now.Add(2 * time.Minute)
	second, err := s.ClaimOutbox(ctx, consulta.WebhookOutbox, "d1", "alive", time.Minute, later)
	if err != nil || second == nil || second.Attempts != 3 {
		t.Fatalf("claim after the lease: %+v, %v", second, err)
	}
	if err := s.FinishOutbox(ctx, consulta.WebhookOutbox, first, consulta.OutboxResult{Err: "late"}, later); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishOutbox(ctx, consulta.WebhookOutbox, second, consulta.OutboxResult{Detail: "200"}, later); err != nil {
		t.Fatal(err)
	}
	it, err := s.OutboxItem(ctx, consulta.WebhookOutbox, "d1")
	if err != nil || it.State != consulta.OutboxSent || it.LastError != "" {
		t.Fatalf("after both outcomes: %+v, %v", it, err)
	}
	if again, _ := s.ClaimOutbox(ctx, consulta.WebhookOutbox, "d1", "x", time.Minute, later.Add(time.Hour)); again != nil {
		t.Fatal("a sent message was claimed")
	}
	log, err := s.OutboxAttempts(ctx, "e1", 10)
	if err != nil || len(log) != 2 || log[0].Attempt != 3 || !log[0].OK || log[0].Detail != "200" {
		t.Fatalf("delivery log: %+v, %v", log, err)
	}
}
