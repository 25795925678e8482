package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

// The embedded store's reads of responses, in SQL (docs/storage.md,
// "Reading responses").

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

func (b *embeddedBackend) responseQuery(ctx context.Context, f consulta.ResponseFilter) (*responseQuery, error) {
	table, err := b.table(ctx, responsesName)
	if err != nil {
		return nil, err
	}
	ix := chooseResponseIndex(embeddedIndexes(responseIndexes), equalityFields(f))
	q := &responseQuery{table: table, index: table + "_" + indexPrefix + ix.name}
	for _, c := range equalities(f) {
		if ix.prefixHas(c.field) {
			q.where = append(q.where, fieldExpr(c.field)+" = ?")
			q.args = append(q.args, c.value)
			continue
		}
		q.residual = append(q.residual, residualCond(c.field))
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

// residualCond is the SQL condition of an equality checked row by row: on
// tags, one element of the array equals the value, as MongoDB reads {tags: v}.
func residualCond(field string) string {
	if field == fieldTags {
		return "EXISTS (SELECT 1 FROM json_each(" + sjsonColumn + ", '$." + fieldTags + "') WHERE value = ?)"
	}
	return fieldExpr(field) + " = ?"
}

func (q *responseQuery) from() string { return fmt.Sprintf(`%q INDEXED BY %q`, q.table, q.index) }

func whereClause(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

func (b *embeddedBackend) eachResponse(ctx context.Context, f consulta.ResponseFilter, fn func(*consulta.Response) error) error {
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

func (b *embeddedBackend) scanNewest(ctx context.Context, f consulta.ResponseFilter, after consulta.PageKey, budget int,
	visit func(consulta.PageKey, *consulta.Response) bool) (bool, error) {
	q, err := b.responseQuery(ctx, f)
	if err != nil {
		return false, err
	}
	where, args := q.where, q.args
	cmp, dir := "<", " DESC"
	if f.OldestFirst {
		cmp, dir = ">", ""
	}
	if !after.IsZero() {
		ms := after.At.UnixMilli()
		where = append(where, receivedExpr+" "+cmp+"= ?", "("+receivedExpr+" "+cmp+" ? OR "+idExpr+" "+cmp+" ?)")
		args = append(args, ms, ms, after.ID)
	}
	doc := sjsonColumn
	if len(q.residual) > 0 {
		doc = "CASE WHEN " + strings.Join(q.residual, " AND ") + " THEN " + sjsonColumn + " END"
	}
	sqlText := "SELECT " + receivedExpr + ", " + idExpr + ", " + doc + " FROM " + q.from() + whereClause(where) +
		" ORDER BY " + receivedExpr + dir + ", " + idExpr + dir + " LIMIT ?"
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
		if !visit(consulta.PageKey{At: time.UnixMilli(ms).UTC(), ID: id}, r) {
			return false, nil
		}
	}
	if err := rows.Err(); err != nil {
		return false, b.sqlErr(err, "browse responses")
	}
	return seen < budget, nil
}

func (b *embeddedBackend) countResponses(ctx context.Context, f consulta.ResponseFilter, limit int64, budget int) (int64, bool, error) {
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
