package metrics_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/metrics"
)

// logLine is the part of a request's log line the tests read.
type logLine struct {
	Level  string `json:"level"`
	Status int    `json:"status"`
	Route  string `json:"route"`
	Sample int    `json:"sample"`
}

// serveAndLog sends each request of paths (a path's query "status" and "sleep"
// say how it is answered) through the middleware with policy, and returns the
// log lines written.
func serveAndLog(t *testing.T, policy *metrics.RequestLog, level slog.Level, paths []string) []logLine {
	t.Helper()
	m, err := metrics.New()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	policy.Logger = slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: level}))
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(m.Middleware(policy))
	app.Get("/p", func(c *fiber.Ctx) error {
		if d, _ := time.ParseDuration(c.Query("sleep")); d > 0 {
			time.Sleep(d)
		}
		status, _ := strconv.Atoi(c.Query("status", "200"))
		return c.SendStatus(status)
	})
	for _, p := range paths {
		resp, err := app.Test(httptest.NewRequest("GET", p, nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	var lines []logLine
	for _, raw := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
		if len(raw) == 0 {
			continue
		}
		var l logLine
		if err := json.Unmarshal(raw, &l); err != nil {
			t.Fatalf("log line %q: %v", raw, err)
		}
		lines = append(lines, l)
	}
	return lines
}

func repeat(path string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = path
	}
	return out
}

func TestRequestLogKeepsErrorsSlowRequestsAndASample(t *testing.T) {
	tests := []struct {
		name   string
		policy metrics.RequestLog
		level  slog.Level
		paths  []string
		want   []logLine
	}{
		{
			name:   "one ordinary request in three, marked as a sample",
			policy: metrics.RequestLog{SampleEvery: 3},
			paths:  repeat("/p", 7),
			want:   []logLine{{"INFO", 200, "/p", 3}, {"INFO", 200, "/p", 3}},
		},
		{
			name:   "every client and server error, whatever the sample",
			policy: metrics.RequestLog{SampleEvery: 0},
			paths:  []string{"/p", "/p?status=404", "/p?status=422", "/p?status=503", "/p"},
			want:   []logLine{{"INFO", 404, "/p", 0}, {"INFO", 422, "/p", 0}, {"WARN", 503, "/p", 0}},
		},
		{
			name:   "a slow request, as a warning",
			policy: metrics.RequestLog{Slow: 30 * time.Millisecond},
			paths:  []string{"/p", "/p?sleep=40ms", "/p"},
			want:   []logLine{{"WARN", 200, "/p", 0}},
		},
		{
			name:   "every request at the debug level",
			policy: metrics.RequestLog{SampleEvery: 100},
			level:  slog.LevelDebug,
			paths:  repeat("/p", 3),
			want:   []logLine{{"DEBUG", 200, "/p", 0}, {"DEBUG", 200, "/p", 0}, {"DEBUG", 200, "/p", 0}},
		},
		{
			name:   "every request when the sample is 1",
			policy: metrics.RequestLog{SampleEvery: 1},
			paths:  repeat("/p", 2),
			want:   []logLine{{"INFO", 200, "/p", 0}, {"INFO", 200, "/p", 0}},
		},
	}
	for i := range tests {
		tt := &tests[i]
		t.Run(tt.name, func(t *testing.T) {
			got := serveAndLog(t, &tt.policy, tt.level, tt.paths)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d lines %+v, want %+v", len(got), got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("line %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}
