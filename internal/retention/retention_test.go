package retention_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/go-co-op/gocron/v2"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/retention"
	"github.com/consulta/consulta/internal/store"
	"github.com/consulta/consulta/internal/storetest"
)

var now = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// seed stores one response with a contact received at each given age.
func seed(t *testing.T, s *store.Store, ages map[string]time.Duration) {
	t.Helper()
	for id, age := range ages {
		at := now.Add(-age)
		r := &consulta.Response{ID: id, FormID: "sugerencias", FormVersion: 1, Lang: "es",
			Channel: consulta.ChannelPage, ReceivedAt: at, Answers: map[string]any{"mensaje": "hola"}}
		c := &consulta.Contact{ID: id, FormID: "sugerencias", ReceivedAt: at,
			Fields: map[string]any{"correo": "persona@example.org"}}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, _, err := s.InsertResponse(ctx, r, c)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
	}
}

func hasContact(t *testing.T, s *store.Store, id string) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := s.Contact(ctx, id)
	if err != nil && consulta.ErrorCode(err) != consulta.ENOTFOUND {
		t.Fatal(err)
	}
	return err == nil
}

type counter struct{ n int64 }

func (c *counter) ContactsDeleted(n int64) { c.n += n }

func TestRunDeletesOnlyOldContacts(t *testing.T) {
	s := storetest.New(t)
	day := 24 * time.Hour
	seed(t, s, map[string]time.Duration{"old1": 400 * day, "old2": 366 * day, "young": 364 * day, "new": time.Hour})
	rec := &counter{}
	job := &retention.Job{Store: s, Period: 365 * day, Now: func() time.Time { return now }, Metrics: rec}
	n, err := job.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 || rec.n != 2 {
		t.Errorf("deleted %d (metrics %d), want 2", n, rec.n)
	}
	for id, want := range map[string]bool{"old1": false, "old2": false, "young": true, "new": true} {
		t.Run(id, func(t *testing.T) {
			if got := hasContact(t, s, id); got != want {
				t.Errorf("contact %s kept = %v, want %v", id, got, want)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if _, err := s.Response(ctx, id); err != nil {
				t.Errorf("response %s must stay: %v", id, err)
			}
		})
	}
	// A second run finds nothing more to delete.
	if n, err := job.Run(context.Background()); err != nil || n != 0 {
		t.Errorf("second run deleted %d, %v; want 0, nil", n, err)
	}
}

func TestRunRefusesNonPositivePeriod(t *testing.T) {
	job := &retention.Job{Store: nil, Period: 0}
	if _, err := job.Run(context.Background()); err == nil {
		t.Fatal("want an error for a zero period")
	}
}

type failing struct{}

func (failing) DeleteContactsBefore(context.Context, time.Time) (int64, error) {
	return 0, errors.New("store down")
}

func TestRunReportsStoreFailure(t *testing.T) {
	rec := &counter{}
	job := &retention.Job{Store: failing{}, Period: time.Hour, Metrics: rec}
	if _, err := job.Run(context.Background()); err == nil {
		t.Fatal("want the store's error")
	}
	if rec.n != 0 {
		t.Errorf("metrics counted %d deletions on failure", rec.n)
	}
}

// TestScheduledJobRuns checks the wiring to gocron: the scheduled task deletes.
func TestScheduledJobRuns(t *testing.T) {
	s := storetest.New(t)
	seed(t, s, map[string]time.Duration{"stale": 48 * time.Hour})
	sched, err := gocron.NewScheduler()
	if err != nil {
		t.Fatal(err)
	}
	job := &retention.Job{Store: s, Period: 24 * time.Hour}
	j, err := job.Schedule(sched, "")
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
	for hasContact(t, s, "stale") {
		if time.Now().After(deadline) {
			t.Fatal("the scheduled retention job did not delete the stale contact")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
