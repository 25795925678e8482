package store

import (
	"context"
	"database/sql"
	"errors"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	_ "modernc.org/sqlite" // the SQLite driver FerretDB itself uses; registers "sqlite"

	"github.com/consulta/consulta/internal/consulta"
)

// embeddedBackend reads responses with SQL on the embedded store's SQLite
// file, in the same process as FerretDB (or, for a command attached to a
// running server, in another process on the same machine: SQLite's WAL mode
// lets several processes read while one writes).
//
// Why: FerretDB v1.24.2 pushes down to SQLite only a filter that is exactly
// {_id: X}; any other filter, sort or range reads and decodes the whole
// collection in Go, and even {_id: X} misses the _id index because FerretDB
// writes the expression differently in the query and in the index. So this
// backend creates SQLite expression indexes written exactly as its queries
// and as FerretDB's _id lookups are, and runs the filtered reads itself.
// Writes, and every read by _id, still go through FerretDB and the driver.
// docs/storage.md, "Backends", has the measurements behind this.
type embeddedBackend struct {
	s  *Store
	db *sql.DB

	mu     sync.Mutex
	tables map[string]string // collection name → SQLite table

	stop chan struct{}
	done chan struct{}
}

// Names and expressions of FerretDB's SQLite layout (FerretDB v1.24.2,
// internal/backends/sqlite/metadata): one table per collection, listed in
// _ferretdb_collections, each row one document in column _ferretdb_sjson.
const (
	sjsonColumn      = "_ferretdb_sjson"
	collectionsTable = "_ferretdb_collections"
	// ferretIDExpr is the expression FerretDB's own lookups by _id compare;
	// an index on exactly it turns them from a scan into a search.
	ferretIDExpr = sjsonColumn + "->'$._id'"
	// indexPrefix marks the indexes this backend owns (FerretDB ignores them).
	indexPrefix = "consulta_"
)

// newTablesEvery is how often the backend looks for collections created
// since start (GridFS, run records...) to index their _id.
const newTablesEvery = time.Minute

// openEmbeddedBackend opens the SQLite file of the store's database in dir.
func openEmbeddedBackend(ctx context.Context, s *Store, dir string) (*embeddedBackend, error) {
	file := filepath.Join(dir, s.db.Name()+".sqlite")
	q := url.Values{}
	// The same settings as FerretDB's own connections: wait for a lock rather
	// than fail, and the write-ahead log that lets readers run beside a writer.
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(wal)")
	db, err := sql.Open("sqlite", "file:"+file+"?"+q.Encode())
	if err != nil {
		return nil, consulta.Errorf(consulta.EINTERNAL, "store: open %s: %v", file, err)
	}
	pingCtx, cancel := s.OpContext(ctx)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		_ = db.Close()
		return nil, consulta.Errorf(consulta.EUNAVAILABLE, "store: open %s: %v", file, err)
	}
	return &embeddedBackend{s: s, db: db, tables: map[string]string{},
		stop: make(chan struct{}), done: make(chan struct{})}, nil
}

// prepare migrates older data directories, indexes every collection's _id and
// creates the declared indexes, then keeps indexing new collections.
func (b *embeddedBackend) prepare(ctx context.Context) error {
	if err := b.dropUnusedFerretIndexes(ctx); err != nil {
		return err
	}
	if err := b.indexIDs(ctx); err != nil {
		return err
	}
	declared := embeddedIndexes(declaredIndexes())
	if err := b.dropUndeclared(ctx, declared); err != nil {
		return err
	}
	for _, ix := range declared {
		if err := b.createIndex(ctx, ix); err != nil {
			return err
		}
	}
	go b.watchNewTables()
	return nil
}

// legacyFerretIndexes are the secondary indexes that releases before the
// embedded backend created through FerretDB. FerretDB never uses them for a
// query, and each costs every insert an index update, so upgrading drops them.
var legacyFerretIndexes = map[string][]string{
	responsesName: {"form_1_received_at_1", "session_1", "status_1"},
	contactsName:  {"received_at_1"},
}

func (b *embeddedBackend) dropUnusedFerretIndexes(ctx context.Context) error {
	for coll, names := range legacyFerretIndexes {
		table, err := b.table(ctx, coll)
		if err != nil {
			return err
		}
		for _, name := range names {
			if !b.indexExists(ctx, table+"_"+name) {
				continue
			}
			opCtx, cancel := b.s.OpContext(ctx)
			err := b.s.db.Collection(coll).Indexes().DropOne(opCtx, name)
			cancel()
			if err != nil {
				return wrap(err, "drop unused index %s on %s", name, coll)
			}
			b.s.logger.Info("embedded store: dropped an index no query used", "collection", coll, "index", name)
		}
	}
	return nil
}

// dropUndeclared drops the indexes of this backend (named with indexPrefix)
// that declared no longer lists: an index no query uses still costs every
// insert.
func (b *embeddedBackend) dropUndeclared(ctx context.Context, declared []index) error {
	keep := map[string]bool{}
	for _, ix := range declared {
		table, err := b.table(ctx, ix.coll)
		if err != nil {
			return err
		}
		keep[table+"_"+indexPrefix+ix.name] = true
	}
	rows, err := b.db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE ?`,
		"%"+indexPrefix+"%")
	if err != nil {
		return b.sqlErr(err, "list indexes")
	}
	var drop []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return b.sqlErr(err, "list indexes")
		}
		if strings.Contains(name, "_"+indexPrefix) && !keep[name] {
			drop = append(drop, name)
		}
	}
	rows.Close()
	for _, name := range drop {
		if _, err := b.db.ExecContext(ctx, fmt.Sprintf(`DROP INDEX IF EXISTS %q`, name)); err != nil {
			return b.sqlErr(err, "drop index "+name)
		}
		b.s.logger.Info("embedded store: dropped an index no longer declared", "index", name)
	}
	return nil
}

// indexIDs makes every collection's _id index one that FerretDB's lookups
// use (fixIDIndex).
func (b *embeddedBackend) indexIDs(ctx context.Context) error {
	rows, err := b.db.QueryContext(ctx, "SELECT table_name FROM "+collectionsTable)
	if err != nil {
		return b.sqlErr(err, "list collections")
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return b.sqlErr(err, "list collections")
		}
		tables = append(tables, t)
	}
	rows.Close()
	for _, t := range tables {
		if err := b.fixIDIndex(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

// idIndex is the name of the unique _id index FerretDB creates on a table.
func idIndex(table string) string { return table + "__id_" }

// fixIDIndex rewrites FerretDB's unique _id index of table on the expression
// its own queries compare (ferretIDExpr) instead of _ferretdb_sjson->"_id",
// which holds the same values but which SQLite does not match to the query:
// lookups, updates and deletes by _id then search the index instead of
// scanning the table. The index keeps its name and its uniqueness, so
// FerretDB still reports a duplicate _id as a duplicate key; the drop and the
// creation are one transaction, so no insert ever sees the table without it.
func (b *embeddedBackend) fixIDIndex(ctx context.Context, table string) error {
	name := idIndex(table)
	var ddl string
	err := b.db.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`, name).Scan(&ddl)
	if err != nil {
		return b.sqlErr(err, "read index "+name)
	}
	if strings.Contains(ddl, ferretIDExpr) {
		return nil
	}
	start := time.Now()
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return b.sqlErr(err, "rewrite index "+name)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`DROP INDEX %q`, name)); err != nil {
		return b.sqlErr(err, "rewrite index "+name)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`CREATE UNIQUE INDEX %q ON %q (%s)`, name, table, ferretIDExpr)); err != nil {
		return b.sqlErr(err, "rewrite index "+name)
	}
	if err := tx.Commit(); err != nil {
		return b.sqlErr(err, "rewrite index "+name)
	}
	if took := time.Since(start); took > time.Second {
		b.s.logger.Info("embedded store: _id index rewritten", "index", name, "took", took.Round(time.Millisecond))
	}
	return nil
}

// createIndex creates ix as a SQLite expression index.
func (b *embeddedBackend) createIndex(ctx context.Context, ix index) error {
	table, err := b.table(ctx, ix.coll)
	if err != nil {
		return err
	}
	exprs := make([]string, len(ix.keys))
	for i, k := range ix.keys {
		exprs[i] = docExpr(ix.coll, k)
	}
	where := ""
	if ix.partial != "" {
		where = " WHERE " + docExpr(ix.coll, ix.partial) + " IS NOT NULL"
	}
	return b.build(ctx, table, indexPrefix+ix.name, strings.Join(exprs, ", "), where)
}

// build creates index name on table over exprs (with a partial index's where
// clause), replacing an index of that name made otherwise by an earlier
// release. Building on a large table takes a while (an upgrade); it is logged.
func (b *embeddedBackend) build(ctx context.Context, table, name, exprs, where string) error {
	full := table + "_" + name
	ddl := fmt.Sprintf(`CREATE INDEX %q ON %q (%s)%s`, full, table, exprs, where)
	var have string
	err := b.db.QueryRowContext(ctx, `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`, full).Scan(&have)
	switch {
	case err == nil && have == ddl:
		return nil
	case err == nil:
		if _, err := b.db.ExecContext(ctx, fmt.Sprintf(`DROP INDEX %q`, full)); err != nil {
			return b.sqlErr(err, "replace index "+full)
		}
	case !errors.Is(err, sql.ErrNoRows):
		return b.sqlErr(err, "read index "+full)
	}
	start := time.Now()
	if _, err := b.db.ExecContext(ctx, ddl); err != nil {
		return b.sqlErr(err, "create index "+full)
	}
	if took := time.Since(start); took > time.Second {
		b.s.logger.Info("embedded store: index built", "index", full, "took", took.Round(time.Millisecond))
	}
	return nil
}

func (b *embeddedBackend) indexExists(ctx context.Context, name string) bool {
	var n int
	err := b.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?`, name).Scan(&n)
	return err == nil && n > 0
}

// watchNewTables indexes the _id of collections created after start until
// close.
func (b *embeddedBackend) watchNewTables() {
	defer close(b.done)
	t := time.NewTicker(newTablesEvery)
	defer t.Stop()
	for {
		select {
		case <-b.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), b.s.streamTimeout)
			if err := b.indexIDs(ctx); err != nil {
				b.s.logger.Warn("embedded store: indexing new collections", "error", err)
			}
			cancel()
		}
	}
}

func (b *embeddedBackend) close() error {
	select {
	case <-b.stop:
	default:
		close(b.stop)
	}
	select {
	case <-b.done:
	case <-time.After(b.s.opTimeout):
	}
	return b.db.Close()
}

// table is the SQLite table of a collection.
func (b *embeddedBackend) table(ctx context.Context, coll string) (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if t, ok := b.tables[coll]; ok {
		return t, nil
	}
	var t string
	err := b.db.QueryRowContext(ctx, "SELECT table_name FROM "+collectionsTable+" WHERE name = ?", coll).Scan(&t)
	if err != nil {
		return "", b.sqlErr(err, "find the table of "+coll)
	}
	b.tables[coll] = t
	return t, nil
}

// sqlErr maps a SQL failure: a deadline or cancellation is the store being
// unavailable in time, anything else an internal error.
func (b *embeddedBackend) sqlErr(err error, op string) error {
	if err == nil {
		return nil
	}
	code := consulta.EINTERNAL
	if ctxErr(err) {
		code = consulta.EUNAVAILABLE
	}
	return fmt.Errorf("%w: %w", consulta.Errorf(code, "store: embedded %s failed", op), err)
}

func ctxErr(err error) bool {
	s := err.Error()
	return strings.Contains(s, "interrupted") || strings.Contains(s, context.DeadlineExceeded.Error()) ||
		strings.Contains(s, context.Canceled.Error())
}

// fieldExpr is the SQL expression of a stored field, as SQL text or number;
// indexes and queries must write it identically for SQLite to match them.
func fieldExpr(field string) string { return sjsonColumn + "->>'$." + field + "'" }

// docExpr is the expression of a field of a collection in indexes and
// queries. The _id of responses is read as text (pages carry it back); other
// collections order and compare _id with FerretDB's own expression, so that
// one index serves their lookups and their order.
func docExpr(coll, field string) string {
	if field == fieldID && coll != responsesName {
		return ferretIDExpr
	}
	return fieldExpr(field)
}

// Expressions of the responses' order.
var (
	receivedExpr = fieldExpr(fieldReceivedAt)
	idExpr       = fieldExpr(fieldID)
)

// responseQuery is the SQL of one read of responses: the index chosen for
// the filter, the conditions it serves (prefix and range) and the residual
// conditions checked on each row it yields.
type responseQuery struct {
	table, index       string
	where, residual    []string
	args, residualArgs []any
}

func (b *embeddedBackend) responseQuery(ctx context.Context, f ResponseFilter) (*responseQuery, error) {
	table, err := b.table(ctx, responsesName)
	if err != nil {
		return nil, err
	}
	ix := chooseResponseIndex(embeddedIndexes(responseIndexes), f.equalityFields())
	q := &responseQuery{table: table, index: table + "_" + indexPrefix + ix.name}
	for _, c := range f.equalities() {
		if ix.prefixHas(c.field) {
			q.where = append(q.where, fieldExpr(c.field)+" = ?")
			q.args = append(q.args, c.value)
			continue
		}
		q.residual = append(q.residual, fieldExpr(c.field)+" = ?")
		q.residualArgs = append(q.residualArgs, c.value)
	}
	if !f.From.IsZero() {
		q.where = append(q.where, receivedExpr+" >= ?")
		q.args = append(q.args, f.From.UnixMilli())
	}
	if !f.To.IsZero() {
		q.where = append(q.where, receivedExpr+" < ?")
		q.args = append(q.args, f.To.UnixMilli())
	}
	return q, nil
}

func (q *responseQuery) from() string { return fmt.Sprintf(`%q INDEXED BY %q`, q.table, q.index) }

func whereClause(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

func (b *embeddedBackend) eachResponse(ctx context.Context, f ResponseFilter, fn func(*consulta.Response) error) error {
	q, err := b.responseQuery(ctx, f)
	if err != nil {
		return err
	}
	sqlText := "SELECT " + sjsonColumn + " FROM " + q.from() + whereClause(append(q.where, q.residual...)) +
		" ORDER BY " + receivedExpr + ", " + idExpr
	rows, err := b.db.QueryContext(ctx, sqlText, append(q.args, q.residualArgs...)...)
	if err != nil {
		return b.sqlErr(err, "read responses")
	}
	defer rows.Close()
	var row []byte
	for rows.Next() {
		if err := rows.Scan(&row); err != nil {
			return b.sqlErr(err, "read responses")
		}
		r, err := decodeSJSON(row)
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return b.sqlErr(rows.Err(), "read responses")
}

func (b *embeddedBackend) scanNewest(ctx context.Context, f ResponseFilter, after PageKey, budget int,
	visit func(PageKey, *consulta.Response) bool) (bool, error) {
	q, err := b.responseQuery(ctx, f)
	if err != nil {
		return false, err
	}
	where, args := q.where, q.args
	if !after.IsZero() {
		ms := after.At.UnixMilli()
		where = append(where, receivedExpr+" <= ?", "("+receivedExpr+" < ? OR "+idExpr+" < ?)")
		args = append(args, ms, ms, after.ID)
	}
	doc := sjsonColumn
	if len(q.residual) > 0 {
		doc = "CASE WHEN " + strings.Join(q.residual, " AND ") + " THEN " + sjsonColumn + " END"
	}
	sqlText := "SELECT " + receivedExpr + ", " + idExpr + ", " + doc + " FROM " + q.from() + whereClause(where) +
		" ORDER BY " + receivedExpr + " DESC, " + idExpr + " DESC LIMIT ?"
	// A text filter first looks for the term in the row as stored, and decodes
	// only the rows where it may be: most are passed over without decoding
	// (docs/storage.md, "The browser").
	text := newTextMatcher(f.Text)
	rows, err := b.db.QueryContext(ctx, sqlText, append(append(q.residualArgs, args...), budget)...)
	if err != nil {
		return false, b.sqlErr(err, "browse responses")
	}
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var ms int64
		var id string
		var row sql.RawBytes // valid until the next row: decoded before
		if err := rows.Scan(&ms, &id, &row); err != nil {
			return false, b.sqlErr(err, "browse responses")
		}
		seen++
		var r *consulta.Response
		if row != nil && (text == nil || text.mayMatchJSON(row)) {
			if r, err = decodeSJSON(row); err != nil {
				return false, err
			}
		}
		if !visit(PageKey{At: time.UnixMilli(ms).UTC(), ID: id}, r) {
			return false, nil
		}
	}
	if err := rows.Err(); err != nil {
		return false, b.sqlErr(err, "browse responses")
	}
	return seen < budget, nil
}

func (b *embeddedBackend) countResponses(ctx context.Context, f ResponseFilter, limit int64, budget int) (int64, bool, error) {
	q, err := b.responseQuery(ctx, f)
	if err != nil {
		return 0, false, err
	}
	if limit <= 0 {
		var n int64
		err := b.db.QueryRowContext(ctx, "SELECT count(*) FROM "+q.from()+whereClause(append(q.where, q.residual...)),
			append(q.args, q.residualArgs...)...).Scan(&n)
		return n, true, b.sqlErr(err, "count responses")
	}
	if len(q.residual) == 0 {
		var n int64
		err := b.db.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM "+q.from()+whereClause(q.where)+" LIMIT ?)",
			append(q.args, limit+1)...).Scan(&n)
		if n > limit {
			return limit, false, b.sqlErr(err, "count responses")
		}
		return n, true, b.sqlErr(err, "count responses")
	}
	// Residual conditions are checked row by row: count among a bounded number
	// of candidates, so that the count costs what a page does.
	var seen, n int64
	err = b.db.QueryRowContext(ctx, "SELECT count(*), coalesce(sum(m), 0) FROM (SELECT ("+
		strings.Join(q.residual, " AND ")+") AS m FROM "+q.from()+whereClause(q.where)+" LIMIT ?)",
		append(append(q.residualArgs, q.args...), budget)...).Scan(&seen, &n)
	if err != nil {
		return 0, false, b.sqlErr(err, "count responses")
	}
	if n > limit {
		return limit, false, nil
	}
	return n, seen < int64(budget), nil
}

// responsesByID reads the responses among ids with one SQL query per few
// hundred, served by the index on FerretDB's _id expression.
func (b *embeddedBackend) responsesByID(ctx context.Context, ids []string) (map[string]*consulta.Response, error) {
	found := make(map[string]*consulta.Response, len(ids))
	table, err := b.table(ctx, responsesName)
	if err != nil {
		return nil, err
	}
	const chunk = 500
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		cond, args := sqlIn(ferretIDExpr, part)
		sqlText := fmt.Sprintf("SELECT %s FROM %q INDEXED BY %q WHERE %s", sjsonColumn, table, idIndex(table), cond)
		if err := b.readRows(ctx, sqlText, args, func(r *consulta.Response) { found[r.ID] = r }); err != nil {
			return nil, err
		}
	}
	return found, nil
}

// sqlOps are the SQL operators of docCond's.
var sqlOps = map[string]string{"$eq": "=", "$gt": ">", "$gte": ">=", "$lt": "<"}

func (b *embeddedBackend) find(ctx context.Context, q docQuery, fn func(bson.Raw) error) error {
	sqlText, args, err := b.docSQL(ctx, q)
	if err != nil {
		return err
	}
	rows, err := b.db.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return b.sqlErr(err, "read "+q.coll)
	}
	defer rows.Close()
	var row []byte
	for rows.Next() {
		if err := rows.Scan(&row); err != nil {
			return b.sqlErr(err, "read "+q.coll)
		}
		doc, err := decodeSJSONDoc(row)
		if err != nil {
			return err
		}
		if err := fn(doc); err != nil {
			return err
		}
	}
	return b.sqlErr(rows.Err(), "read "+q.coll)
}

// docSQL is the SQL of q.
func (b *embeddedBackend) docSQL(ctx context.Context, q docQuery) (string, []any, error) {
	table, err := b.table(ctx, q.coll)
	if err != nil {
		return "", nil, err
	}
	where, args, err := docWhere(q.coll, q.conds)
	if err != nil {
		return "", nil, err
	}
	sqlText := fmt.Sprintf("SELECT %s FROM %q%s", sjsonColumn, table, whereClause(where))
	if q.sort != "" {
		dir := ""
		if q.desc {
			dir = " DESC"
		}
		sqlText += " ORDER BY " + docExpr(q.coll, q.sort) + dir
		if q.sort != fieldID {
			sqlText += ", " + docExpr(q.coll, fieldID) + dir
		}
	}
	if q.limit > 0 {
		sqlText += " LIMIT ?"
		args = append(args, q.limit)
	}
	return sqlText, args, nil
}

// deleteEach selects the documents with SQL (the conditions' index) and
// deletes them one by one by _id through FerretDB: a DeleteMany with any
// other filter would read the whole collection.
func (b *embeddedBackend) deleteEach(ctx context.Context, q docQuery) (int64, error) {
	var ids []string
	err := b.find(ctx, docQuery{coll: q.coll, conds: q.conds}, func(doc bson.Raw) error {
		id, ok := doc.Lookup(fieldID).StringValueOK()
		if ok {
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	coll := b.s.db.Collection(q.coll)
	var n int64
	for _, id := range ids {
		opCtx, cancel := b.s.OpContext(ctx)
		res, err := coll.DeleteOne(opCtx, bson.D{{Key: fieldID, Value: id}})
		cancel()
		if err != nil {
			return n, wrap(err, "delete from %s", q.coll)
		}
		n += res.DeletedCount
	}
	return n, nil
}

// docWhere is the SQL of conditions on coll; times compare as the
// milliseconds FerretDB stores, an _id as the JSON text FerretDB's own
// expression yields.
func docWhere(coll string, conds []docCond) ([]string, []any, error) {
	var where []string
	var args []any
	for _, c := range conds {
		if c.op == "$in" {
			w, a := sqlIn(docExpr(coll, c.field), c.value.([]string))
			where, args = append(where, w), append(args, a...)
			continue
		}
		op, ok := sqlOps[c.op]
		if !ok {
			return nil, nil, consulta.Errorf(consulta.EINTERNAL, "store: operator %s", c.op)
		}
		v := c.value
		if t, ok := v.(time.Time); ok {
			v = t.UnixMilli()
		}
		expr := docExpr(coll, c.field)
		if expr == ferretIDExpr {
			j, _ := json.Marshal(v)
			v = string(j)
		}
		where = append(where, expr+" "+op+" ?")
		args = append(args, v)
	}
	return where, args, nil
}

// sqlIn is "expr IN (...)" over values (JSON text for FerretDB's _id
// expression); no values match nothing.
func sqlIn(expr string, values []string) (string, []any) {
	if len(values) == 0 {
		return "0", nil
	}
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = v
		if expr == ferretIDExpr {
			j, _ := json.Marshal(v)
			args[i] = string(j)
		}
	}
	return expr + " IN (?" + strings.Repeat(", ?", len(values)-1) + ")", args
}

func (b *embeddedBackend) readRows(ctx context.Context, sqlText string, args []any, fn func(*consulta.Response)) error {
	rows, err := b.db.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return b.sqlErr(err, "read responses by id")
	}
	defer rows.Close()
	var row []byte
	for rows.Next() {
		if err := rows.Scan(&row); err != nil {
			return b.sqlErr(err, "read responses by id")
		}
		r, err := decodeSJSON(row)
		if err != nil {
			return err
		}
		fn(r)
	}
	return b.sqlErr(rows.Err(), "read responses by id")
}
