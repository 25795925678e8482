package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// snapshot is the embedded store's: one read transaction on the SQLite file,
// which in write-ahead-log mode sees every table as it was at its first read
// while FerretDB goes on writing (its writes are transactions on the same
// file). The collection list is read in the same transaction, so the
// snapshot has exactly the collections that existed at that moment. While it
// lasts, SQLite cannot checkpoint past it, so the -wal file grows with the
// writes made meanwhile and shrinks at the next checkpoint after.
func (b *embeddedBackend) snapshot(ctx context.Context, fn func(SnapshotReader) error) (SnapshotInfo, error) {
	tx, err := b.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return SnapshotInfo{}, b.sqlErr(err, "begin a snapshot")
	}
	defer func() { _ = tx.Rollback() }()
	info := SnapshotInfo{Method: SnapshotSQLite, At: time.Now()}
	// This first read fixes the snapshot.
	tables, err := snapshotTables(ctx, tx)
	if err != nil {
		return info, b.sqlErr(err, "list collections")
	}
	return info, fn(&sqlSnapshot{b: b, ctx: ctx, tx: tx, tables: tables})
}

func snapshotTables(ctx context.Context, tx *sql.Tx) (map[string]string, error) {
	rows, err := tx.QueryContext(ctx, "SELECT name, table_name FROM "+collectionsTable)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	tables := map[string]string{}
	for rows.Next() {
		var name, table string
		if err := rows.Scan(&name, &table); err != nil {
			return nil, err
		}
		tables[name] = table
	}
	return tables, rows.Err()
}

type sqlSnapshot struct {
	b      *embeddedBackend
	ctx    context.Context
	tx     *sql.Tx
	tables map[string]string // collection → table
}

func (r *sqlSnapshot) Collections() []string {
	names := make([]string, 0, len(r.tables))
	for name := range r.tables {
		if !strings.HasPrefix(name, "system.") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

func (r *sqlSnapshot) Each(coll string, fn func(bson.Raw) error) error {
	table, ok := r.tables[coll]
	if !ok {
		return fmt.Errorf("store: snapshot: no collection %q", coll)
	}
	rows, err := r.tx.QueryContext(r.ctx, fmt.Sprintf("SELECT %s FROM %q", sjsonColumn, table))
	if err != nil {
		return r.b.sqlErr(err, "read "+coll)
	}
	defer rows.Close()
	var row []byte
	for rows.Next() {
		if err := rows.Scan(&row); err != nil {
			return r.b.sqlErr(err, "read "+coll)
		}
		doc, err := decodeSJSONDoc(row)
		if err != nil {
			return fmt.Errorf("%s: %w", coll, err)
		}
		if err := fn(doc); err != nil {
			return err
		}
	}
	return r.b.sqlErr(rows.Err(), "read "+coll)
}
