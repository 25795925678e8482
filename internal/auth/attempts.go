package auth

import (
	"context"
	"hash/fnv"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/store"
)

// attemptsCollection holds the login attempt counters and used login-form
// nonces. Its documents are keyed by hashes (never an e-mail or an address)
// and carry expires_at, after which the hourly cleanup deletes them.
//
// It is reached through store.DB() rather than a store method because the
// counters are the login rules' own bookkeeping; they only ever touch
// documents by _id, which both backends serve by index.
const attemptsCollection = "login_attempts"

// attemptCounter counts attempts atomically. On MongoDB, $inc in a
// findAndModify is atomic across replicas. FerretDB's findAndModify reads the
// document and writes it back, so two concurrent increments can both read n;
// the embedded store lives in one process, so a lock per key (striped) makes
// the read-modify-write atomic there.
type attemptCounter struct {
	stripes [64]sync.Mutex
}

type attemptDoc struct {
	ID        string    `bson:"_id"`
	N         int       `bson:"n"`
	ExpiresAt time.Time `bson:"expires_at"`
}

func (a *attemptCounter) lock(key string) func() {
	h := fnv.New32a()
	h.Write([]byte(key))
	m := &a.stripes[h.Sum32()%uint32(len(a.stripes))]
	m.Lock()
	return m.Unlock
}

func coll(st *store.Store) *mongo.Collection { return st.DB().Collection(attemptsCollection) }

// add counts one attempt under key and returns the count including it. The
// record lives until expires.
func (a *attemptCounter) add(ctx context.Context, st *store.Store, key string, expires time.Time) (int, error) {
	defer a.lock(key)()
	ctx, cancel := st.OpContext(ctx)
	defer cancel()
	var d attemptDoc
	err := coll(st).FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: key}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: 1}}},
			{Key: "$set", Value: bson.D{{Key: "expires_at", Value: expires.UTC()}}}},
		options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After)).Decode(&d)
	if err != nil {
		return 0, consulta.Errorf(consulta.EUNAVAILABLE, "count login attempt: %v", err)
	}
	return d.N, nil
}

// clear forgets the attempts under key (after a successful login).
func (a *attemptCounter) clear(ctx context.Context, st *store.Store, keys ...string) error {
	ctx, cancel := st.OpContext(ctx)
	defer cancel()
	for _, key := range keys {
		unlock := a.lock(key)
		_, err := coll(st).DeleteOne(ctx, bson.D{{Key: "_id", Value: key}})
		unlock()
		if err != nil {
			return consulta.Errorf(consulta.EUNAVAILABLE, "clear login attempts: %v", err)
		}
	}
	return nil
}

// first records key once: it reports true the first time and false for every
// later use before expires (a single-use token). Uniqueness comes from the
// insert of _id, which both backends enforce.
func (a *attemptCounter) first(ctx context.Context, st *store.Store, key string, expires time.Time) (bool, error) {
	ctx, cancel := st.OpContext(ctx)
	defer cancel()
	_, err := coll(st).InsertOne(ctx, attemptDoc{ID: key, N: 1, ExpiresAt: expires.UTC()})
	if mongo.IsDuplicateKeyError(err) {
		return false, nil
	}
	if err != nil {
		return false, consulta.Errorf(consulta.EUNAVAILABLE, "record login form: %v", err)
	}
	return true, nil
}

// deleteExpired removes the records that expired before now.
func deleteExpired(ctx context.Context, st *store.Store, now time.Time) (int64, error) {
	ctx, cancel := st.OpContext(ctx)
	defer cancel()
	res, err := coll(st).DeleteMany(ctx, bson.D{{Key: "expires_at", Value: bson.D{{Key: "$lt", Value: now.UTC()}}}})
	if err != nil {
		return 0, consulta.Errorf(consulta.EUNAVAILABLE, "delete expired login attempts: %v", err)
	}
	return res.DeletedCount, nil
}

// loginSessionsCollection is the store's collection of login sessions.
const loginSessionsCollection = "login_sessions"

// setSessionExpiry moves a login session's expiry (the idle timeout slides).
// The store has no such method yet; this writes the one field by _id.
func setSessionExpiry(ctx context.Context, st *store.Store, id string, at time.Time) error {
	ctx, cancel := st.OpContext(ctx)
	defer cancel()
	_, err := st.DB().Collection(loginSessionsCollection).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "expires_at", Value: at.UTC()}}}})
	if err != nil {
		return consulta.Errorf(consulta.EUNAVAILABLE, "extend login session: %v", err)
	}
	return nil
}
