package store

import (
	"slices"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

// index is a secondary index that a query of the store relies on. The list in
// declaredIndexes is the one place where indexes are declared: MongoDB gets each
// as an ordinary index, the embedded store as a SQLite expression index on the
// same fields (docs/storage.md, "Indexes"). TestQueryShapesHaveIndexes fails
// when the code sends a query that none of them serves.
type index struct {
	coll string
	name string
	// keys are the indexed fields, ascending; a query uses an index when its
	// equality conditions cover a prefix of the keys and its range or sort is
	// on the key that follows.
	keys []string
	// ttl, when set, makes MongoDB delete a document that long after the time
	// in its single key. The embedded store has no TTL indexes: a scheduled
	// job deletes those documents on both stores.
	ttl time.Duration
	// partial names the field that only some documents have (a session, a
	// department): the embedded store indexes only those documents, so that
	// the others cost no index update.
	partial string
	// mongoOnly indexes are not created on the embedded store: its single
	// writer pays every index on every insert, and the browser's scan budget
	// serves these filters well enough there (docs/storage.md, "Indexes").
	mongoOnly bool
	// unique makes MongoDB refuse two documents with the same keys.
	unique bool
}

// Fields of a response, as stored.
const (
	fieldID         = "_id"
	fieldForm       = "form"
	fieldReceivedAt = "received_at"
	fieldLang       = "lang"
	fieldDepartment = "department"
	fieldChannel    = "channel"
	fieldSession    = "session"
	fieldStatus     = "status"
	// The triage's assignee and tags, mirrored on the response by SaveTriage
	// so that the browser filters on them like on the status.
	fieldAssignee = "assignee"
	fieldTags     = "tags"
	// fieldReply is the reply state (consulta.Response.Reply), set by
	// SetReply; not indexed.
	fieldReply = "reply"
)

// responseIndexes serve the responses browser (newest first, any filter), the
// streams of reports, exports and open data (a form over a period) and the
// counts of focus-group sessions. Each ends in received_at and _id, so that
// keyset pagination on (received_at, _id) reads them in order.
var responseIndexes = []index{
	{coll: responsesName, name: "received", keys: []string{fieldReceivedAt, fieldID}},
	{coll: responsesName, name: "form_received", keys: []string{fieldForm, fieldReceivedAt, fieldID}},
	{coll: responsesName, name: "form_status_received", keys: []string{fieldForm, fieldStatus, fieldReceivedAt, fieldID}},
	{coll: responsesName, name: "session_received", keys: []string{fieldSession, fieldReceivedAt, fieldID}, partial: fieldSession},
	{coll: responsesName, name: "form_department_received", keys: []string{fieldForm, fieldDepartment, fieldReceivedAt, fieldID}, partial: fieldDepartment},
	{coll: responsesName, name: "department_received", keys: []string{fieldDepartment, fieldReceivedAt, fieldID}, partial: fieldDepartment},
	{coll: responsesName, name: "form_lang_received", keys: []string{fieldForm, fieldLang, fieldReceivedAt, fieldID}, mongoOnly: true},
	{coll: responsesName, name: "form_channel_received", keys: []string{fieldForm, fieldChannel, fieldReceivedAt, fieldID}, mongoOnly: true},
	{coll: responsesName, name: "status_received", keys: []string{fieldStatus, fieldReceivedAt, fieldID}, mongoOnly: true},
	{coll: responsesName, name: "lang_received", keys: []string{fieldLang, fieldReceivedAt, fieldID}, mongoOnly: true},
	{coll: responsesName, name: "channel_received", keys: []string{fieldChannel, fieldReceivedAt, fieldID}, mongoOnly: true},
	// Only triaged responses have an assignee: the embedded store's partial
	// index costs the inserts of new responses nothing.
	{coll: responsesName, name: "assignee_received", keys: []string{fieldAssignee, fieldReceivedAt, fieldID}, partial: fieldAssignee},
	// A multikey index on MongoDB; the embedded store checks a tag on the rows
	// of another index (SQLite cannot index the elements of an array).
	{coll: responsesName, name: "tags_received", keys: []string{fieldTags, fieldReceivedAt, fieldID}, mongoOnly: true},
}

// embeddedIndexes are the indexes of ixs that the embedded store creates.
func embeddedIndexes(ixs []index) []index {
	var out []index
	for _, ix := range ixs {
		if !ix.mongoOnly {
			out = append(out, ix)
		}
	}
	return out
}

// declaredIndexes is every secondary index of the store. Collections not named
// here are read by _id only.
func declaredIndexes() []index {
	return append(slices.Clone(responseIndexes),
		index{coll: contactsName, name: "form", keys: []string{"form"}},
		index{coll: contactsName, name: "received", keys: []string{"received_at"}},
		index{coll: loginSessionsName, name: "user", keys: []string{"user"}},
		index{coll: loginSessionsName, name: "expires", keys: []string{"expires_at"}, ttl: time.Second},
		index{coll: loginAttemptsName, name: "expires", keys: []string{"expires_at"}, ttl: time.Second},
		index{coll: auditName, name: "actor", keys: []string{"actor", "_id"}},
		index{coll: auditName, name: "action", keys: []string{"action", "_id"}},
		index{coll: triageName, name: "action_at", keys: []string{"action_at", "_id"}},
		index{coll: focusGroupsName, name: "org", keys: []string{"org"}},
		// The webhook feed of triage reads the triage saved since its cursor.
		index{coll: triageName, name: "updated", keys: []string{"updated_at", "_id"}},
		// Outboxes: the due messages and the pending ones in order of their
		// next try, the sent and failed ones by when (listing, clean-up); the
		// attempts of an endpoint (its delivery log), and by age (clean-up).
		index{coll: string(consulta.MailOutbox), name: "state_next", keys: []string{"state", "next_try", "_id"}},
		index{coll: string(consulta.MailOutbox), name: "state_done", keys: []string{"state", "done_at", "_id"}},
		index{coll: string(consulta.WebhookOutbox), name: "state_next", keys: []string{"state", "next_try", "_id"}},
		index{coll: string(consulta.WebhookOutbox), name: "state_done", keys: []string{"state", "done_at", "_id"}},
		index{coll: outboxAttemptsName, name: "group_started", keys: []string{"group", "started_at", "_id"}},
		index{coll: outboxAttemptsName, name: "started", keys: []string{"started_at", "_id"}},
		// The GridFS bucket of reports: the indexes, names and options the
		// drivers give a bucket, declared because a driver creates them only
		// when the bucket is empty, which a restored one is not (a driver that
		// finds them by their keys leaves them be). FerretDB serves GridFS
		// without them.
		index{coll: ReportsBucket + ".files", name: "filename_1_uploadDate_1", keys: []string{"filename", "uploadDate"}, mongoOnly: true},
		index{coll: ReportsBucket + ".chunks", name: "files_id_1_n_1", keys: []string{"files_id", "n"}, unique: true, mongoOnly: true},
		index{coll: ReportHTMLBucket + ".files", name: "filename_1_uploadDate_1", keys: []string{"filename", "uploadDate"}, mongoOnly: true},
		index{coll: ReportHTMLBucket + ".chunks", name: "files_id_1_n_1", keys: []string{"files_id", "n"}, unique: true, mongoOnly: true},
	)
}

// equalityPrefix is the number of leading keys of ix, before received_at, that
// the equality fields eq all cover; -1 when some key before received_at is not
// in eq (the index cannot serve the query).
func (ix index) equalityPrefix(eq []string) int {
	n := 0
	for _, k := range ix.keys {
		if k == fieldReceivedAt {
			return n
		}
		if !slices.Contains(eq, k) {
			return -1
		}
		n++
	}
	return -1
}

// prefixHas reports whether field is one of ix's keys before received_at: an
// equality on it is served by the index.
func (ix index) prefixHas(field string) bool {
	for _, k := range ix.keys {
		if k == fieldReceivedAt {
			return false
		}
		if k == field {
			return true
		}
	}
	return false
}

// narrowest ranks the fields by how few responses one value of them usually
// holds: a focus-group session a few dozen, a tag or an assignee the few an
// analyst triaged, a department one in 22, a status other than new a fifth, a
// channel a quarter, a language most of them.
var narrowest = []string{fieldSession, fieldTags, fieldAssignee, fieldDepartment, fieldStatus, fieldChannel, fieldLang, fieldForm}

// rank is the position of the narrowest field of ix's equality prefix in
// narrowest (lower is narrower).
func (ix index) rank() int {
	best := len(narrowest)
	for _, k := range ix.keys {
		if i := slices.Index(narrowest, k); i >= 0 && i < best {
			best = i
		}
	}
	return best
}

// chooseResponseIndex returns the index of ixs (the response indexes a store
// has) that serves a query with equality conditions on the fields eq, ordered
// or bounded by received_at: among those whose prefix eq covers, the one with
// the narrowest field, then the longest prefix. The other conditions are
// checked on the rows it yields, so a narrow index means fewer rows to check.
// "received" (ixs[0], no prefix) serves any query.
func chooseResponseIndex(ixs []index, eq []string) index {
	best, bestN := ixs[0], 0
	for _, ix := range ixs {
		n := ix.equalityPrefix(eq)
		if n <= 0 {
			continue
		}
		if bestN == 0 || ix.rank() < best.rank() || (ix.rank() == best.rank() && n > bestN) {
			best, bestN = ix, n
		}
	}
	return best
}
