package store

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/embedded"
)

// These tests look inside the embedded backend (its SQL and SQLite's plans),
// so they live in package store and start their own embedded server: the
// shared one of storetest would be an import cycle.

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// embeddedServer starts an embedded store in a temporary directory.
func embeddedServer(t *testing.T) *embedded.Server {
	t.Helper()
	srv, err := embedded.Open(testCtx(t), t.TempDir(), "127.0.0.1:0", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

func openOn(t *testing.T, srv *embedded.Server, o Options) *Store {
	t.Helper()
	o.URI = srv.URI()
	s, err := Open(testCtx(t), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

// TestUpgradeInPlace opens, with this release, a data directory laid out as the
// release before the embedded backend left it: collections with FerretDB's own
// secondary indexes, and data. The store must open it, drop the indexes no
// query used, index it in SQLite, and read every response.
func TestUpgradeInPlace(t *testing.T) {
	srv := embeddedServer(t)
	ctx := testCtx(t)
	client, err := mongo.Connect(options.Client().ApplyURI(srv.URI()))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(ctx)
	db := client.Database(DefaultDatabase)
	// The previous release's Open: these collections and indexes, then data.
	for _, name := range []string{responsesName, contactsName, formVersionsName} {
		if err := db.CreateCollection(ctx, name); err != nil {
			t.Fatal(err)
		}
	}
	for coll, keys := range map[string][]bson.D{
		responsesName: {{{Key: "form", Value: 1}, {Key: "received_at", Value: 1}}, {{Key: "session", Value: 1}}, {{Key: "status", Value: 1}}},
		contactsName:  {{{Key: "received_at", Value: 1}}},
	} {
		for _, k := range keys {
			if _, err := db.Collection(coll).Indexes().CreateOne(ctx, mongo.IndexModel{Keys: k}); err != nil {
				t.Fatal(err)
			}
		}
	}
	var docs []any
	for i := range 300 {
		docs = append(docs, bson.D{{Key: "_id", Value: fmt.Sprintf("old%03d", i)}, {Key: "form", Value: "f"},
			{Key: "form_version", Value: 1}, {Key: "lang", Value: "es"}, {Key: "channel", Value: "widget"},
			{Key: "received_at", Value: time.Date(2026, 1, 1, 0, i, 0, 0, time.UTC)},
			{Key: "answers", Value: bson.D{{Key: "q", Value: "sí"}}}, {Key: "has_contact", Value: false},
			{Key: "request_hash", Value: "h"}, {Key: "status", Value: "new"}})
	}
	if _, err := db.Collection(responsesName).InsertMany(ctx, docs); err != nil {
		t.Fatal(err)
	}

	// An index an earlier release of this backend made and no longer declares.
	s0 := openOn(t, srv, Options{EmbeddedDir: srv.StoreDir()})
	b0 := s0.backend.(*embeddedBackend)
	table0, err := b0.table(ctx, responsesName)
	if err != nil {
		t.Fatal(err)
	}
	stale := table0 + "_" + indexPrefix + "retired"
	if _, err := b0.db.ExecContext(ctx, fmt.Sprintf(`CREATE INDEX %q ON %q (%s)`, stale, table0, fieldExpr("lang"))); err != nil {
		t.Fatal(err)
	}
	_ = s0.Close(ctx)

	s := openOn(t, srv, Options{EmbeddedDir: srv.StoreDir()})
	specs, err := s.responses.Indexes().ListSpecifications(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(specs) != 1 || specs[0].Name != "_id_" {
		t.Errorf("FerretDB indexes after upgrade: %v, want only _id_", specs)
	}
	eb := s.backend.(*embeddedBackend)
	table, err := eb.table(ctx, responsesName)
	if err != nil {
		t.Fatal(err)
	}
	for _, ix := range embeddedIndexes(responseIndexes) {
		if !eb.indexExists(ctx, table+"_"+indexPrefix+ix.name) {
			t.Errorf("index %s missing after upgrade", ix.name)
		}
	}
	if eb.indexExists(ctx, stale) {
		t.Errorf("index %s, no longer declared, still there", stale)
	}
	var ddl string
	if err := eb.db.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE name = ?`, idIndex(table)).Scan(&ddl); err != nil ||
		!strings.Contains(ddl, "UNIQUE") || !strings.Contains(ddl, ferretIDExpr) {
		t.Errorf("_id index after upgrade: %q, %v; want unique on %s", ddl, err, ferretIDExpr)
	}
	// FerretDB still refuses a duplicate _id through the rewritten index.
	if _, err := db.Collection(responsesName).InsertOne(ctx, bson.D{{Key: "_id", Value: "old001"}}); !mongo.IsDuplicateKeyError(err) {
		t.Errorf("duplicate _id after upgrade: %v, want a duplicate key error", err)
	}
	n, err := s.CountResponses(ctx, consulta.ResponseFilter{FormID: "f"})
	if err != nil || n != 300 {
		t.Fatalf("CountResponses = %d, %v; want 300", n, err)
	}
	p, err := s.ResponsePage(ctx, consulta.ResponseFilter{FormID: "f"}, consulta.PageKey{}, 3)
	if err != nil || len(p.Responses) != 3 || p.Responses[0].ID != "old299" {
		t.Fatalf("newest page = %v, %v", p, err)
	}
	r, err := s.Response(ctx, "old007")
	if err != nil || r.Answers["q"] != "sí" {
		t.Fatalf("Response = %+v, %v", r, err)
	}
}

// plan is SQLite's query plan of a statement, one line per step.
func plan(t *testing.T, b *embeddedBackend, sqlText string, args ...any) string {
	t.Helper()
	rows, err := b.db.QueryContext(testCtx(t), "EXPLAIN QUERY PLAN "+sqlText, args...)
	if err != nil {
		t.Fatalf("explain %s: %v", sqlText, err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, detail)
	}
	return strings.Join(lines, "\n")
}

// TestEmbeddedQueriesUseIndexes checks SQLite's plan of every read the
// embedded backend and FerretDB make by _id: each searches an index, none
// scans a table or sorts in a temporary tree. Before this backend, FerretDB's
// lookup by _id was a SCAN (docs/storage.md).
func TestEmbeddedQueriesUseIndexes(t *testing.T) {
	srv := embeddedServer(t)
	s := openOn(t, srv, Options{EmbeddedDir: srv.StoreDir()})
	b := s.backend.(*embeddedBackend)
	ctx := testCtx(t)
	table, err := b.table(ctx, responsesName)
	if err != nil {
		t.Fatal(err)
	}
	check := func(name, p string) {
		t.Helper()
		if !strings.Contains(p, "USING INDEX") && !strings.Contains(p, "USING COVERING INDEX") {
			t.Errorf("%s: no index:\n%s", name, p)
		}
		if strings.Contains(p, "TEMP B-TREE") {
			t.Errorf("%s: sorts in memory:\n%s", name, p)
		}
	}
	check("FerretDB's lookup by _id", plan(t, b, fmt.Sprintf("SELECT %s FROM %q WHERE %s = ?", sjsonColumn, table, ferretIDExpr), `"x"`))
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	filters := []consulta.ResponseFilter{
		{}, {FormID: "f"}, {FormID: "f", Lang: "es"}, {FormID: "f", Department: "01"}, {FormID: "f", Channel: "widget"},
		{FormID: "f", Status: "new"}, {Session: "ABC"}, {Status: "new"}, {Lang: "es"}, {Department: "01", Channel: "page"},
		{FormID: "f", Lang: "es", Department: "01", Status: "new", Channel: "widget", Session: "S"},
		{FormID: "f", From: at, To: at.AddDate(0, 6, 0)}, {From: at},
	}
	for _, f := range filters {
		q, err := b.responseQuery(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		all := append(append([]string{}, q.where...), q.residual...)
		args := append(append([]any{}, q.args...), q.residualArgs...)
		check(fmt.Sprintf("stream %+v", f), plan(t, b, "SELECT "+sjsonColumn+" FROM "+q.from()+whereClause(all)+
			" ORDER BY "+receivedExpr+", "+idExpr, args...))
		where := append(q.where, receivedExpr+" <= ?", "("+receivedExpr+" < ? OR "+idExpr+" < ?)")
		pargs := append(append([]any{}, q.args...), 1, 1, "x")
		p := plan(t, b, "SELECT "+sjsonColumn+" FROM "+q.from()+whereClause(where)+
			" ORDER BY "+receivedExpr+" DESC, "+idExpr+" DESC LIMIT 10", pargs...)
		check(fmt.Sprintf("page %+v", f), p)
		if !strings.Contains(p, "<expr><?") && !strings.Contains(p, "<expr><=?") {
			t.Errorf("page %+v: the position does not bound the index range:\n%s", f, p)
		}
	}
}

// TestEmbeddedDocQueriesUseIndexes checks the plans of the workspace's
// listings on the embedded store.
func TestEmbeddedDocQueriesUseIndexes(t *testing.T) {
	srv := embeddedServer(t)
	s := openOn(t, srv, Options{EmbeddedDir: srv.StoreDir()})
	b := s.backend.(*embeddedBackend)
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, q := range []docQuery{
		{coll: auditName, sort: fieldID, desc: true, limit: 100},
		{coll: auditName, conds: []docCond{eq("actor", "a")}, sort: fieldID, desc: true, limit: 100},
		{coll: auditName, conds: []docCond{eq("action", "export"), lt(fieldID, "x")}, sort: fieldID, desc: true, limit: 100},
		{coll: triageName, conds: []docCond{gt("action", "")}, sort: "action_at", desc: true, limit: 10},
		{coll: triageName, conds: []docCond{gt("action", ""), eq("form", "f"), gte("action_at", at), lt("action_at", at)}, sort: "action_at"},
		{coll: contactsName, conds: []docCond{eq("form", "f")}},
		{coll: contactsName, conds: []docCond{lt("received_at", at)}},
		{coll: focusGroupsName, conds: []docCond{eq("org", "o")}},
		{coll: triageName, conds: []docCond{gte("updated_at", at), lt("updated_at", at)}, sort: "updated_at", limit: 500},
		{coll: string(consulta.MailOutbox), conds: []docCond{eq("state", consulta.OutboxPending), lte("next_try", at)}, sort: "next_try", limit: 50},
		{coll: string(consulta.WebhookOutbox), conds: []docCond{eq("state", consulta.OutboxFailed)}, sort: "done_at", desc: true, limit: 50},
		{coll: string(consulta.WebhookOutbox), conds: []docCond{eq("state", consulta.OutboxSent), lt("done_at", at)}},
		{coll: outboxAttemptsName, conds: []docCond{eq("group", "g")}, sort: "started_at", desc: true, limit: 50},
		{coll: outboxAttemptsName, conds: []docCond{lt("started_at", at)}},
	} {
		sqlText, args, err := b.docSQL(testCtx(t), q)
		if err != nil {
			t.Fatal(err)
		}
		p := plan(t, b, sqlText, args...)
		if !strings.Contains(p, "USING INDEX") || strings.Contains(p, "TEMP B-TREE") {
			t.Errorf("%+v: no index, or a sort in memory:\n%s", q, p)
		}
	}
}

// TestEmbeddedRowsDecodeAsTheDriverReads stores every kind of answer and reads
// each response both ways: SQL on the file (decodeSJSON) and the driver.
func TestEmbeddedRowsDecodeAsTheDriverReads(t *testing.T) {
	srv := embeddedServer(t)
	s := openOn(t, srv, Options{EmbeddedDir: srv.StoreDir()})
	ctx := testCtx(t)
	at := time.Date(2026, 5, 4, 3, 2, 1, 987654321, time.UTC)
	rs := []*consulta.Response{
		{ID: "all", FormID: "f", FormVersion: 3, Lang: "quc", Channel: consulta.ChannelFocusGroup, Page: "https://x/y?a=<b>&c",
			Session: "S1", ReceivedAt: at, Department: "16", RequestHash: "h", Status: consulta.StatusActioned,
			Answers: map[string]any{"text": "Ñandú \"quoted\" \u2028 ok", "multi": []string{"a", "b"}, "none": []string{},
				"scale": float64(4), "rating": float64(0), "num": 12.5, "big": float64(1 << 40), "yes": true, "no": false,
				"geo": consulta.Geo{Department: "01", Municipality: "0101"}}},
		{ID: "empty", FormID: "f", ReceivedAt: at.Add(time.Hour), Answers: map[string]any{}},
	}
	for _, r := range rs {
		if _, _, err := s.InsertResponse(ctx, r, nil); err != nil {
			t.Fatal(err)
		}
	}
	viaSQL, err := s.backend.responsesByID(ctx, []string{"all", "empty", "missing"})
	if err != nil {
		t.Fatal(err)
	}
	if len(viaSQL) != 2 {
		t.Fatalf("read %d responses by ID, want 2", len(viaSQL))
	}
	for _, r := range rs {
		viaDriver, err := s.Response(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(viaSQL[r.ID], viaDriver) {
			t.Errorf("SQL read\n%+v\ndriver read\n%+v", *viaSQL[r.ID], *viaDriver)
		}
	}
}

// TestEmbeddedDocsDecodeAsTheDriverReads reads documents of the workspace's
// collections both ways (decodeSJSONDoc and the driver) into their structs.
func TestEmbeddedDocsDecodeAsTheDriverReads(t *testing.T) {
	srv := embeddedServer(t)
	s := openOn(t, srv, Options{EmbeddedDir: srv.StoreDir()})
	ctx := testCtx(t)
	now := time.Date(2026, 7, 8, 9, 10, 11, 123000000, time.UTC)
	r := &consulta.Response{ID: "r", FormID: "f", ReceivedAt: now}
	if _, _, err := s.InsertResponse(ctx, r, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveTriage(ctx, r, consulta.TriageUpdate{Status: "actioned", Tags: []string{"a", "b"}, Action: "Hecho",
		ActionLang: "es", Note: "nota", By: "u", At: now}); err != nil {
		t.Fatal(err)
	}
	g := &consulta.FocusGroup{Org: "o", FormID: "f", Place: consulta.Geo{Department: "01", Municipality: "0101"},
		Expected: 20, OpensAt: now, ClosesAt: now.Add(time.Hour), Date: now}
	if err := s.CreateFocusGroup(ctx, g, func() string { return "G1" }); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		coll string
		out  func() any
	}{
		{triageName, func() any { return &consulta.Triage{} }},
		{focusGroupsName, func() any { return &consulta.FocusGroup{} }},
	} {
		viaSQL, viaDriver := c.out(), c.out()
		err := s.backend.find(ctx, docQuery{coll: c.coll}, func(doc bson.Raw) error { return bson.Unmarshal(doc, viaSQL) })
		if err != nil {
			t.Fatal(err)
		}
		raw, err := s.db.Collection(c.coll).FindOne(ctx, bson.D{}).Raw()
		if err != nil {
			t.Fatal(err)
		}
		if err := bson.Unmarshal(raw, viaDriver); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(viaSQL, viaDriver) {
			t.Errorf("%s: SQL read\n%+v\ndriver read\n%+v", c.coll, viaSQL, viaDriver)
		}
	}
}
