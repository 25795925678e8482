package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// TestTriageAndActions saves triage twice and lists the published action.
func TestTriageAndActions(t *testing.T) {
	s := workspaceStore(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r := &consulta.Response{ID: "r1", FormID: "sugerencias", ReceivedAt: time.Now(), Answers: map[string]any{"message": "hola"}}
	if _, err := s.InsertResponses(ctx, []*consulta.Response{r}, nil); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for i, u := range []consulta.TriageUpdate{
		{Status: consulta.StatusInReview, Tags: []string{"datos"}, Note: "mirar", By: "a@x", At: now},
		{Status: consulta.StatusActioned, Action: "Publicamos los datos", By: "a@x", At: now.Add(time.Minute)},
	} {
		tr, err := s.SaveTriage(ctx, r, u)
		if err != nil {
			t.Fatalf("save %d: %v", i, err)
		}
		if tr.Status != u.Status {
			t.Errorf("save %d: status %q", i, tr.Status)
		}
	}
	got, err := s.Response(ctx, "r1")
	if err != nil || got.Status != consulta.StatusActioned {
		t.Fatalf("response status %v, %v", got, err)
	}
	tr, _ := s.Triage(ctx, "r1")
	if len(tr.Notes) != 1 || tr.Action != "Publicamos los datos" {
		t.Errorf("triage = %+v", tr)
	}
	acts, err := s.ActionsBetween(ctx, "sugerencias", now.Add(-time.Hour), now.Add(time.Hour))
	if err != nil || len(acts) != 1 || acts[0].Text != "Publicamos los datos" {
		t.Errorf("actions = %+v, %v", acts, err)
	}
	if acts, _ := s.ActionsBetween(ctx, "sugerencias", now.Add(time.Hour), now.Add(2*time.Hour)); len(acts) != 0 {
		t.Errorf("actions outside the period: %+v", acts)
	}
}

// TestLoginAttempts counts attempts in parallel (no count lost on the
// embedded store, whose findAndModify is not atomic by itself), uses a token
// once, and deletes expired records.
func TestLoginAttempts(t *testing.T) {
	s := workspaceStore(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	const n = 20
	counts := make(chan int, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := s.CountAttempt(ctx, "acct", now.Add(time.Minute))
			if err != nil {
				t.Error(err)
			}
			counts <- c
		}()
	}
	wg.Wait()
	close(counts)
	seen := map[int]bool{}
	for c := range counts {
		seen[c] = true
	}
	if len(seen) != n || !seen[n] {
		t.Fatalf("counts %v: want each of 1..%d once", seen, n)
	}
	if first, err := s.FirstUse(ctx, "tok", now.Add(time.Minute)); err != nil || !first {
		t.Fatalf("first use: %v, %v", first, err)
	}
	if again, err := s.FirstUse(ctx, "tok", now.Add(time.Minute)); err != nil || again {
		t.Fatalf("second use: %v, %v; want false", again, err)
	}
	gone, err := s.DeleteExpiredAttempts(ctx, now.Add(2*time.Minute))
	if err != nil || gone != 2 {
		t.Fatalf("deleted %d, %v; want 2", gone, err)
	}
	if c, err := s.CountAttempt(ctx, "acct", now.Add(time.Minute)); err != nil || c != 1 {
		t.Fatalf("count after expiry %d, %v; want 1", c, err)
	}
}

// TestOldAccountReadable: an account stored by a release that kept a
// per-account lockout (failed_logins, locked_until) is still read, listed and
// given a new password.
func TestOldAccountReadable(t *testing.T) {
	s := workspaceStore(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	created := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	_, err := s.DB().Collection("users").InsertOne(ctx, bson.D{{Key: "_id", Value: "old@mineduc.test"},
		{Key: "name", Value: "Old"}, {Key: "role", Value: "analyst"}, {Key: "password_hash", Value: "h1"},
		{Key: "disabled", Value: false}, {Key: "failed_logins", Value: 3},
		{Key: "locked_until", Value: created.Add(time.Hour)}, {Key: "created_at", Value: created},
		{Key: "updated_at", Value: created}})
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.User(ctx, "old@mineduc.test")
	if err != nil || u.Role != "analyst" || u.PasswordHash != "h1" || !u.CreatedAt.Equal(created) {
		t.Fatalf("user %+v, %v", u, err)
	}
	if all, err := s.Users(ctx); err != nil || len(all) != 1 || all[0].ID != "old@mineduc.test" {
		t.Fatalf("users %+v, %v", all, err)
	}
	if err := s.SetPasswordHash(ctx, "old@mineduc.test", "h2", created.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if u, err := s.User(ctx, "old@mineduc.test"); err != nil || u.PasswordHash != "h2" {
		t.Fatalf("after the new password: %+v, %v", u, err)
	}
}
