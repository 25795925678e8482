package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The embedded store's indexes: created, rewritten and dropped at start so
// that they are exactly the declared ones (docs/storage.md, "Indexes").

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
