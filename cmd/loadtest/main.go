// Command loadtest measures Consulta's ingest side by side with its baselines, in
// one run, on loopback:
//
//   - bare: a Fiber handler that does nothing, served by a process of its own
//     (this program started again with -serve-bare), as Consulta is;
//   - submit: JSON submissions to a running consulta (each with a fresh
//     Idempotency-Key), at each concurrency;
//   - page: GET of a form page, in rounds that alternate with the bare
//     handler, so that the two are compared over the same stretch of time;
//   - visit: whole visits without JavaScript (GET the page, wait the fill time,
//     POST its hidden fields and the answers, expect 303);
//   - insertmany: a bare loop of InsertMany batches of response-like documents
//     into the same store, in a scratch database.
//
// Requests carry a browser's Accept-Encoding and one of -clients addresses in
// X-Forwarded-For, so the server runs with its defaults (rate limits on, minimum
// fill time) when it trusts the load tool as its proxy. It prints a Markdown table
// with requests per second, p50 and p99 latency, errors and the ratios asked for in
// docs/performance.md. Start the server first, e.g.
//
//	CONSULTA_TRUSTED_PROXIES=127.0.0.1 CONSULTA_DATA_DIR=$(mktemp -d) consulta serve
//	go run ./cmd/loadtest -url http://127.0.0.1:8080 -store-uri mongodb://...
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if len(os.Args) == 2 && os.Args[1] == serveBareArg {
		if err := serveBare(); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest: bare server:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// settings are the command-line settings.
type settings struct {
	url       string
	storeURI  string
	form      string
	page      string
	conns     []int
	duration  time.Duration
	batch     int
	pageConns int
	rounds    int
	clients   clients
	visit     visitPlan
	visitConn int
	bareHere  bool
}

func run(ctx context.Context, args []string) error {
	var o settings
	var conns string
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.StringVar(&o.url, "url", "http://127.0.0.1:8080", "base URL of the running consulta")
	fs.StringVar(&o.storeURI, "store-uri", "", "MongoDB URI of the same store, for the bare InsertMany baseline (empty: skip it)")
	fs.StringVar(&o.form, "form", "utilidad-pagina", "form to submit to")
	fs.StringVar(&o.page, "page", "/f/utilidad-pagina?embed=1,/f/sugerencias,/f/necesidades-informacion", "form pages to GET, comma-separated")
	fs.StringVar(&conns, "c", "16,64,256", "concurrent connections, comma-separated")
	fs.DurationVar(&o.duration, "d", 10*time.Second, "duration of each measurement")
	fs.IntVar(&o.batch, "batch", 500, "documents per InsertMany in the baseline (the group commit's maximum)")
	fs.IntVar(&o.pageConns, "page-c", 64, "connections for the form page GET")
	fs.IntVar(&o.rounds, "rounds", 4, "rounds in which each form page GET alternates with the bare handler (its ratio compares the two)")
	fs.IntVar(&o.clients.n, "clients", 1<<16, "distinct client addresses sent in X-Forwarded-For (0: none; the server must trust 127.0.0.1 as its proxy)")
	fs.StringVar(&o.clients.encoding, "encoding", "gzip, deflate, br", "Accept-Encoding of every request, as a browser sends it (empty: none)")
	fs.StringVar(&o.visit.page, "visit", "/f/utilidad-pagina", "form page of the whole no-JavaScript visit (empty: skip it)")
	fs.DurationVar(&o.visit.fill, "fill", 2*time.Second, "time a visitor takes to fill the form: at least the server's CONSULTA_MIN_FILL_TIME")
	fs.IntVar(&o.visitConn, "visit-c", 64, "connections for the visits")
	fs.BoolVar(&o.bareHere, "bare-in-process", false, "serve the bare handler from this process, as figures before 2026-12-01 did (it flatters the bare handler: see docs/performance.md)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	for _, s := range strings.Split(conns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("-c: bad number %q", s)
		}
		o.conns = append(o.conns, n)
	}
	o.visit.base, o.visit.clients, o.visit.answers = o.url, o.clients, visitAnswers()
	bare, err := startBare(ctx, o.bareHere)
	if err != nil {
		return err
	}
	defer bare.Shutdown()
	return suite(ctx, o, "http://"+bare.addr)
}

// suite runs every measurement and prints the table.
func suite(ctx context.Context, o settings, bareURL string) error {
	var insert result
	if o.storeURI != "" {
		var err error
		if insert, err = insertManyLoop(ctx, o.storeURI, o.batch, o.duration); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "insertmany: %.0f docs/s\n", insert.rate())
	}
	fmt.Println("| load | conns | req/s | p50 ms | p99 ms | errors | ÷ bare Fiber | ÷ bare InsertMany |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|")
	for _, c := range o.conns {
		b := load(ctx, getRequest(bareURL+"/", o.clients), c, o.duration)
		row("bare Fiber GET", c, b, b, insert)
		s := load(ctx, submitRequest(o.url, o.form, o.clients), c, o.duration)
		row("submit "+o.form, c, s, b, insert)
		if c == o.pageConns {
			for _, page := range strings.Split(o.page, ",") {
				p, pb := paired(ctx, getRequest(o.url+page, o.clients), getRequest(bareURL+"/", o.clients), c, o.duration, o.rounds)
				row("GET "+page, c, p, pb, result{})
				row("bare Fiber GET, in turns with it", c, pb, pb, result{})
			}
		}
		if c == o.visitConn && o.visit.page != "" {
			v := visits(ctx, o.visit, c, o.duration+o.visit.fill)
			row(o.visit.String(), c, v, b, insert)
		}
	}
	if o.storeURI != "" {
		fmt.Printf("| bare InsertMany loop (batches of %d) | 1 | %.0f docs/s | | | %d | | 1.00 |\n", o.batch, insert.rate(), insert.errors)
	}
	return nil
}

func row(name string, c int, r, bare, insert result) {
	if r.firstErr != "" {
		fmt.Fprintf(os.Stderr, "%s at %d connections: first error: %s\n", name, c, r.firstErr)
	}
	ratio := func(base result) string {
		if base.rate() == 0 {
			return ""
		}
		return fmt.Sprintf("%.2f", r.rate()/base.rate())
	}
	fmt.Printf("| %s | %d | %.0f | %.1f | %.1f | %d | %s | %s |\n", name, c, r.rate(),
		ms(r.percentile(50)), ms(r.percentile(99)), r.errors, ratio(bare), ratio(insert))
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// freeLoopback returns a listener on a free loopback port.
func freeLoopback() (net.Listener, error) { return net.Listen("tcp4", "127.0.0.1:0") }
