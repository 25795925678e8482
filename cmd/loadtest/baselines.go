package main

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/consulta/consulta/internal/consulta"
)

// insertManyLoop inserts batches of response-like documents, one InsertMany after
// the other, for d into a scratch database of the store (dropped afterwards), and
// returns the documents written per second.
func insertManyLoop(ctx context.Context, uri string, batch int, d time.Duration) (result, error) {
	client, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		return result{}, err
	}
	defer func() {
		dctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = client.Disconnect(dctx)
	}()
	db := client.Database(fmt.Sprintf("loadtest_bare_%d", time.Now().UnixNano()))
	defer func() {
		dctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = db.Drop(dctx)
	}()
	coll := db.Collection("responses")
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	err = db.CreateCollection(cctx, "responses")
	cancel()
	if err != nil {
		return result{}, err
	}
	var r result
	start := time.Now()
	for time.Since(start) < d && ctx.Err() == nil {
		docs := make([]any, batch)
		for i := range docs {
			docs[i] = sampleResponse()
		}
		ictx, cancel := context.WithTimeout(ctx, 30*time.Second)
		_, err := coll.InsertMany(ictx, docs, options.InsertMany().SetOrdered(false))
		cancel()
		if err != nil {
			r.errors++
			continue
		}
		r.count += batch
	}
	r.elapsed = time.Since(start)
	return r, nil
}

// sampleResponse is shaped like a stored page-feedback response.
func sampleResponse() *consulta.Response {
	now := time.Now().UTC()
	return &consulta.Response{
		ID: newKey(), FormID: "utilidad-pagina", FormVersion: 1, Lang: "es",
		Channel: consulta.ChannelWidget, Page: "https://www.mineduc.gob.gt/transparencia/",
		ReceivedAt: now, Status: consulta.StatusNew, RequestHash: newKey(),
		Answers: map[string]any{"useful": false, "looking_for": "presupuesto por departamento"},
	}
}
