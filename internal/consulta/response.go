package consulta

import "time"

// Channel says how a response reached Consulta.
type Channel string

// The channels a response arrives by: a widget embedded in a portal page, the standalone
// form page, a focus-group session, and a paper batch import.
const (
	ChannelWidget     Channel = "widget"
	ChannelPage       Channel = "page"
	ChannelFocusGroup Channel = "focus_group"
	ChannelImport     Channel = "import"
)

// Channels lists every channel in display order.
var Channels = []Channel{ChannelWidget, ChannelPage, ChannelFocusGroup, ChannelImport}

// Geo is the answer to a geo question: INE codes of a department ("01") and of a
// municipality ("0101").
type Geo struct {
	Department   string `bson:"department" json:"department"`
	Municipality string `bson:"municipality" json:"municipality"`
}

// Response is one person's answers to one version of one form.
//
// Answers holds only non-personal answers, keyed by question id, with values
// typed by question type: string (single, text, textarea, email, phone),
// []string (multiple), float64 (scale, rating, number), bool (yesno, consent),
// Geo (geo). Answers to personal questions live in a Contact, apart.
type Response struct {
	ID          string         `bson:"_id" json:"id"`
	FormID      string         `bson:"form" json:"form"`
	FormVersion int            `bson:"form_version" json:"form_version"`
	Lang        string         `bson:"lang" json:"lang"`
	Channel     Channel        `bson:"channel" json:"channel"`
	Page        string         `bson:"page,omitempty" json:"page,omitempty"`
	Session     string         `bson:"session,omitempty" json:"session,omitempty"`
	ReceivedAt  time.Time      `bson:"received_at" json:"received_at"`
	Answers     map[string]any `bson:"answers" json:"answers"`
	// Department is the INE code of the first geo answer, copied out so that
	// filters and breakdowns need not know which question asked it.
	Department string `bson:"department,omitempty" json:"department,omitempty"`
	// HasContact is true when a Contact with the same ID was stored.
	HasContact bool `bson:"has_contact" json:"has_contact"`
	// RequestHash fingerprints the submission so that a replay of the same
	// idempotency key with a different body is recognised as a conflict.
	RequestHash string `bson:"request_hash" json:"-"`
	// Status is the triage status (StatusNew on arrival).
	Status string `bson:"status" json:"status"`
	// Assignee and Tags mirror the triage's (an account's ID, lower-case
	// tags), set when the response is triaged, so that the browser filters
	// and shows them.
	Assignee string   `bson:"assignee,omitempty" json:"assignee,omitempty"`
	Tags     []string `bson:"tags,omitempty" json:"tags,omitempty"`
	// Reply is ReplyRequested when the citizen asked for a reply, and
	// ReplyAnswered once staff marked it answered; empty otherwise. Whether
	// a contact was left is HasContact; the contact itself is elsewhere.
	Reply string `bson:"reply,omitempty" json:"reply,omitempty"`
}

// Reply states of a response.
const (
	ReplyRequested = "requested"
	ReplyAnswered  = "answered"
)

// Contact holds the answers to a response's personal questions (name, email,
// phone...). It shares the response's ID, is shown only to admins, and is deleted
// after the retention period.
type Contact struct {
	ID         string         `bson:"_id" json:"id"`
	FormID     string         `bson:"form" json:"form"`
	ReceivedAt time.Time      `bson:"received_at" json:"received_at"`
	Fields     map[string]any `bson:"fields" json:"fields"`
}

// Triage statuses of a response.
const (
	StatusNew       = "new"
	StatusInReview  = "in_review"
	StatusAnswered  = "answered"
	StatusActioned  = "actioned"
	StatusDismissed = "dismissed"
)

// TriageStatuses lists the triage statuses in workflow order.
func TriageStatuses() []string {
	return []string{StatusNew, StatusInReview, StatusAnswered, StatusActioned, StatusDismissed}
}
