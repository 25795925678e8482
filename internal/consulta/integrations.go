package consulta

import "time"

// MailList is an e-mail distribution list: who gets the report of one form,
// in one language, each time a scheduled run of one kind stores it.
type MailList struct {
	ID         string    `bson:"_id"`
	Name       string    `bson:"name"`
	Kind       string    `bson:"kind"` // monthly or biannual
	FormID     string    `bson:"form"`
	Lang       string    `bson:"lang"`
	Recipients []string  `bson:"recipients"`
	CreatedAt  time.Time `bson:"created_at"`
	CreatedBy  string    `bson:"created_by"`
	UpdatedAt  time.Time `bson:"updated_at"`
	UpdatedBy  string    `bson:"updated_by"`
}

// WebhookEndpoint is a receiver of webhook deliveries. Secret is the signing
// secret, sealed with the service's secret key (package webhook).
type WebhookEndpoint struct {
	ID        string    `bson:"_id"`
	URL       string    `bson:"url"`
	Events    []string  `bson:"events"`
	Secret    string    `bson:"secret"`
	CreatedAt time.Time `bson:"created_at"`
	CreatedBy string    `bson:"created_by"`
	UpdatedAt time.Time `bson:"updated_at"`
	Disabled  bool      `bson:"disabled"`
	// DisabledReason is "admin" or "failures" (disabled automatically).
	DisabledReason string    `bson:"disabled_reason,omitempty"`
	DisabledAt     time.Time `bson:"disabled_at,omitempty"`
	// Failures counts the failed attempts since the last success.
	Failures    int       `bson:"failures"`
	LastSuccess time.Time `bson:"last_success,omitempty"`
	LastFailure time.Time `bson:"last_failure,omitempty"`
}

// FeedCursor is how far a feed of events has read: the time and ID of the
// last stored item it turned into events.
type FeedCursor struct {
	ID string    `bson:"_id"`
	At time.Time `bson:"at"`
	// Last is the ID of the last item read at At.
	Last string `bson:"last"`
}
