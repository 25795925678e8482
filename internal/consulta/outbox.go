package consulta

import "time"

// Outbox names a queue of messages waiting to leave Consulta: one item per
// message (an e-mail to one recipient, a webhook delivery to one endpoint),
// whose ID is derived from what it is about, so that enqueuing the same
// message twice stores it once. Workers on any replica claim due messages one
// at a time, send them, and record the outcome (docs/integrations.md). The
// store keeps each outbox in a collection of the same name, and the name is
// written in the attempt log: the values never change.
type Outbox string

// The outboxes.
const (
	MailOutbox    Outbox = "mail_outbox"
	WebhookOutbox Outbox = "webhook_outbox"
)

// States of an outbox message.
const (
	OutboxPending = "pending" // waiting for its next try (or being tried)
	OutboxSent    = "sent"    // accepted by the receiving server
	OutboxFailed  = "failed"  // given up: a permanent refusal or too many failures
)

// OutboxItem is one message of an outbox. Data and Body are the sender's:
// what it needs to make the message (a report and a recipient, an endpoint
// and an event) and, for webhooks, the event's JSON.
type OutboxItem struct {
	ID string `bson:"_id"`
	// Group is what the workspace lists messages by (a distribution list,
	// a webhook endpoint); Label what a person reads (a recipient, an event).
	Group string            `bson:"group"`
	Label string            `bson:"label"`
	Data  map[string]string `bson:"data"`
	Body  []byte            `bson:"body,omitempty"`
	State string            `bson:"state"`
	// Attempts counts the claims made; the attempt in hand is number Attempts.
	Attempts int `bson:"attempts"`
	// NextTry is when the message is due: set to the end of the lease while
	// a worker holds it, so that it is due again if that worker dies.
	NextTry   time.Time `bson:"next_try"`
	Owner     string    `bson:"owner,omitempty"`
	CreatedAt time.Time `bson:"created_at"`
	// DoneAt is when it was sent or given up.
	DoneAt    time.Time `bson:"done_at,omitempty"`
	LastError string    `bson:"last_error,omitempty"`
}

// OutboxAttempt is one attempt at a message: its ID, "<outbox>|<item>#<n>",
// is stored before the attempt starts, so that exactly one worker makes
// attempt n; the outcome is written to it at the end.
type OutboxAttempt struct {
	ID         string    `bson:"_id"`
	Box        Outbox    `bson:"box"`
	Item       string    `bson:"item"`
	Group      string    `bson:"group"`
	Label      string    `bson:"label"`
	Attempt    int       `bson:"attempt"`
	Owner      string    `bson:"owner"`
	StartedAt  time.Time `bson:"started_at"`
	LeaseUntil time.Time `bson:"lease_until"`
	FinishedAt time.Time `bson:"finished_at,omitempty"`
	OK         bool      `bson:"ok"`
	// Detail is what the receiver answered (an SMTP reply, an HTTP status).
	Detail string        `bson:"detail,omitempty"`
	Error  string        `bson:"error,omitempty"`
	Took   time.Duration `bson:"took,omitempty"`
}

// OutboxResult is the outcome of one attempt.
type OutboxResult struct {
	// Err is the failure; empty when the receiver accepted the message.
	Err string
	// Detail is what the receiver answered.
	Detail string
	// NextTry is when a failed message is tried again; zero gives it up.
	NextTry time.Time
	Took    time.Duration
}
