// Package outbox sends the messages of one of the store's outboxes (e-mails
// of reports, webhook deliveries) in the background: it looks for due
// messages every few seconds, claims each (one worker per attempt, on any
// replica: store.ClaimOutbox), sends it, and records the outcome. A failure
// is retried with exponential backoff until MaxAttempts, and a permanent
// refusal is not retried; both stay visible in the workspace and are counted
// in /metrics through Observe. docs/integrations.md describes the guarantees.
package outbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/store"
)

// Outcomes of an attempt, as Observe is told.
const (
	OutcomeSent   = "sent"   // accepted by the receiver
	OutcomeRetry  = "retry"  // failed; tried again later
	OutcomeFailed = "failed" // failed for good
)

// Defaults of Config.
const (
	DefaultPoll        = 5 * time.Second
	DefaultLease       = 5 * time.Minute
	DefaultBatch       = 50
	DefaultConcurrency = 2
	// DefaultKeep is how long sent and failed messages, and every attempt,
	// stay in the store for the workspace to show.
	DefaultKeep = 30 * 24 * time.Hour
	// cleanupEvery is how often old messages are deleted.
	cleanupEvery = time.Hour
)

// Sender sends one message and says what the receiver answered. An error
// wrapped with Permanent is not retried.
type Sender func(ctx context.Context, it *consulta.OutboxItem) (detail string, err error)

// Config sets a worker up. Box, Store and Send are required.
type Config struct {
	Box   consulta.Outbox
	Store *store.Store
	Send  Sender
	// Backoff spaces the retries; MaxAttempts gives a message up after that
	// many failed attempts.
	Backoff     Backoff
	MaxAttempts int
	// Poll is how often the worker looks for due messages; Lease how long an
	// attempt may take before another worker may take the message over (it
	// must exceed the sender's own timeouts).
	Poll, Lease time.Duration
	Batch       int
	Concurrency int
	Keep        time.Duration
	// Owner names this worker in the attempt log (default host-pid-random).
	Owner  string
	Now    func() time.Time
	Logger *slog.Logger
	// Observe, when set, is told of every attempt's outcome and duration.
	Observe func(outcome string, took time.Duration)
	// Done, when set, is told of every attempt after it is recorded (the
	// webhooks count an endpoint's failures with it).
	Done func(ctx context.Context, it *consulta.OutboxItem, err error)
}

// Worker sends the messages of one outbox. Start it, Stop it on shutdown.
type Worker struct {
	cfg    Config
	cancel context.CancelFunc
	done   chan struct{}
	mu     sync.Mutex
}

// New returns a worker with cfg's defaults filled in.
func New(cfg Config) (*Worker, error) {
	if cfg.Store == nil || cfg.Send == nil || cfg.Box == "" {
		return nil, errors.New("outbox: a store, an outbox and a sender are required")
	}
	cfg.Backoff = cfg.Backoff.withDefaults()
	cfg.MaxAttempts = orDefault(cfg.MaxAttempts, DefaultMaxAttempts)
	cfg.Poll = orDefault(cfg.Poll, DefaultPoll)
	cfg.Lease = orDefault(cfg.Lease, DefaultLease)
	cfg.Batch = orDefault(cfg.Batch, DefaultBatch)
	cfg.Concurrency = orDefault(cfg.Concurrency, DefaultConcurrency)
	cfg.Keep = orDefault(cfg.Keep, DefaultKeep)
	if cfg.Owner == "" {
		host, _ := os.Hostname()
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		cfg.Owner = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Worker{cfg: cfg}, nil
}

func orDefault[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// Start sends due messages every Poll until Stop (or ctx ends).
func (w *Worker) Start(ctx context.Context) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done != nil {
		return
	}
	ctx, w.cancel = context.WithCancel(ctx)
	w.done = make(chan struct{})
	go w.loop(ctx, w.done)
}

// Stop ends the loop and waits for the attempts in flight, whose context is
// cancelled: their messages are tried again later.
func (w *Worker) Stop() {
	w.mu.Lock()
	cancel, done := w.cancel, w.done
	w.cancel, w.done = nil, nil
	w.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	<-done
}

func (w *Worker) loop(ctx context.Context, done chan struct{}) {
	defer close(done)
	tick := time.NewTicker(w.cfg.Poll)
	defer tick.Stop()
	lastCleanup := time.Time{}
	for {
		if _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			w.cfg.Logger.Error("outbox: sending", "outbox", w.cfg.Box, "err", err)
		}
		if now := w.cfg.Now(); now.Sub(lastCleanup) >= cleanupEvery {
			lastCleanup = now
			w.cleanup(ctx, now)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// cleanup deletes the messages done, and the attempts made, before Keep.
func (w *Worker) cleanup(ctx context.Context, now time.Time) {
	n, err := w.cfg.Store.DeleteOutboxBefore(ctx, w.cfg.Box, now.Add(-w.cfg.Keep))
	switch {
	case err != nil && ctx.Err() == nil:
		w.cfg.Logger.Error("outbox: clean-up", "outbox", w.cfg.Box, "err", err)
	case n > 0:
		w.cfg.Logger.Info("outbox: old messages deleted", "outbox", w.cfg.Box, "deleted", n)
	}
}

// RunOnce sends the messages due now (at most Batch) and returns how many it
// attempted.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	ids, err := w.cfg.Store.DueOutbox(ctx, w.cfg.Box, w.cfg.Now(), w.cfg.Batch)
	if err != nil {
		return 0, err
	}
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		n        int
		firstErr error
	)
	slots := make(chan struct{}, w.cfg.Concurrency)
	for _, id := range ids {
		if ctx.Err() != nil {
			break
		}
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			tried, err := w.attempt(ctx, id)
			mu.Lock()
			defer mu.Unlock()
			if tried {
				n++
			}
			if err != nil && firstErr == nil {
				firstErr = err
			}
		}()
	}
	wg.Wait()
	return n, firstErr
}

// attempt claims one message and, when it is this worker's, sends it and
// records the outcome. The error is the store's; a failed send is recorded.
func (w *Worker) attempt(ctx context.Context, id string) (bool, error) {
	it, err := w.cfg.Store.ClaimOutbox(ctx, w.cfg.Box, id, w.cfg.Owner, w.cfg.Lease, w.cfg.Now())
	if err != nil || it == nil {
		return false, err
	}
	started := w.cfg.Now()
	detail, sendErr := w.cfg.Send(ctx, it)
	took := w.cfg.Now().Sub(started)
	res, outcome := w.result(ctx, it, detail, sendErr, took)
	if err := w.cfg.Store.FinishOutbox(ctx, w.cfg.Box, it, res, w.cfg.Now()); err != nil {
		// The message is due again when its lease ends: an e-mail accepted
		// but not recorded is sent again (docs/integrations.md).
		return true, fmt.Errorf("outbox: record %s: %w", it.ID, err)
	}
	w.log(it, outcome, res)
	if outcome != "" && w.cfg.Observe != nil {
		w.cfg.Observe(outcome, took)
	}
	if w.cfg.Done != nil && outcome != "" {
		w.cfg.Done(context.WithoutCancel(ctx), it, sendErr)
	}
	return true, nil
}

// result is what an attempt's outcome records, and its Outcome ("" for an
// attempt cut short by a shutdown, which is neither counted nor backed off).
func (w *Worker) result(ctx context.Context, it *consulta.OutboxItem, detail string, err error, took time.Duration) (consulta.OutboxResult, string) {
	res := consulta.OutboxResult{Detail: detail, Took: took}
	switch {
	case err == nil:
		return res, OutcomeSent
	case ctx.Err() != nil:
		res.Err, res.NextTry = "stopped: "+err.Error(), w.cfg.Now()
		return res, ""
	}
	res.Err = err.Error()
	if IsPermanent(err) || it.Attempts >= w.cfg.MaxAttempts {
		return res, OutcomeFailed
	}
	res.NextTry = w.cfg.Now().Add(w.cfg.Backoff.Delay(it.Attempts))
	return res, OutcomeRetry
}

func (w *Worker) log(it *consulta.OutboxItem, outcome string, res consulta.OutboxResult) {
	l := w.cfg.Logger.With("outbox", w.cfg.Box, "id", it.ID, "attempt", it.Attempts, "took", res.Took.Round(time.Millisecond))
	switch outcome {
	case OutcomeSent:
		l.Info("outbox: sent", "detail", res.Detail)
	case OutcomeRetry:
		l.Warn("outbox: attempt failed", "err", res.Err, "next_try", res.NextTry)
	case OutcomeFailed:
		l.Error("outbox: given up", "err", res.Err)
	}
}
