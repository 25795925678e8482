package metrics

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
)

// maxLoggedPath bounds the path written to the request log.
const maxLoggedPath = 200

// Middleware times every request into the latency histogram and writes the
// request log lines that log keeps (see RequestLog). Submissions are counted
// by intake, which knows what became of them (Metrics.Submission). A log line holds
// no personal data: no IP address, no user agent, no query string (it can carry
// the embedding page or a session code), no body; the path only names a route
// and a form.
func (m *Metrics) Middleware(log *RequestLog) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		if err != nil {
			// Let the app's error handler write the response now, so that the
			// status recorded is the one the client gets.
			if herr := c.App().ErrorHandler(c, err); herr != nil {
				_ = c.SendStatus(fiber.StatusInternalServerError)
			}
		}
		took := time.Since(start)
		status := c.Response().StatusCode()
		route := routeOf(c, status)
		m.latency(c.Method(), route, status).Observe(took.Seconds())
		log.log(c, requestLine{route: route, status: status, took: took})
		return nil
	}
}

// latencyKey names one series of the latency histogram.
type latencyKey struct {
	method, route string
	status        int
}

// latency returns the histogram series of a method, route and status, made
// once: the label values' hashing and copies took about 1 % of the CPU of a
// cached form page load.
func (m *Metrics) latency(method, route string, status int) prometheus.Observer {
	key := latencyKey{method, route, status}
	if o, ok := m.series.Load(key); ok {
		return o.(prometheus.Observer)
	}
	// Fiber's strings alias buffers reused by the next request: the labels
	// and the key, which are kept, must be copies.
	key.method = strings.Clone(method)
	o := m.requests.WithLabelValues(key.method, route, strconv.Itoa(status))
	m.series.Store(key, o)
	return o
}

// routeOf is the matched route pattern; requests that matched no route share one
// label.
func routeOf(c *fiber.Ctx, status int) string {
	r := c.Route()
	if r == nil || r.Path == "" || r.Path == "/" && c.Path() != "/" {
		return "unmatched"
	}
	if status == fiber.StatusNotFound && r.Path == "/static" {
		return "unmatched"
	}
	return r.Path
}

// maskPath replaces every path segment that holds an e-mail address (the
// workspace's user routes name accounts by e-mail; anyone can request any
// path) with "[email]": request logs keep no personal data.
func maskPath(path string) string {
	if !strings.Contains(path, "@") && !strings.Contains(strings.ToLower(path), "%40") {
		return path
	}
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		if strings.Contains(seg, "@") || strings.Contains(strings.ToLower(seg), "%40") {
			segs[i] = "[email]"
		}
	}
	return strings.Join(segs, "/")
}
