package store

import (
	"context"
	"errors"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// cursorBatchSize is how many documents one round trip brings: enough to amortize the
// round trip, small enough that memory does not grow with the collection.
const cursorBatchSize = 1000

// errStop ends an iteration early without an error (a limit was reached).
var errStop = errors.New("stop iteration")

// each runs find on coll and calls fn with the cursor positioned on every document in
// turn. Each round trip to the server (the find, every getMore, the final kill) gets
// its own operation deadline: each is for the short listings of the workspace. Long
// reads use stream. fn returning errStop ends the iteration without an error; any
// other error from fn is returned as is.
func (s *Store) each(ctx context.Context, coll *mongo.Collection, filter any,
	opts *options.FindOptionsBuilder, fn func(*mongo.Cursor) error) error {
	return s.iterate(ctx, coll, filter, opts, s.OpContext, fn)
}

// stream is each for long reads: the round trips share ctx's deadline (the
// caller's StreamContext), so that a slow first batch is not cut by the
// operation deadline.
func (s *Store) stream(ctx context.Context, coll *mongo.Collection, filter any,
	opts *options.FindOptionsBuilder, fn func(*mongo.Cursor) error) error {
	return s.iterate(ctx, coll, filter, opts, noDeadline, fn)
}

func noDeadline(ctx context.Context) (context.Context, context.CancelFunc) { return ctx, func() {} }

func (s *Store) iterate(ctx context.Context, coll *mongo.Collection, filter any, opts *options.FindOptionsBuilder,
	deadline func(context.Context) (context.Context, context.CancelFunc), fn func(*mongo.Cursor) error) error {
	findCtx, cancel := deadline(ctx)
	cur, err := coll.Find(findCtx, filter, opts.SetBatchSize(cursorBatchSize))
	cancel()
	if err != nil {
		return wrap(err, "find in %s", coll.Name())
	}
	defer func() {
		closeCtx, cancel := s.OpContext(context.WithoutCancel(ctx))
		defer cancel()
		_ = cur.Close(closeCtx)
	}()

	for next(ctx, cur, deadline) {
		if err := fn(cur); err != nil {
			if errors.Is(err, errStop) {
				return nil
			}
			return err
		}
	}
	if err := cur.Err(); err != nil {
		return wrap(err, "read from %s", coll.Name())
	}
	return wrap(ctx.Err(), "read from %s", coll.Name())
}

// next advances cur, giving a deadline to the call only when it needs the server: a
// document already in the current batch is local, and a timer per document would be
// waste.
func next(ctx context.Context, cur *mongo.Cursor, deadline func(context.Context) (context.Context, context.CancelFunc)) bool {
	if ctx.Err() != nil {
		return false
	}
	if cur.RemainingBatchLength() > 0 {
		return cur.Next(ctx)
	}
	opCtx, cancel := deadline(ctx)
	defer cancel()
	return cur.Next(opCtx)
}
