package main

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"net/url"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
)

// visitPlan is a whole visit without JavaScript: GET the form page, wait as a
// person filling it would (at least the server's minimum fill time), then POST
// the page's hidden fields with the answers, as the browser sends the form, and
// expect the 303 to the thank-you page.
type visitPlan struct {
	base    string // the server, e.g. http://127.0.0.1:8080
	page    string // the form page, e.g. /f/utilidad-pagina
	answers url.Values
	fill    time.Duration
	clients clients
}

// pendingVisit is a page loaded and being "filled in".
type pendingVisit struct {
	ready  time.Time
	form   url.Values // the hidden fields and answers to post
	action string
	addr   string // the person's address (X-Forwarded-For), the same for both requests
	get    time.Duration
}

// visits runs conns workers for d. Each worker keeps a queue of pages being
// filled in: it posts the oldest once its fill time is over, and loads a new
// page otherwise, so the server sees page loads and posts interleaved as from
// many people at once. The rate counts the visits completed after the first
// fill time (before it, there are only page loads); a visit's latency is its
// GET's plus its POST's.
func visits(ctx context.Context, p visitPlan, conns int, d time.Duration) result {
	client := &fasthttp.Client{MaxConnsPerHost: conns, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	start := time.Now()
	countFrom := start.Add(p.fill)
	results := make([]result, conns)
	var wg sync.WaitGroup
	for w := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[w] = visitWorker(ctx, client, p, countFrom)
		}()
	}
	wg.Wait()
	return merge(results, time.Since(start)-p.fill)
}

func visitWorker(ctx context.Context, client *fasthttp.Client, p visitPlan, countFrom time.Time) result {
	var r result
	var queue []pendingVisit
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	fail := func(err string) {
		r.errors++
		if r.firstErr == "" {
			r.firstErr = err
		}
	}
	for ctx.Err() == nil {
		if len(queue) > 0 && time.Now().After(queue[0].ready) {
			v := queue[0]
			queue = queue[1:]
			took, err := postVisit(client, req, resp, p, v)
			switch {
			case err != "":
				fail(err)
			case time.Now().After(countFrom):
				r.count++
				r.latencies = append(r.latencies, v.get+took)
			}
			continue
		}
		v, err := loadPage(client, req, resp, p)
		if err != "" {
			fail(err)
			continue
		}
		queue = append(queue, v)
	}
	return r
}

// loadPage GETs the form page as a person's browser does and keeps its form.
func loadPage(client *fasthttp.Client, req *fasthttp.Request, resp *fasthttp.Response, p visitPlan) (pendingVisit, string) {
	req.Reset()
	req.SetRequestURI(p.base + p.page)
	req.Header.SetMethod(fasthttp.MethodGet)
	p.clients.dress(req)
	addr := string(req.Header.Peek(fasthttp.HeaderXForwardedFor))
	t0 := time.Now()
	if err := client.Do(req, resp); err != nil || resp.StatusCode() != fasthttp.StatusOK {
		return pendingVisit{}, "GET " + describe(err, resp)
	}
	took := time.Since(t0)
	body, err := resp.BodyUncompressed()
	if err != nil {
		return pendingVisit{}, "GET: " + err.Error()
	}
	action, form := hiddenFields(body)
	if form.Get("_t") == "" || action == "" {
		return pendingVisit{}, "GET: no form with a page-load token in the page"
	}
	for k, vs := range p.answers {
		form[k] = vs
	}
	form.Set("website", "") // the honeypot, empty as a person leaves it
	return pendingVisit{ready: time.Now().Add(p.fill), form: form, action: action, addr: addr, get: took}, ""
}

// postVisit sends the filled-in form and expects the redirect to the thanks page.
func postVisit(client *fasthttp.Client, req *fasthttp.Request, resp *fasthttp.Response, p visitPlan, v pendingVisit) (time.Duration, string) {
	req.Reset()
	req.SetRequestURI(p.base + v.action)
	req.Header.SetMethod(fasthttp.MethodPost)
	req.Header.SetContentType("application/x-www-form-urlencoded")
	// The browser posts from the form's own page: its origin is the server's.
	req.Header.Set("Origin", p.base)
	req.Header.Set(fasthttp.HeaderReferer, p.base+p.page)
	if p.clients.encoding != "" {
		req.Header.Set(fasthttp.HeaderAcceptEncoding, p.clients.encoding)
	}
	if v.addr != "" {
		req.Header.Set(fasthttp.HeaderXForwardedFor, v.addr)
	}
	req.SetBodyString(v.form.Encode())
	t0 := time.Now()
	err := client.Do(req, resp)
	took := time.Since(t0)
	if err != nil || resp.StatusCode() != fasthttp.StatusSeeOther {
		return 0, "POST " + describe(err, resp)
	}
	return took, ""
}

// hiddenFields reads the action and hidden inputs of the page's form, as the
// server's templates write them: <input type="hidden" name="…" value="…">.
func hiddenFields(page []byte) (action string, form url.Values) {
	form = url.Values{}
	if i := bytes.Index(page, []byte(`<form method="post" action="`)); i >= 0 {
		rest := page[i+len(`<form method="post" action="`):]
		if j := bytes.IndexByte(rest, '"'); j >= 0 {
			action = html.UnescapeString(string(rest[:j]))
		}
	}
	const input = `<input type="hidden" name="`
	for rest := page; ; {
		i := bytes.Index(rest, []byte(input))
		if i < 0 {
			return action, form
		}
		rest = rest[i+len(input):]
		name, after, ok := bytes.Cut(rest, []byte(`" value="`))
		if !ok || bytes.ContainsAny(name, `<>"`) {
			continue
		}
		value, _, ok := bytes.Cut(after, []byte(`"`))
		if !ok {
			continue
		}
		form.Add(string(name), html.UnescapeString(string(value)))
	}
}

// visitAnswers are the answers of a page-feedback visit: "no", and what the
// person was looking for.
func visitAnswers() url.Values {
	return url.Values{"useful": {"false"}, "looking_for": {"presupuesto por departamento"}}
}

func (p visitPlan) String() string { return fmt.Sprintf("visit %s (no JavaScript)", p.page) }
