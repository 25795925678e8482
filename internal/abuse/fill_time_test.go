package abuse

import (
	"testing"
	"time"
)

// A form's own minimum fill time replaces the configured one, both ways: a
// one-tap form (0) takes an answer at once, a long form may ask for more.
func TestFormMinFillTime(t *testing.T) {
	zero, five := time.Duration(0), 5*time.Second
	tests := []struct {
		name      string
		own       *time.Duration
		wait      time.Duration
		want      Reason
		wantRetry time.Duration
	}{
		{"the default at once", nil, 0, ReasonTooFast, 2 * time.Second},
		{"a one-tap form at once", &zero, 0, "", 0},
		{"a longer minimum, too soon", &five, 3 * time.Second, ReasonTooFast, 2 * time.Second},
		{"a longer minimum, met", &five, 5 * time.Second, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			g := newGuard(c, 30)
			token := g.IssueToken("utilidad-pagina")
			c.advance(tt.wait)
			v := g.CheckSubmission(Attempt{FormID: "utilidad-pagina", Token: token, Address: "10.1.2.3", RequireToken: true, MinFillTime: tt.own})
			if v.Blocked != tt.want || v.RetryAfter != tt.wantRetry {
				t.Fatalf("verdict = %+v, want %q retry %v", v, tt.want, tt.wantRetry)
			}
		})
	}
}
