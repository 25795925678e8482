package server

import (
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"

	"github.com/consulta/consulta/internal/abuse"
	"github.com/valyala/fasthttp"
)

// BenchmarkCachedFormPage is the HTTP layer's own cost of a cached form page
// (the heaviest form, gzipped, rate limits on), without sockets: what
// cmd/loadtest's page figures pay on top of a bare handler's.
func BenchmarkCachedFormPage(b *testing.B) {
	reg, tr, cat := shippedParts(&testing.T{})
	guard := abuse.New(abuse.Config{Secret: strings.Repeat("k", 32), RateLimit: 1 << 20})
	s, err := New(Deps{Forms: reg, Geo: cat, Translator: tr, Abuse: guard,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, Options{})
	if err != nil {
		b.Fatal(err)
	}
	handler := s.App().Handler()
	var ctx fasthttp.RequestCtx
	var req fasthttp.Request
	serve := func(i int) {
		req.Reset()
		req.SetRequestURI("/f/necesidades-informacion")
		req.Header.Set("Accept-Encoding", "gzip, deflate, br")
		ctx.Init(&req, &net.TCPAddr{IP: net.IPv4(10, byte(i>>16), byte(i>>8), byte(i)), Port: 4000}, nil)
		ctx.Response.Reset()
		handler(&ctx)
		if ctx.Response.StatusCode() != fasthttp.StatusOK || len(ctx.Response.Body()) < 1000 {
			b.Fatalf("status %d, %d bytes", ctx.Response.StatusCode(), len(ctx.Response.Body()))
		}
	}
	serve(0) // renders and caches the page
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		serve(i & 0xffff)
	}
}
