package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/consulta/consulta/internal/consulta"
)

// The embedded store's reads and deletes of the other collections.

// sqlOps are the SQL operators of docCond's.
var sqlOps = map[string]string{"$eq": "=", "$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}

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
