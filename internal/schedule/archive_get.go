package schedule

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/consulta/consulta/internal/consulta"
)

// Get returns a stored report's description without its content. A missing
// id is an ENOTFOUND error.
func (a *Archive) Get(ctx context.Context, id string) (StoredReport, error) {
	ctx, cancel := a.st.OpContext(ctx)
	defer cancel()
	var f mongo.GridFSFile
	err := a.bucket.GetFilesCollection().FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&f)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return StoredReport{}, consulta.Errorf(consulta.ENOTFOUND, "archive: no report %s", id)
	case err != nil:
		return StoredReport{}, fmt.Errorf("archive: %s: %w", id, err)
	}
	return describe(f), nil
}
