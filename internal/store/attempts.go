package store

import (
	"context"
	"hash/fnv"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// loginAttemptsName holds the login rules' counters and used login-form
// nonces. Its documents are keyed by hashes (never an e-mail or an address)
// and carry expires_at, after which they are deleted.
const loginAttemptsName = "login_attempts"

// attemptLocks makes a counter's read-modify-write atomic on the embedded
// store: FerretDB's findAndModify reads the document and writes it back, so
// two concurrent $inc can both read n. The embedded store lives in one
// process, so a lock per key (striped) is enough there; on MongoDB the $inc
// is atomic by itself and the lock only orders this process's calls.
type attemptLocks struct {
	stripes [64]sync.Mutex
}

func (a *attemptLocks) lock(key string) func() {
	h := fnv.New32a()
	h.Write([]byte(key))
	m := &a.stripes[h.Sum32()%uint32(len(a.stripes))]
	m.Lock()
	return m.Unlock
}

type attemptDoc struct {
	ID        string    `bson:"_id"`
	N         int       `bson:"n"`
	ExpiresAt time.Time `bson:"expires_at"`
}

func (s *Store) loginAttempts() *mongo.Collection { return s.db.Collection(loginAttemptsName) }

// CountAttempt counts one attempt under key and returns the count including
// it; the record lives until expires.
func (s *Store) CountAttempt(ctx context.Context, key string, expires time.Time) (int, error) {
	defer s.attempts.lock(key)()
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	var d attemptDoc
	err := s.loginAttempts().FindOneAndUpdate(ctx, bson.D{{Key: fieldID, Value: key}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: 1}}},
			{Key: "$set", Value: bson.D{{Key: "expires_at", Value: expires.UTC()}}}},
		options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After)).Decode(&d)
	if err != nil {
		return 0, wrap(err, "count login attempt")
	}
	return d.N, nil
}

// ClearAttempts forgets the attempts under keys (after a successful login).
func (s *Store) ClearAttempts(ctx context.Context, keys ...string) error {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	for _, key := range keys {
		unlock := s.attempts.lock(key)
		_, err := s.loginAttempts().DeleteOne(ctx, bson.D{{Key: fieldID, Value: key}})
		unlock()
		if err != nil {
			return wrap(err, "clear login attempts")
		}
	}
	return nil
}

// FirstUse records key once: it reports true the first time and false for
// every later use before expires (a single-use token). Uniqueness comes from
// the insert of _id, which both stores enforce.
func (s *Store) FirstUse(ctx context.Context, key string, expires time.Time) (bool, error) {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	_, err := s.loginAttempts().InsertOne(ctx, attemptDoc{ID: key, N: 1, ExpiresAt: expires.UTC()})
	if mongo.IsDuplicateKeyError(err) {
		return false, nil
	}
	if err != nil {
		return false, wrap(err, "record a single-use token")
	}
	return true, nil
}

// DeleteExpiredAttempts removes the attempt records that expired before now
// and returns how many (a long operation: an attack leaves many).
func (s *Store) DeleteExpiredAttempts(ctx context.Context, now time.Time) (int64, error) {
	ctx, cancel := s.StreamContext(ctx)
	defer cancel()
	return s.backend.deleteEach(ctx, docQuery{coll: loginAttemptsName, conds: []docCond{lt("expires_at", now)}})
}

// SetLoginSessionExpiry moves a login session's expiry (the idle timeout
// slides); a session already gone is not an error.
func (s *Store) SetLoginSessionExpiry(ctx context.Context, id string, at time.Time) error {
	ctx, cancel := s.OpContext(ctx)
	defer cancel()
	_, err := s.loginSessions().UpdateOne(ctx, bson.D{{Key: fieldID, Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "expires_at", Value: storedTime(at)}}}})
	return wrap(err, "extend login session")
}
