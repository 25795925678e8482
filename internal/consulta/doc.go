// Package consulta holds Consulta's domain types and errors. It imports neither HTTP
// nor the database: the packages that talk to Fiber, MongoDB, PDF or the scheduler
// depend on it, never the other way round.
//
// The types the store keeps as they are (Response, User, FocusGroup, Triage,
// AuditEntry, the outbox items...) carry bson tags. A tag is text, not an import,
// and it spares the store a second copy of each type with a conversion both
// ways that would have to be kept in step field by field; the store alone reads
// the tags, and a type whose stored shape differs from the domain's (the open
// data catalog under its _id, say) keeps a private document type in the store.
package consulta
