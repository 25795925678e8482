package store_test

import (
	"context"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/store"
	"github.com/consulta/consulta/internal/storetest"
)

// Every start after the first opens a database that already has its collections and
// indexes (FerretDB used to drop the connection on that: see mongoBackend.createIndex).
// On the embedded store, FerretDB keeps only its _id index: the others live in
// SQLite (TestUpgradeInPlace).
func TestOpenExistingDatabase(t *testing.T) {
	first := storetest.New(t)
	insert(t, first, newResponse("kept", "f", base, nil), nil)

	second, err := store.Open(ctxT(t), store.Options{URI: storetest.URI(t), Database: first.DB().Name(),
		EmbeddedDir: storetest.StoreDir(t)})
	if err != nil {
		t.Fatalf("second Open: %v", err)
	}
	defer second.Close(ctxT(t))
	if _, err := second.Response(ctxT(t), "kept"); err != nil {
		t.Fatalf("second store cannot read the first one's response: %v", err)
	}

	want := map[string][]string{
		"responses": {"_id_"},
		"contacts":  {"_id_"},
	}
	for coll, names := range want {
		specs, err := second.DB().Collection(coll).Indexes().ListSpecifications(ctxT(t))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range specs {
			got = append(got, s.Name)
		}
		if !sameStrings(sorted(got), names) {
			t.Errorf("%s indexes = %v, want %v", coll, sorted(got), names)
		}
	}
}

// TestStalledStoreCallsEnd: when the server stops answering but its
// connections stay open (a hung MongoDB, a network path that drops packets),
// every call still ends at the store's own deadline (Options.OpTimeout),
// though the caller gave none, with EUNAVAILABLE. (TestStoreGoesDown covers a
// server that is gone: its connections are refused at once.)
func TestStalledStoreCallsEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("waits out the store's deadline on every call")
	}
	p := newStallProxy(t, storetest.URI(t))
	s, err := store.Open(ctxT(t), store.Options{URI: p.uri, Database: "stalled", OpTimeout: opTimeout})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.close() // first: Close would wait on the stalled connections
		s.Close(context.Background())
	})
	insert(t, s, newResponse("before", "f", base, nil), nil)
	p.stall()
	for _, c := range []struct {
		name string
		call func(context.Context) error
	}{
		{"Response", func(ctx context.Context) error { _, err := s.Response(ctx, "before"); return err }},
		{"InsertResponse", func(ctx context.Context) error {
			_, _, err := s.InsertResponse(ctx, newResponse("after", "f", base, nil), nil)
			return err
		}},
		{"CountResponses", func(ctx context.Context) error {
			_, err := s.CountResponses(ctx, consulta.ResponseFilter{})
			return err
		}},
		{"Ping", s.Ping},
	} {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			done := make(chan error, 1)
			go func() { done <- c.call(context.Background()) }() // no deadline of the caller's
			var err error
			select {
			case err = <-done:
			case <-time.After(5 * opTimeout):
				t.Fatalf("still waiting after %v: the store set no deadline", 5*opTimeout)
			}
			elapsed := time.Since(start)
			wantCode(t, err, consulta.EUNAVAILABLE)
			if elapsed > opTimeout+slack {
				t.Errorf("failed after %v, want about %v", elapsed, opTimeout)
			}
			if elapsed < opTimeout/2 {
				t.Errorf("failed after %v: the proxy did not stall it", elapsed)
			}
		})
	}
}

// stallProxy relays a store's connections until stall is called; from then
// on it reads and drops what either side sends, keeping every connection
// open, and holds new ones the same way.
type stallProxy struct {
	uri     string
	ln      net.Listener
	stalled atomic.Bool
	mu      sync.Mutex
	conns   []net.Conn
}

func newStallProxy(t *testing.T, target string) *stallProxy {
	t.Helper()
	network, addr := "tcp", ""
	host, _, _ := strings.Cut(strings.TrimPrefix(target, "mongodb://"), "/")
	if path, err := url.PathUnescape(host); err == nil && strings.HasPrefix(path, "/") {
		network, addr = "unix", path // the embedded store's socket
	} else {
		addr = host
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &stallProxy{uri: "mongodb://" + ln.Addr().String() + "/", ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.track(c)
			if p.stalled.Load() {
				go p.pipe(nil, c)
				continue
			}
			up, err := net.Dial(network, addr)
			if err != nil {
				c.Close()
				continue
			}
			p.track(up)
			go p.pipe(up, c)
			go p.pipe(c, up)
		}
	}()
	t.Cleanup(p.close)
	return p
}

func (p *stallProxy) stall() { p.stalled.Store(true) }

func (p *stallProxy) track(c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.conns = append(p.conns, c)
}

// pipe copies src to dst until the proxy stalls, then drops what it reads.
func (p *stallProxy) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 && dst != nil && !p.stalled.Load() {
			if _, err := dst.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// close closes the listener and every connection.
func (p *stallProxy) close() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}
