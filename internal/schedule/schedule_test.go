package schedule

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/shippedtest"

	"github.com/go-co-op/gocron/v2"
	"github.com/jonboulle/clockwork"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/embedded"
	"github.com/consulta/consulta/internal/report"
	"github.com/consulta/consulta/internal/seed"
	"github.com/consulta/consulta/internal/store"
)

func guatemala(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("America/Guatemala")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestPeriodBefore(t *testing.T) {
	loc := guatemala(t)
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, loc) }
	tests := []struct {
		kind     Kind
		at       time.Time
		id       string
		from, to time.Time
	}{
		{Monthly, at(2026, 11, 1, 6), "monthly:2026-10", at(2026, 10, 1, 0), at(2026, 11, 1, 0)},
		{Monthly, at(2026, 1, 1, 6), "monthly:2025-12", at(2025, 12, 1, 0), at(2026, 1, 1, 0)},
		{Biannual, at(2026, 7, 1, 6), "biannual:2026-S1", at(2026, 1, 1, 0), at(2026, 7, 1, 0)},
		{Biannual, at(2027, 1, 1, 6), "biannual:2026-S2", at(2026, 7, 1, 0), at(2027, 1, 1, 0)},
		{Biannual, at(2026, 3, 15, 6), "biannual:2025-S2", at(2025, 7, 1, 0), at(2026, 1, 1, 0)},
		// 1 November 03:00 UTC is still 31 October in Guatemala.
		{Monthly, time.Date(2026, 11, 1, 3, 0, 0, 0, time.UTC), "monthly:2026-09", at(2026, 9, 1, 0), at(2026, 10, 1, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			p, err := PeriodBefore(tt.kind, tt.at, loc)
			if err != nil {
				t.Fatal(err)
			}
			if p.ID != tt.id || !p.From.Equal(tt.from) || !p.To.Equal(tt.to) {
				t.Errorf("got %s %v – %v", p.ID, p.From, p.To)
			}
		})
	}
}

// env is one database seen by two replicas, with data to report on.
type env struct {
	stores []*store.Store
	deps   report.Deps
	loc    *time.Location
}

func newEnv(t *testing.T) *env {
	t.Helper()
	loc := guatemala(t)
	reg, tr, cat := shippedtest.Catalogs(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// An embedded store of its own on disk, as `serve` runs it, which both
	// replicas' Stores open.
	srv, err := embedded.Open(ctx, t.TempDir(), "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	var stores []*store.Store
	for range 2 {
		st, err := store.Open(ctx, store.Options{URI: srv.URI(), Database: "consulta", EmbeddedDir: srv.StoreDir()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close(context.Background()) })
		stores = append(stores, st)
	}
	first := stores[0]
	f, _ := reg.Get("utilidad-pagina")
	rs, _ := seed.Generate(f, cat, 300, time.Date(2026, 1, 1, 0, 0, 0, 0, loc), time.Date(2026, 7, 1, 0, 0, 0, 0, loc), rand.New(rand.NewPCG(1, 1)))
	if _, err := first.InsertResponses(ctx, rs, nil); err != nil {
		t.Fatal(err)
	}
	return &env{stores: stores, loc: loc,
		deps: report.Deps{Forms: reg, Translator: tr, Geo: cat, Location: loc}}
}

// The tests' specs: both reports at 06:00, so that a test fires them
// together on 1 July (config holds the defaults the app uses).
const (
	testMonthly  = "0 6 1 * *"
	testBiannual = "0 6 1 1,7 *"
)

func (e *env) scheduler(t *testing.T, replica int, clock clockwork.Clock, cfg Config) *Scheduler {
	t.Helper()
	deps := e.deps
	deps.Source = e.stores[replica]
	cfg.Clock, cfg.Location, cfg.Owner = clock, e.loc, "replica-"+string(rune('a'+replica))
	if cfg.Forms == nil {
		cfg.Forms = []string{"utilidad-pagina"}
	}
	cfg.Monthly, cfg.Biannual = cmp.Or(cfg.Monthly, testMonthly), cmp.Or(cfg.Biannual, testBiannual)
	s, err := New(e.stores[replica], deps, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestTwoReplicasOneReport fires the scheduled jobs of two schedulers on two
// Store values of one database, as two `serve` processes would, and checks
// that each run produced exactly one report.
func TestTwoReplicasOneReport(t *testing.T) {
	e := newEnv(t)
	clock := clockwork.NewFakeClockAt(time.Date(2026, 7, 1, 5, 59, 0, 0, e.loc))
	var logs lockedBuffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	a, b := e.scheduler(t, 0, clock, Config{Logger: logger}), e.scheduler(t, 1, clock, Config{Logger: logger})
	for _, s := range []*Scheduler{a, b} { // each replica's own gocron scheduler, as in two processes
		jobs, err := gocron.NewScheduler(gocron.WithClock(clock), gocron.WithLocation(e.loc))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Schedule(jobs); err != nil {
			t.Fatal(err)
		}
		jobs.Start()
		defer func() { _ = jobs.Shutdown() }()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	// Both replicas have set the timers of their three jobs on the fake clock.
	if err := clock.BlockUntilContext(ctx, 6); err != nil {
		t.Fatal("the jobs' timers were not set:", err)
	}

	done := func() bool {
		runs, err := a.Runs(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		finished := 0
		for _, r := range runs {
			if r.Status == StatusDone {
				finished++
			}
		}
		return finished == 2
	}
	for !done() {
		if ctx.Err() != nil {
			t.Fatal("the runs did not finish")
		}
		clock.Advance(5 * time.Second)
		time.Sleep(50 * time.Millisecond)
	}
	reports, err := a.Archive().List(ctx, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("one report per run", func(t *testing.T) {
		ids := map[string]int{}
		for _, r := range reports {
			ids[r.Run]++
		}
		if len(reports) != 2 || ids["monthly:2026-06"] != 1 || ids["biannual:2026-S1"] != 1 {
			t.Errorf("reports %+v", reports)
		}
	})
	t.Run("both replicas fired both jobs", func(t *testing.T) {
		out := logs.String()
		if n := strings.Count(out, "run started"); n != 2 {
			t.Errorf("%d runs started:\n%s", n, out)
		}
		if n := strings.Count(out, "run left to another replica"); n != 2 {
			t.Errorf("%d runs left to the other replica:\n%s", n, out)
		}
	})
	t.Run("each run attempted once", func(t *testing.T) {
		runs, _ := b.Runs(ctx, 0)
		for _, r := range runs {
			if r.Attempts != 1 || len(r.Reports) != 1 {
				t.Errorf("run %+v", r)
			}
		}
	})
	t.Run("stored report readable with its metadata", func(t *testing.T) {
		for _, r := range reports {
			if r.Run != "biannual:2026-S1" {
				continue
			}
			rc, meta, err := b.Archive().Open(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(rc)
			_ = rc.Close()
			if string(data[:5]) != "%PDF-" || meta.Responses != 300 || meta.FormID != "utilidad-pagina" || meta.Kind != "biannual" || meta.Size != int64(len(data)) {
				t.Errorf("report %+v (%d bytes)", meta, len(data))
			}
		}
	})
}

// lockedBuffer collects the log lines of both schedulers.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestConcurrentExecute calls the same run from both replicas at once.
func TestConcurrentExecute(t *testing.T) {
	e := newEnv(t)
	clock := clockwork.NewFakeClockAt(time.Date(2026, 7, 1, 6, 0, 0, 0, e.loc))
	p, _ := PeriodBefore(Monthly, clock.Now(), e.loc)
	var wg sync.WaitGroup
	results := make([]*Run, 2)
	for i := range 2 {
		s := e.scheduler(t, i, clock, Config{})
		wg.Add(1)
		go func() {
			defer wg.Done()
			run, err := s.Execute(context.Background(), p)
			if err != nil {
				t.Error(err)
			}
			results[i] = run
		}()
	}
	wg.Wait()
	if (results[0] == nil) == (results[1] == nil) {
		t.Fatalf("want exactly one replica to run it: %v %v", results[0], results[1])
	}
	list, _ := NewArchive(e.stores[0]).List(context.Background(), "utilidad-pagina", 0)
	if len(list) != 1 {
		t.Errorf("%d reports stored", len(list))
	}
}

// observed records what Observe is told.
type observed struct {
	mu       sync.Mutex
	failures map[Kind]int
	ok       map[Kind]int
}

func (o *observed) observe(kind Kind, _ time.Duration, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if err != nil {
		o.failures[kind]++
	} else {
		o.ok[kind]++
	}
}

// TestFailedRunRetriedWithBackoff: a run that fails is recorded with its
// error in plain terms and its next try, is not tried again before it, is
// retried at it with a delay doubling up to the cap, keeps a bounded error
// history, and succeeds once the cause is gone; every attempt is observed.
func TestFailedRunRetriedWithBackoff(t *testing.T) {
	e := newEnv(t)
	clock := clockwork.NewFakeClockAt(time.Date(2026, 6, 1, 6, 0, 0, 0, e.loc))
	obs := &observed{failures: map[Kind]int{}, ok: map[Kind]int{}}
	broken := Config{Forms: []string{"utilidad-pagina", "no-such-form"}, Biannual: "-", Observe: obs.observe}
	s, other := e.scheduler(t, 0, clock, broken), e.scheduler(t, 1, clock, broken)
	p, _ := PeriodBefore(Monthly, clock.Now(), e.loc)
	ctx := context.Background()

	run, err := s.Execute(ctx, p)
	if err == nil || run == nil || run.Status != StatusFailed || run.Attempts != 1 {
		t.Fatalf("first attempt: run %+v err %v", run, err)
	}
	t.Run("recorded with reason, error and next try", func(t *testing.T) {
		got, _ := other.Run(ctx, p.ID)
		if got == nil || got.LastReason != ReasonNoForm || !strings.Contains(got.LastError, "no-such-form") ||
			!got.NextTry.Equal(clock.Now().Add(DefaultRetryDelay)) || len(got.Reports) != 1 {
			t.Errorf("record %+v", got)
		}
	})
	t.Run("not tried before its next try", func(t *testing.T) {
		clock.Advance(DefaultRetryDelay - time.Second)
		other.catchUp(ctx)
		if got, _ := other.Run(ctx, p.ID); got.Attempts != 1 {
			t.Errorf("%d attempts", got.Attempts)
		}
	})
	wantDelays := []time.Duration{10 * time.Minute, 20 * time.Minute, 40 * time.Minute, 80 * time.Minute,
		160 * time.Minute, 320 * time.Minute, 6 * time.Hour, 6 * time.Hour, 6 * time.Hour, 6 * time.Hour, 6 * time.Hour}
	for i, want := range wantDelays {
		clock.Advance(time.Second) // to the next try exactly
		sch := []*Scheduler{s, other}[i%2]
		sch.catchUp(ctx)
		got, _ := sch.Run(ctx, p.ID)
		if got.Attempts != i+2 || got.Status != StatusFailed || got.NextTry.Sub(got.FinishedAt) != want {
			t.Fatalf("attempt %d: %d attempts, status %s, next try after %v, want %v", i+2, got.Attempts, got.Status,
				got.NextTry.Sub(got.FinishedAt), want)
		}
		clock.Advance(want - time.Second)
	}
	t.Run("error history bounded", func(t *testing.T) {
		got, _ := s.Run(ctx, p.ID)
		if len(got.Errors) != errorsKept || got.Errors[len(got.Errors)-1].Attempt != got.Attempts {
			t.Errorf("%d errors kept, last %+v", len(got.Errors), got.Errors[len(got.Errors)-1])
		}
	})
	t.Run("succeeds once the cause is gone", func(t *testing.T) {
		clock.Advance(time.Second)
		fixed := e.scheduler(t, 0, clock, Config{Biannual: "-", Observe: obs.observe})
		fixed.catchUp(ctx)
		got, _ := fixed.Run(ctx, p.ID)
		if got.Status != StatusDone || !got.NextTry.IsZero() || got.Attempts != len(wantDelays)+2 || len(got.Reports) != 1 {
			t.Fatalf("run %+v", got)
		}
		if list, _ := fixed.Archive().List(ctx, "", 0); len(list) != 1 {
			t.Errorf("%d reports stored, want the one made by the first attempt", len(list))
		}
	})
	t.Run("every attempt observed", func(t *testing.T) {
		if obs.failures[Monthly] != len(wantDelays)+1 || obs.ok[Monthly] != 1 {
			t.Errorf("observed %v failures, %v successes", obs.failures, obs.ok)
		}
	})
}

// TestCatchUpRetriesAnyPeriod: the catch-up retries a failed run of an older
// period when its next try has come, and one left failed by the release that
// gave up after three attempts (no next try recorded), but not one whose next
// try is ahead.
func TestCatchUpRetriesAnyPeriod(t *testing.T) {
	e := newEnv(t)
	clock := clockwork.NewFakeClockAt(time.Date(2026, 7, 20, 10, 0, 0, 0, e.loc))
	ctx := context.Background()
	records := []struct {
		month   time.Month
		nextTry time.Time
	}{
		{time.March, clock.Now().Add(-time.Minute)},
		{time.April, time.Time{}},
		{time.May, clock.Now().Add(time.Hour)},
	}
	for _, r := range records {
		p, _ := PeriodBefore(Monthly, time.Date(2026, r.month+1, 1, 6, 0, 0, 0, e.loc), e.loc)
		doc := bson.D{{Key: "_id", Value: p.ID}, {Key: "kind", Value: "monthly"}, {Key: "from", Value: p.From.UTC()},
			{Key: "to", Value: p.To.UTC()}, {Key: "status", Value: StatusFailed}, {Key: "owner", Value: "old"},
			{Key: "attempts", Value: 3}}
		if !r.nextTry.IsZero() {
			doc = append(doc, bson.E{Key: "next_try", Value: r.nextTry.UTC()})
		}
		if _, err := e.stores[0].DB().Collection(store.ReportRunsName).InsertOne(ctx, doc); err != nil {
			t.Fatal(err)
		}
	}
	s := e.scheduler(t, 0, clock, Config{Biannual: "-", Monthly: "-"})
	s.catchUp(ctx)
	for id, want := range map[string]string{"monthly:2026-03": StatusDone, "monthly:2026-04": StatusDone, "monthly:2026-05": StatusFailed} {
		if got, _ := s.Run(ctx, id); got == nil || got.Status != want {
			t.Errorf("%s: %+v, want %s", id, got, want)
		}
	}
}

// TestEmptyPeriodGetsNoReport: a form with no responses in the period gets
// no PDF; the run is done and says which forms were empty.
func TestEmptyPeriodGetsNoReport(t *testing.T) {
	e := newEnv(t)
	clock := clockwork.NewFakeClockAt(time.Date(2026, 7, 1, 6, 0, 0, 0, e.loc))
	s := e.scheduler(t, 0, clock, Config{Forms: []string{"utilidad-pagina", "sugerencias"}, Biannual: "-"})
	p, _ := PeriodBefore(Monthly, clock.Now(), e.loc)
	ctx := context.Background()
	run, err := s.Execute(ctx, p)
	if err != nil || run.Status != StatusDone || len(run.Reports) != 1 || !slices.Equal(run.Empty, []string{"sugerencias"}) {
		t.Fatalf("run %+v err %v", run, err)
	}
	list, _ := s.Archive().List(ctx, "", 0)
	if len(list) != 1 || list[0].FormID != "utilidad-pagina" {
		t.Errorf("stored %+v", list)
	}
	if got, _ := s.Run(ctx, p.ID); !slices.Equal(got.Empty, []string{"sugerencias"}) {
		t.Errorf("record %+v", got)
	}
}

func TestBackoff(t *testing.T) {
	s := &Scheduler{cfg: Config{RetryDelay: 5 * time.Minute, MaxRetryDelay: 6 * time.Hour}}
	for attempts, want := range map[int]time.Duration{1: 5 * time.Minute, 2: 10 * time.Minute, 3: 20 * time.Minute,
		7: 320 * time.Minute, 8: 6 * time.Hour, 1000: 6 * time.Hour} {
		if got := s.backoff(attempts); got != want {
			t.Errorf("after %d failures: %v, want %v", attempts, got, want)
		}
	}
}

func TestReasonOf(t *testing.T) {
	for err, want := range map[error]Reason{
		fmt.Errorf("report: %w", context.Canceled):                                    ReasonStopped,
		fmt.Errorf("store: %w", context.DeadlineExceeded):                             ReasonTimeout,
		consulta.Errorf(consulta.EUNAVAILABLE, "store: responses: store unavailable"): ReasonStore,
		fmt.Errorf("%w: %q", errNoForm, "x"):                                          ReasonNoForm,
		errors.New("pdf: font missing"):                                               ReasonOther,
	} {
		if got := reasonOf(err); got != want {
			t.Errorf("%v: %s, want %s", err, got, want)
		}
	}
}

func TestAbandonedRunTakenOver(t *testing.T) {
	e := newEnv(t)
	clock := clockwork.NewFakeClockAt(time.Date(2026, 6, 1, 6, 0, 0, 0, e.loc))
	p, _ := PeriodBefore(Monthly, clock.Now(), e.loc)
	ctx := context.Background()
	// A replica died an hour ago in the middle of the run.
	_, err := e.stores[0].DB().Collection(store.ReportRunsName).InsertOne(ctx, bson.D{
		{Key: "_id", Value: p.ID}, {Key: "kind", Value: "monthly"}, {Key: "status", Value: StatusRunning},
		{Key: "owner", Value: "dead"}, {Key: "attempts", Value: 1}, {Key: "lease_until", Value: clock.Now().Add(-50 * time.Minute).UTC()},
	})
	if err != nil {
		t.Fatal(err)
	}
	s := e.scheduler(t, 1, clock, Config{Biannual: "-"})
	run, err := s.Execute(ctx, p)
	if err != nil || run == nil || run.Status != StatusDone || run.Attempts != 2 {
		t.Fatalf("run %+v err %v", run, err)
	}
	t.Run("catch-up finds nothing left to do", func(t *testing.T) {
		s.catchUp(ctx)
		list, _ := s.Archive().List(ctx, "", 0)
		if len(list) != 1 {
			t.Errorf("%d reports", len(list))
		}
	})
}

func TestCatchUpStartsMissedRun(t *testing.T) {
	e := newEnv(t)
	// Every replica was down on 1 October at 06:00; one comes back at 09:00.
	clock := clockwork.NewFakeClockAt(time.Date(2026, 10, 1, 9, 0, 0, 0, e.loc))
	s := e.scheduler(t, 0, clock, Config{Biannual: "-"})
	s.catchUp(context.Background())
	run, err := s.Run(context.Background(), "monthly:2026-09")
	if err != nil || run == nil || run.Status != StatusDone {
		t.Fatalf("run %+v err %v", run, err)
	}
	t.Run("not before its time", func(t *testing.T) {
		early := e.scheduler(t, 1, clockwork.NewFakeClockAt(time.Date(2026, 11, 1, 5, 0, 0, 0, e.loc)), Config{Biannual: "-"})
		early.catchUp(context.Background())
		if run, _ := early.Run(context.Background(), "monthly:2026-10"); run != nil {
			t.Errorf("run started before 06:00: %+v", run)
		}
	})
}

func TestBadCronSpec(t *testing.T) {
	e := newEnv(t)
	deps := e.deps
	deps.Source = e.stores[0]
	for _, cfg := range []Config{
		{Monthly: "every month", Biannual: "-"},
		{Monthly: "-", Biannual: "0 25 1 1,7 *"},
		{Monthly: "-", Biannual: "-", CatchUp: "* *"},
		{Monthly: "", Biannual: "-"}, // no spec: the app always passes config's
	} {
		if _, err := New(e.stores[0], deps, cfg); err == nil {
			t.Errorf("%+v: a bad or missing spec must be refused", cfg)
		}
	}
	if _, err := New(e.stores[0], deps, Config{Monthly: "-", Biannual: "-"}); err != nil {
		t.Errorf("both reports off: %v", err)
	}
}

// TestSpecInItsTimeZone: a spec is read in Config.Location, whatever the
// time zone of the gocron scheduler its job is added to.
func TestSpecInItsTimeZone(t *testing.T) {
	loc := guatemala(t)
	sp, err := parseSpec(testMonthly, loc, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	next := sp.Next(time.Date(2026, 10, 15, 0, 0, 0, 0, time.UTC))
	if want := time.Date(2026, 11, 1, 6, 0, 0, 0, loc); !next.Equal(want) {
		t.Errorf("next firing %v, want %v", next, want)
	}
	if sp.IsValid("* * *", time.UTC, time.Now()) != nil {
		t.Error("adding the job must not parse it again")
	}
}
