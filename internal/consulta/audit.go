package consulta

import "time"

// AuditEntry is one record of the append-only audit log: who did what to what.
// Its ID starts with the time in hexadecimal nanoseconds, so that the _id
// order is the time order and paging newest-first is a range on _id.
type AuditEntry struct {
	ID     string    `bson:"_id"`
	At     time.Time `bson:"at"`
	Actor  string    `bson:"actor"` // user ID, or the e-mail tried for a failed login
	Role   string    `bson:"role,omitempty"`
	Action string    `bson:"action"` // e.g. "login.success", "export", "contact.view"
	Target string    `bson:"target,omitempty"`
	Detail string    `bson:"detail,omitempty"`
}

// CommandLineActor is the actor of the entries written by the command line
// (consulta user add), which no account signs in to.
const CommandLineActor = "cli"

// AuditFilter selects audit entries; empty fields do not filter.
type AuditFilter struct {
	Actor, Action string
	// Target keeps the entries about one thing (a session's code, a
	// response's ID); only with Action, whose index it narrows.
	Target   string
	From, To time.Time
	// BeforeID keeps entries older than this ID (paging newest first).
	BeforeID string
	Limit    int // default 100
}
