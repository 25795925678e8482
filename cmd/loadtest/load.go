package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
)

// result is one measurement.
type result struct {
	count     int
	errors    int
	elapsed   time.Duration
	latencies []time.Duration
	firstErr  string // the first failure seen, to explain errors
}

func (r result) rate() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.count) / r.elapsed.Seconds()
}

// percentile of the successful requests' latencies (sorted by load).
func (r result) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	i := int(float64(len(r.latencies)-1) * p / 100)
	return r.latencies[i]
}

// requestFunc fills req for the next request and says which status is success.
type requestFunc func(req *fasthttp.Request) (wantStatus int)

func getRequest(url string, c clients) requestFunc {
	return func(req *fasthttp.Request) int {
		req.SetRequestURI(url)
		req.Header.SetMethod(fasthttp.MethodGet)
		c.dress(req)
		return fasthttp.StatusOK
	}
}

// submitRequest posts one page-feedback answer with a fresh idempotency key.
func submitRequest(base, form string, c clients) requestFunc {
	url := base + "/api/v1/forms/" + form + "/responses"
	return func(req *fasthttp.Request) int {
		req.SetRequestURI(url)
		req.Header.SetMethod(fasthttp.MethodPost)
		req.Header.SetContentType("application/json")
		req.Header.Set("Idempotency-Key", newKey())
		c.dress(req)
		req.SetBodyString(`{"answers":{"useful":false,"looking_for":"presupuesto por departamento"},"lang":"es","page":"https://www.mineduc.gob.gt/transparencia/"}`)
		return fasthttp.StatusCreated
	}
}

func newKey() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "lt-" + hex.EncodeToString(b)
}

// load runs conns workers, each with its own keep-alive connection, for d.
func load(ctx context.Context, next requestFunc, conns int, d time.Duration) result {
	client := &fasthttp.Client{MaxConnsPerHost: conns, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	results := make([]result, conns)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[w] = worker(ctx, client, next)
		}()
	}
	wg.Wait()
	return merge(results, time.Since(start))
}

// paired measures a against base in rounds alternating between the two, each
// d/rounds long, and adds up each side's rounds: a machine whose speed drifts
// during the run (a shared VM's does, by a quarter between minutes) slows both
// alike, so their ratio holds still where two runs one after the other would
// not.
func paired(ctx context.Context, a, base requestFunc, conns int, d time.Duration, rounds int) (ra, rb result) {
	rounds = max(rounds, 1)
	var as, bs []result
	for i := range rounds {
		slice := d / time.Duration(rounds)
		if i%2 == 0 { // base first in every other round, so neither always follows the other
			bs, as = append(bs, load(ctx, base, conns, slice)), append(as, load(ctx, a, conns, slice))
		} else {
			as, bs = append(as, load(ctx, a, conns, slice)), append(bs, load(ctx, base, conns, slice))
		}
	}
	return sum(as), sum(bs)
}

// sum adds up measurements of the same load taken at different times.
func sum(rs []result) result {
	var elapsed time.Duration
	for _, r := range rs {
		elapsed += r.elapsed
	}
	return merge(rs, elapsed)
}

// merge adds up the workers' results over elapsed.
func merge(results []result, elapsed time.Duration) result {
	total := result{elapsed: elapsed}
	for _, r := range results {
		total.count += r.count
		total.errors += r.errors
		total.latencies = append(total.latencies, r.latencies...)
		if total.firstErr == "" {
			total.firstErr = r.firstErr
		}
	}
	slices.Sort(total.latencies)
	return total
}

func worker(ctx context.Context, client *fasthttp.Client, next requestFunc) result {
	var r result
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	for ctx.Err() == nil {
		req.Reset()
		want := next(req)
		t0 := time.Now()
		err := client.Do(req, resp)
		took := time.Since(t0)
		if err != nil || resp.StatusCode() != want {
			r.errors++
			if r.errors == 1 {
				r.firstErr = describe(err, resp)
			}
			continue
		}
		r.count++
		r.latencies = append(r.latencies, took)
	}
	return r
}

func describe(err error, resp *fasthttp.Response) string {
	if err != nil {
		return err.Error()
	}
	return fmt.Sprintf("%d %.200s", resp.StatusCode(), resp.Body())
}
