package retention_test

import (
	"context"
	"testing"
	"time"

	"github.com/go-co-op/gocron/v2"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/retention"
	"github.com/consulta/consulta/internal/store"
	"github.com/consulta/consulta/internal/storetest"
)

// seedLogins stores one login session per ID, expiring at now plus the offset.
func seedLogins(t *testing.T, s *store.Store, expiries map[string]time.Duration) {
	t.Helper()
	for id, offset := range expiries {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := s.CreateLoginSession(ctx, &consulta.LoginSession{ID: id, UserID: "ana@mineduc.test", CSRF: "x",
			CreatedAt: now.Add(-13 * time.Hour), ExpiresAt: now.Add(offset)})
		cancel()
		if err != nil {
			t.Fatal(err)
		}
	}
}

func hasLogin(t *testing.T, s *store.Store, id string) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := s.LoginSession(ctx, id)
	if err != nil && consulta.ErrorCode(err) != consulta.ENOTFOUND {
		t.Fatal(err)
	}
	return err == nil
}

func TestSessionJobDeletesOnlyExpired(t *testing.T) {
	s := storetest.New(t)
	seedLogins(t, s, map[string]time.Duration{"expired": -time.Hour, "just_expired": -time.Second, "valid": time.Hour})
	job := &retention.SessionJob{Store: s, Now: func() time.Time { return now }}
	n, err := job.Run(context.Background())
	if err != nil || n != 2 {
		t.Fatalf("deleted %d, %v; want 2, nil", n, err)
	}
	for id, want := range map[string]bool{"expired": false, "just_expired": false, "valid": true} {
		t.Run(id, func(t *testing.T) {
			if got := hasLogin(t, s, id); got != want {
				t.Errorf("login session %s kept = %v, want %v", id, got, want)
			}
		})
	}
}

// TestScheduledSessionJobRuns checks the wiring to gocron: the task, run with
// the real clock, deletes a session that expired an hour ago.
func TestScheduledSessionJobRuns(t *testing.T) {
	s := storetest.New(t)
	seedLogins(t, s, map[string]time.Duration{"stale": time.Since(now) - time.Hour})
	sched, err := gocron.NewScheduler()
	if err != nil {
		t.Fatal(err)
	}
	j, err := (&retention.SessionJob{Store: s}).Schedule(sched, "")
	if err != nil {
		t.Fatal(err)
	}
	sched.Start()
	defer func() {
		if err := sched.Shutdown(); err != nil {
			t.Error(err)
		}
	}()
	if err := j.RunNow(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for hasLogin(t, s, "stale") {
		if time.Now().After(deadline) {
			t.Fatal("the scheduled job did not delete the expired login session")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
