package store_test

import (
	"context"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/embedded"
	"github.com/consulta/consulta/internal/store"
	"github.com/consulta/consulta/internal/storetest"
)

const opTimeout = time.Second

// slack is what a failure may take beyond the operation timeout (scheduling, a
// loaded machine).
const slack = time.Second

func TestOpenUnreachableStore(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()

	start := time.Now()
	s, err := store.Open(ctxT(t), store.Options{URI: "mongodb://" + addr + "/", OpTimeout: opTimeout})
	if err == nil {
		s.Close(ctxT(t))
		t.Fatal("Open succeeded on a closed port")
	}
	wantCode(t, err, consulta.EUNAVAILABLE)
	if elapsed := time.Since(start); elapsed > opTimeout+slack {
		t.Fatalf("Open took %v to fail", elapsed)
	}
}

// TestStoreGoesDown stops the embedded server under a Store: every call must fail
// with EUNAVAILABLE within the operation timeout.
func TestStoreGoesDown(t *testing.T) {
	if testing.Short() {
		t.Skip("waits out the store's deadline on every call")
	}
	server, err := embedded.Open(ctxT(t), t.TempDir(), "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctxT(t), store.Options{URI: server.URI(), Database: "down", OpTimeout: opTimeout})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	insert(t, s, newResponse("before", "f", base, nil), nil)
	if err := server.Close(); err != nil {
		t.Fatal(err)
	}

	calls := []struct {
		name string
		call func(context.Context) error
	}{
		{"InsertResponse", func(ctx context.Context) error {
			_, _, err := s.InsertResponse(ctx, newResponse("after", "f", base, nil), nil)
			return err
		}},
		{"Response", func(ctx context.Context) error { _, err := s.Response(ctx, "before"); return err }},
		{"Contact", func(ctx context.Context) error { _, err := s.Contact(ctx, "before"); return err }},
		{"EachResponse", func(ctx context.Context) error {
			return s.EachResponse(ctx, consulta.ResponseFilter{}, nil, func(*consulta.Response) error { return nil })
		}},
		{"CountResponses", func(ctx context.Context) error {
			_, err := s.CountResponses(ctx, consulta.ResponseFilter{})
			return err
		}},
		{"InsertResponses", func(ctx context.Context) error {
			_, err := s.InsertResponses(ctx, []*consulta.Response{newResponse("bulk", "f", base, nil)}, nil)
			return err
		}},
		{"SaveFormVersion", func(ctx context.Context) error { return s.SaveFormVersion(ctx, "f", 1, "h", nil) }},
		{"DeleteContactsBefore", func(ctx context.Context) error { _, err := s.DeleteContactsBefore(ctx, base); return err }},
		{"Ping", s.Ping},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			err := c.call(context.Background()) // no deadline of the caller's: the store's own must hold
			wantCode(t, err, consulta.EUNAVAILABLE)
			if elapsed := time.Since(start); elapsed > opTimeout+slack {
				t.Fatalf("failed after %v", elapsed)
			}
		})
	}
}

func TestCloseWritesQueuedResponses(t *testing.T) {
	const window = 3 * time.Second
	s := storetest.Open(t, store.Options{BatchWindow: window})
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, created, err := s.InsertResponse(ctxT(t), newResponse(fmt.Sprintf("q%02d", i), "f", base, nil), nil)
			if err == nil && !created {
				err = fmt.Errorf("q%02d not created", i)
			}
			errs[i] = err
		})
	}
	time.Sleep(100 * time.Millisecond) // well inside the window: the batch is still gathering
	start := time.Now()
	if err := s.Close(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed > window/2 {
		t.Fatalf("Close took %v: it waited for the batch window instead of writing at once", elapsed)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}

	_, _, err := s.InsertResponse(ctxT(t), newResponse("late", "f", base, nil), nil)
	wantCode(t, err, consulta.EUNAVAILABLE)

	reader, err := store.Open(ctxT(t), store.Options{URI: storetest.URI(t), Database: s.DB().Name()})
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close(ctxT(t))
	if got, err := reader.CountResponses(ctxT(t), consulta.ResponseFilter{}); err != nil || got != n {
		t.Fatalf("%d responses stored (%v), want %d", got, err, n)
	}
}
