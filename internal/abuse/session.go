package abuse

// SessionCapFactor bounds a focus-group session: it takes at most this many
// times the participants its facilitator expects, in all.
const SessionCapFactor = 2

// Session is an open focus-group session that an attempt names. Its
// participants sit in one room behind one address, so it does not share the
// address's ceiling with the rest of a school or an office: it has a budget
// of its own, a minute and in all, sized by the participants it expects, so
// that a code that leaks is worth that much and no more:
//
//   - page loads and submissions a minute: Expected, at least RateLimit and
//     at most the address ceiling (AddressFactor × RateLimit); each page load
//     is still its own client, and its token names one response;
//   - responses in all: SessionCapFactor × Expected, counted in the store
//     (every channel, paper entries included) so that every replica sees
//     the same total, by CheckSessionTotal once CheckSubmission let the
//     submission through (the count is only paid for submissions within the
//     minute's budget); submissions in flight may pass the cap by the few
//     that one minute's budget lets through at once.
type Session struct {
	Code string
	// Expected is the number of participants the facilitator expects.
	Expected int
}

// SessionCap is the most responses a session expecting that many
// participants takes; the server counts a session's responses up to it.
func SessionCap(expected int) int64 {
	return SessionCapFactor * int64(max(expected, 1))
}

// CheckSessionTotal decides whether session s, holding responses already,
// takes one more; call it after CheckSubmission let the submission through.
func (g *Guard) CheckSessionTotal(s *Session, responses int64) Verdict {
	if g.cfg.RateLimit <= 0 || responses < SessionCap(s.Expected) {
		return Verdict{}
	}
	return g.block(ReasonSessionFull, 0)
}

// sessionRate is a session's budget a minute, for page loads and for
// submissions.
func (g *Guard) sessionRate(expected int) float64 {
	rate := float64(g.cfg.RateLimit)
	return min(max(float64(expected), rate), rate*float64(g.cfg.AddressFactor))
}
