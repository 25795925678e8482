package consulta

import "time"

// ResponseFilter selects responses. Empty fields do not filter.
type ResponseFilter struct {
	FormID, Lang, Department, Session, Status string
	// Assignee and Tag keep the responses whose triage names that account or
	// holds that tag (mirrored on the response when the triage is saved).
	Assignee, Tag string
	// Reply keeps the responses in that reply state (ReplyRequested or
	// ReplyAnswered); it is checked row by row (no index: few ask).
	Reply string
	// Text keeps responses with a text answer (or a chosen option) containing it,
	// ignoring case and accents. It is matched in Go on both stores: neither can do
	// it with an index that both support.
	Text    string
	Channel Channel
	// From and To bound received_at to [From, To); a zero time leaves that side open.
	From, To time.Time
	// OldestFirst turns the browser's order (a ResponsePage) around: oldest
	// first, on the same indexes read the other way.
	OldestFirst bool
}
