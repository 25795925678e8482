package store

import (
	"context"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"

	"github.com/consulta/consulta/internal/consulta"
)

// shape is what an index must serve in one command: the collection, the
// fields its filter names and the fields it sorts on.
type shape struct {
	coll         string
	filter, sort []string
}

func (s shape) String() string {
	return s.coll + " filter{" + strings.Join(s.filter, ",") + "} sort{" + strings.Join(s.sort, ",") + "}"
}

// shapeRecorder keeps the shape of every read, update and delete the driver
// sends.
type shapeRecorder struct {
	mu     sync.Mutex
	shapes map[string]shape
}

func (r *shapeRecorder) monitor() *event.CommandMonitor {
	return &event.CommandMonitor{Started: func(_ context.Context, e *event.CommandStartedEvent) {
		for _, s := range shapesOf(e.CommandName, e.Command) {
			r.mu.Lock()
			r.shapes[s.String()] = s
			r.mu.Unlock()
		}
	}}
}

// shapesOf reads the shapes of one command.
func shapesOf(name string, cmd bson.Raw) []shape {
	coll, _ := cmd.Lookup(name).StringValueOK()
	switch name {
	case "find":
		return []shape{{coll, keysOf(cmd.Lookup("filter")), keysOf(cmd.Lookup("sort"))}}
	case "findAndModify":
		return []shape{{coll, keysOf(cmd.Lookup("query")), keysOf(cmd.Lookup("sort"))}}
	case "aggregate": // CountDocuments: [{$match: …}, …]
		stages, _ := cmd.Lookup("pipeline").ArrayOK()
		vals, _ := stages.Values()
		if len(vals) > 0 {
			if m, ok := vals[0].Document().Lookup("$match").DocumentOK(); ok {
				return []shape{{coll, keysOf(bson.RawValue{Type: bson.TypeEmbeddedDocument, Value: m}), nil}}
			}
		}
	case "update", "delete":
		field, key := "updates", "q"
		if name == "delete" {
			field = "deletes"
		}
		var out []shape
		arr, _ := cmd.Lookup(field).ArrayOK()
		vals, _ := arr.Values()
		for _, v := range vals {
			out = append(out, shape{coll, keysOf(v.Document().Lookup(key)), nil})
		}
		return out
	}
	return nil
}

// keysOf lists the field names of a filter or sort document, looking inside
// $or and $and.
func keysOf(v bson.RawValue) []string {
	doc, ok := v.DocumentOK()
	if !ok {
		return nil
	}
	elems, _ := doc.Elements()
	set := map[string]bool{}
	for _, e := range elems {
		if k := e.Key(); k == "$or" || k == "$and" {
			arr, _ := e.Value().ArrayOK()
			vals, _ := arr.Values()
			for _, sub := range vals {
				for _, f := range keysOf(sub) {
					set[f] = true
				}
			}
			continue
		}
		set[e.Key()] = true
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// wholeReads are the reads of a whole small collection that need no index:
// the accounts and the focus-group sessions, listed in the workspace.
var wholeReads = map[string]bool{usersName: true, focusGroupsName: true, mailListsName: true, webhookEndpointsName: true}

// covered reports whether an index of declaredIndexes, or the _id index,
// serves s as MongoDB's planner would without reading the whole collection or
// sorting in memory: the index's first key is filtered or sorted on, and every
// sort key is in the index. Other filter fields are checked on the documents
// the index yields: a page of the browser bounds how many (PageScanBudget).
func covered(s shape) bool {
	used := append(slices.Clone(s.filter), s.sort...)
	if len(used) == 0 {
		return wholeReads[s.coll]
	}
	idIndex := index{coll: s.coll, name: "_id_", keys: []string{fieldID}}
	for _, ix := range append(declaredIndexes(), idIndex) {
		if ix.coll != s.coll || !slices.Contains(used, ix.keys[0]) {
			continue
		}
		if !slices.ContainsFunc(s.sort, func(k string) bool { return !slices.Contains(ix.keys, k) }) {
			return true
		}
	}
	return false
}

// TestQueryShapesHaveIndexes runs every store operation on MongoDB's code path
// (the driver-only backend, against FerretDB) and fails when a command it
// sends is not served by an index declared in indexes.go.
func TestQueryShapesHaveIndexes(t *testing.T) {
	rec := &shapeRecorder{shapes: map[string]shape{}}
	srv := embeddedServer(t)
	s := openOn(t, srv, Options{Monitor: rec.monitor()})
	exerciseStore(t, s)
	if len(rec.shapes) < 20 {
		t.Fatalf("only %d shapes recorded: the workload or the recorder is broken", len(rec.shapes))
	}
	var names []string
	for name, sh := range rec.shapes {
		names = append(names, name)
		if !covered(sh) {
			t.Errorf("no declared index serves %s", sh)
		}
	}
	sort.Strings(names)
	t.Logf("%d query shapes:\n%s", len(names), strings.Join(names, "\n"))
}

// exerciseStore calls every operation of the store that reads, updates or
// deletes, with the filters the application uses.
func exerciseStore(t *testing.T, s *Store) {
	t.Helper()
	ctx := testCtx(t)
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	r := &consulta.Response{ID: "r1", FormID: "f", Lang: "es", Channel: consulta.ChannelPage, ReceivedAt: now,
		Session: "S1", Department: "01", Answers: map[string]any{"q": "educación"}}
	c := &consulta.Contact{ID: "r1", Fields: map[string]any{"email": "a@b.gt"}}
	_, _, err := s.InsertResponse(ctx, r, c)
	must(err)
	_, _, err = s.InsertResponse(ctx, r, c) // a replay reads back
	must(err)
	_, err = s.InsertResponses(ctx, []*consulta.Response{{ID: "r2", FormID: "f", ReceivedAt: now}}, nil)
	must(err)
	_, err = s.Response(ctx, "r1")
	must(err)
	_, err = s.ExistingResponses(ctx, []string{"r1", "r2", "r3"})
	must(err)
	for _, f := range []consulta.ResponseFilter{{}, {FormID: "f"}, {FormID: "f", Lang: "es"}, {FormID: "f", Status: "new"},
		{FormID: "f", Department: "01"}, {FormID: "f", Channel: "page"}, {Session: "S1"}, {Status: "new"},
		{Lang: "es"}, {FormID: "f", From: now.Add(-time.Hour), To: now.Add(time.Hour)}, {Text: "educacion"},
		{Assignee: "u@x.gt"}, {Tag: "agua"}, {FormID: "f", Tag: "agua"}, {FormID: "f", OldestFirst: true}} {
		_, err = s.ResponsePage(ctx, f, consulta.PageKey{}, 10)
		must(err)
		_, err = s.ResponsePage(ctx, f, consulta.PageKey{At: now, ID: "r9"}, 10)
		must(err)
		_, err = s.EstimateResponses(ctx, f)
		must(err)
		_, err = s.CountResponses(ctx, f)
		must(err)
		must(s.EachResponse(ctx, f, nil, func(*consulta.Response) error { return nil }))
	}
	_, err = s.Contact(ctx, "r1")
	must(err)
	must(s.EachContact(ctx, "f", func(*consulta.Contact) error { return nil }))
	_, err = s.DeleteContactsBefore(ctx, now.Add(-time.Hour))
	must(err)
	_, err = s.SaveTriage(ctx, r, consulta.TriageUpdate{Status: consulta.StatusActioned, Action: "hecho", By: "u", At: now})
	must(err)
	_, err = s.ActionsBetween(ctx, "f", now.Add(-time.Hour), now.Add(time.Hour))
	must(err)
	_, err = s.ActionsBetween(ctx, "", time.Time{}, time.Time{})
	must(err)
	_, err = s.RecentActions(ctx, 5)
	must(err)
	must(s.CreateUser(ctx, &consulta.User{ID: "u@x.gt", Role: "admin", CreatedAt: now}))
	_, err = s.User(ctx, "u@x.gt")
	must(err)
	_, err = s.Users(ctx)
	must(err)
	must(s.UpdateUserAccess(ctx, "u@x.gt", "U", "admin", "", false, now))
	must(s.SetLastLogin(ctx, "u@x.gt", now))
	must(s.CreateLoginSession(ctx, &consulta.LoginSession{ID: "ls", UserID: "u@x.gt", ExpiresAt: now.Add(time.Hour)}))
	_, err = s.LoginSession(ctx, "ls")
	must(err)
	_, err = s.DeleteUserLoginSessions(ctx, "u@x.gt", "ls")
	must(err)
	_, err = s.DeleteExpiredLoginSessions(ctx, now)
	must(err)
	must(s.DeleteLoginSession(ctx, "ls"))
	must(s.AppendAudit(ctx, &consulta.AuditEntry{ID: NewAuditID(now), At: now, Actor: "u@x.gt", Action: "export"}))
	for _, f := range []consulta.AuditFilter{{}, {Actor: "u@x.gt"}, {Action: "export"}, {Action: "export", Target: "G1"}, {From: now.Add(-time.Hour), To: now},
		{BeforeID: "z"}} {
		_, err = s.AuditEntries(ctx, f)
		must(err)
	}
	g := &consulta.FocusGroup{Org: "o", FormID: "f", OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(time.Hour)}
	must(s.CreateFocusGroup(ctx, g, func() string { return "G1" }))
	_, err = s.FocusGroup(ctx, "G1")
	must(err)
	_, err = s.FocusGroups(ctx, "o")
	must(err)
	_, err = s.FocusGroups(ctx, "")
	must(err)
	must(s.SetFocusGroupWindow(ctx, "G1", now.Add(-time.Hour), now.Add(time.Hour), now))
	_, err = s.SessionExpected(ctx, "G1", "f", now)
	must(err)
	_, err = s.SessionResponses(ctx, "S1", 40) // abuse control's count, bounded by the session's cap
	must(err)
	must(s.SaveFormVersion(ctx, "f", 1, "h", []byte(`{}`)))
	_, err = s.FormVersion(ctx, "f", 1)
	must(err)
	_, err = s.DeleteResponses(ctx, []string{"r2"})
	must(err)
	_, err = s.CountAttempt(ctx, "k", now.Add(time.Hour))
	must(err)
	_, err = s.FirstUse(ctx, "nonce", now.Add(time.Hour))
	must(err)
	must(s.ClearAttempts(ctx, "k"))
	_, err = s.DeleteExpiredAttempts(ctx, now)
	must(err)
	must(s.SetLoginSessionExpiry(ctx, "ls", now))
	must(s.SaveOpenDataSnapshot(ctx, &consulta.OpenDataSnapshot{FormID: "f", Period: "2026-S1"}))
	_, err = s.OpenDataSnapshot(ctx, "f", "2026-S1")
	must(err)
	must(s.SaveOpenDataCatalog(ctx, &consulta.OpenDataCatalog{}))
	_, err = s.OpenDataCatalog(ctx)
	must(err)
	exerciseIntegrations(t, s, now)
}

// exerciseIntegrations calls the store operations of the integrations:
// lists, endpoints, feeds and outboxes.
func exerciseIntegrations(t *testing.T, s *Store, now time.Time) {
	t.Helper()
	ctx := testCtx(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	l := &consulta.MailList{ID: "l1", Name: "n", Kind: "monthly", FormID: "f", Lang: "es", Recipients: []string{"a@b.gt"}}
	must(s.CreateMailList(ctx, l))
	must(s.SaveMailList(ctx, l))
	_, err := s.MailList(ctx, "l1")
	must(err)
	_, err = s.MailLists(ctx)
	must(err)
	must(s.DeleteMailList(ctx, "l1"))
	must(s.CreateWebhookEndpoint(ctx, &consulta.WebhookEndpoint{ID: "e1", URL: "https://x.gt", Events: []string{"report.stored"}}))
	_, err = s.WebhookEndpoint(ctx, "e1")
	must(err)
	_, err = s.WebhookEndpoints(ctx)
	must(err)
	must(s.SetWebhookEndpointEvents(ctx, "e1", nil, now))
	must(s.SetWebhookEndpointSecret(ctx, "e1", "x", now))
	must(s.SetWebhookEndpointDisabled(ctx, "e1", true, "admin", now))
	must(s.WebhookEndpointSucceeded(ctx, "e1", now))
	_, err = s.WebhookEndpointFailed(ctx, "e1", now)
	must(err)
	must(s.DeleteWebhookEndpoint(ctx, "e1"))
	must(s.SaveFeedCursor(ctx, consulta.FeedCursor{ID: "c", At: now}))
	_, err = s.FeedCursor(ctx, "c")
	must(err)
	_, err = s.TriageSince(ctx, now.Add(-time.Hour), now, 10)
	must(err)
	for _, box := range []consulta.Outbox{consulta.MailOutbox, consulta.WebhookOutbox} {
		_, err = s.Enqueue(ctx, box, consulta.OutboxItem{ID: "m1", Group: "g", CreatedAt: now})
		must(err)
		_, err = s.DueOutbox(ctx, box, now, 10)
		must(err)
		it, err := s.ClaimOutbox(ctx, box, "m1", "w", time.Minute, now)
		must(err)
		must(s.FinishOutbox(ctx, box, it, consulta.OutboxResult{Err: "x"}, now))
		must(s.RetryOutbox(ctx, box, "m1", now))
		for _, state := range []string{consulta.OutboxPending, consulta.OutboxSent, consulta.OutboxFailed} {
			_, err = s.OutboxItems(ctx, box, state, 10)
			must(err)
		}
		_, err = s.DeleteOutboxBefore(ctx, box, now.Add(time.Hour))
		must(err)
	}
	_, err = s.OutboxAttempts(ctx, "g", 10)
	must(err)
}
