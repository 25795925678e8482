package metrics

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/intake"
)

// FormSet tells known form ids from anything else in a URL, so that a label never
// takes an unbounded set of values (*forms.Registry is one).
type FormSet interface {
	Get(id string) (*forms.Form, bool)
}

// maxLoggedPath bounds the path written to the request log.
const maxLoggedPath = 200

// Middleware times every request into the latency histogram, counts submissions and
// writes the request log lines that log keeps (see RequestLog). A log line holds
// no personal data: no IP address, no user agent, no query string (it can carry
// the embedding page or a session code), no body; the path only names a route
// and a form.
func (m *Metrics) Middleware(known FormSet, log *RequestLog) fiber.Handler {
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
		// Fiber's strings alias buffers reused by the next request: labels, which
		// the registry keeps, must be copies.
		method := strings.Clone(c.Method())
		m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Observe(took.Seconds())
		if method == fiber.MethodPost && isSubmitRoute(route) {
			m.countSubmission(c, known, status)
		}
		log.log(c, requestLine{route: route, status: status, took: took})
		return nil
	}
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

func isSubmitRoute(route string) bool {
	return route == "/f/:form" || route == "/api/v1/forms/:form/responses"
}

func (m *Metrics) countSubmission(c *fiber.Ctx, known FormSet, status int) {
	form := "unknown"
	if f, ok := known.Get(c.Params("form")); ok {
		form = f.ID
	}
	replayed := string(c.Response().Header.Peek("Idempotent-Replayed")) == "true"
	m.submissions.WithLabelValues(form, channelOf(c), outcomeOf(status, replayed)).Inc()
}

// channelOf infers the channel the way intake does, from the session code and the
// embedding page of the submission.
func channelOf(c *fiber.Ctx) string {
	if c.Route().Path == "/f/:form" {
		return string(intake.ChannelFor(c.FormValue("_page"), c.FormValue("_session")))
	}
	var meta struct {
		Page    string `json:"page"`
		Session string `json:"session"`
	}
	_ = json.Unmarshal(c.Body(), &meta)
	return string(intake.ChannelFor(meta.Page, meta.Session))
}

// outcomeOf names what happened to a submission from its HTTP status.
func outcomeOf(status int, replayed bool) string {
	switch {
	case status == fiber.StatusCreated && replayed:
		return "replayed"
	case status == fiber.StatusCreated:
		return "created"
	case status == fiber.StatusSeeOther:
		return "accepted" // the no-JavaScript form: stored or replayed
	case status == fiber.StatusUnprocessableEntity:
		return "invalid"
	case status == fiber.StatusConflict:
		return "conflict"
	case status == fiber.StatusTooManyRequests:
		return "rate_limited"
	case status == fiber.StatusForbidden:
		return "refused"
	case status == fiber.StatusNotFound:
		return "not_found"
	case status == fiber.StatusServiceUnavailable:
		return "unavailable"
	case status >= 500:
		return "error"
	default:
		return "bad_request"
	}
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
