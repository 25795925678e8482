package fault

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// ack is one acknowledged submission: its idempotency key and the id returned.
type ack struct{ key, id string }

// retryingClient submits its keys one after another, each until acknowledged
// (201), retrying with the same Idempotency-Key after any failure, as the embed
// widget does. It stops early only when ctx ends.
func retryingClient(ctx context.Context, base string, keys []string, acked *atomic.Int64) ([]ack, error) {
	client := &http.Client{Timeout: 10 * time.Second}
	var acks []ack
	for _, key := range keys {
		for attempt := 1; ; attempt++ {
			if ctx.Err() != nil {
				return acks, fmt.Errorf("key %s not acknowledged after %d attempts: %w", key, attempt, ctx.Err())
			}
			resp, body, err := postJSON(client, base, "utilidad-pagina", key,
				map[string]any{"useful": false, "looking_for": "presupuesto " + key})
			if err == nil && resp.StatusCode == http.StatusCreated {
				var r struct{ ID string }
				if err := json.Unmarshal(body, &r); err != nil || r.ID == "" {
					return acks, fmt.Errorf("key %s: 201 with body %q", key, body)
				}
				acks = append(acks, ack{key, r.ID})
				acked.Add(1)
				break
			}
			if err == nil && resp.StatusCode < 500 {
				return acks, fmt.Errorf("key %s: refused with %d %s", key, resp.StatusCode, body)
			}
			time.Sleep(time.Duration(min(attempt, 10)) * 20 * time.Millisecond)
		}
	}
	return acks, nil
}

// TestKillDuringLoad: SIGKILL while retrying clients submit; after a restart every
// client finishes and every acknowledged submission is stored exactly once.
func TestKillDuringLoad(t *testing.T) {
	const clients, perClient, killAfter = 32, 15, 120
	dir, port := t.TempDir(), freePort(t)
	env := serverEnv(t, dir, port)
	first := startServer(t, env, port)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var acked atomic.Int64
	var wg sync.WaitGroup
	results := make([][]ack, clients)
	errs := make([]error, clients)
	for c := range clients {
		keys := make([]string, perClient)
		for i := range keys {
			keys[i] = fmt.Sprintf("kill-%02d-%03d-%d", c, i, time.Now().UnixNano())
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[c], errs[c] = retryingClient(ctx, first.base, keys, &acked)
		}()
	}

	for acked.Load() < killAfter {
		if ctx.Err() != nil {
			t.Fatalf("only %d acknowledged before the deadline", acked.Load())
		}
		time.Sleep(5 * time.Millisecond)
	}
	first.signal(t, syscall.SIGKILL)
	ackedBeforeKill := acked.Load()
	time.Sleep(300 * time.Millisecond) // clients meet a dead server for a while
	startServer(t, env, port)          // the same data directory, addresses and metrics listener
	wg.Wait()

	for c, err := range errs {
		if err != nil {
			t.Errorf("client %d did not finish: %v", c, err)
		}
	}
	if t.Failed() {
		return
	}
	stored := exportIDs(t, env, "utilidad-pagina")
	total := 0
	for _, acks := range results {
		for _, a := range acks {
			total++
			if n := stored[a.id]; n != 1 {
				t.Errorf("acknowledged %s (key %s) stored %d times, want 1", a.id, a.key, n)
			}
		}
	}
	if total != clients*perClient || len(stored) != total {
		t.Errorf("acknowledged %d, stored %d distinct responses; want %d of each", total, len(stored), clients*perClient)
	}
	t.Logf("%d acknowledged before SIGKILL, %d in all, %d stored", ackedBeforeKill, total, len(stored))

	// The restarted server counted its submissions for Prometheus.
	resp, err := http.Get(metricsURL(env))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if !strings.Contains(readAll(t, resp), `consulta_submissions_total{channel="page",form="utilidad-pagina",outcome="created"}`) {
		t.Errorf("/metrics lacks the created submissions")
	}
}
