package abuse

import (
	"strconv"
	"testing"
	"time"
)

// BenchmarkPageLoad is the guard's share of serving a form page: the page
// load's check against its address's ceiling, a fresh token and the key it
// names, with addresses from 65,536 clients as cmd/loadtest sends them.
func BenchmarkPageLoad(b *testing.B) {
	g := New(Config{Secret: "0123456789abcdef0123456789abcdef", RateLimit: 1 << 20})
	addresses := make([]string, 1<<16)
	for i := range addresses {
		addresses[i] = "10." + strconv.Itoa(i>>8) + "." + strconv.Itoa(i&255) + ".1"
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if v := g.CheckPageLoad(addresses[i&(len(addresses)-1)], nil); !v.OK() {
			b.Fatalf("page load %d blocked: %+v", i, v)
		}
		if KeyOf(g.IssueToken("necesidades-informacion")) == "" {
			b.Fatal("no key")
		}
	}
}

// BenchmarkSubmissionCheck is the guard's share of a submission: a genuine
// token, old enough, charged to its page load and its address.
func BenchmarkSubmissionCheck(b *testing.B) {
	now := time.Now()
	g := New(Config{Secret: "0123456789abcdef0123456789abcdef", RateLimit: 1 << 20,
		Now: func() time.Time { return now }})
	tokens := make([]string, 1<<12)
	for i := range tokens {
		tokens[i] = g.IssueToken("utilidad-pagina")
	}
	now = now.Add(10 * time.Second)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		a := Attempt{FormID: "utilidad-pagina", Token: tokens[i&(len(tokens)-1)], Address: "10.0." + strconv.Itoa(i&255) + ".1", RequireToken: true}
		if v := g.CheckSubmission(a); !v.OK() {
			b.Fatalf("submission %d blocked: %+v", i, v)
		}
	}
}
