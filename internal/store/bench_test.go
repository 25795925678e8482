package store_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/embedded"
	"github.com/consulta/consulta/internal/store"
)

// benchClients is how many submissions are in flight at once per GOMAXPROCS: a busy
// portal has many more clients than cores.
const benchClients = 16

// benchResponse is a response of about the size docs/storage.md measured (445 B of BSON).
func benchResponse(id string) *consulta.Response {
	r := newResponse(id, "necesidades-informacion", time.Now(), map[string]any{
		"perfil":      "docente",
		"ubicacion":   consulta.Geo{Department: "16", Municipality: "1601"},
		"datos":       []string{"estudiantes", "establecimientos", "presupuesto"},
		"desagregar":  []string{"genero", "departamento"},
		"formatos":    []string{"csv", "api"},
		"frecuencia":  "mensual",
		"facilidad":   3.0,
		"comprension": 4.0,
		"falta":       "Datos de cobertura por municipio y nivel, con series desde 2015.",
		"grupo_focal": true,
	})
	r.Department = "16"
	r.Channel = consulta.ChannelWidget
	r.Page = "https://www.mineduc.gob.gt/transparencia/"
	return r
}

// BenchmarkInsertResponse measures InsertResponse from many concurrent callers on an
// embedded store on disk (what a small deployment runs): "grouped" with the group
// commit's defaults, "window-2ms" waiting 2 ms for more submissions before each
// write, "single" with BatchMax 1, one InsertMany per response.
func BenchmarkInsertResponse(b *testing.B) {
	for _, bb := range []struct {
		name string
		opts store.Options
	}{
		{"grouped", store.Options{}},
		{"window-2ms", store.Options{BatchWindow: 2 * time.Millisecond}},
		{"single", store.Options{BatchMax: 1}},
	} {
		b.Run(bb.name, func(b *testing.B) {
			s := diskStore(b, bb.opts)
			var seq atomic.Int64
			b.SetParallelism(benchClients)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				for pb.Next() {
					r := benchResponse(fmt.Sprintf("bench-%09d", seq.Add(1)))
					if _, _, err := s.InsertResponse(ctx, r, nil); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "responses/s")
		})
	}
}

// diskStore opens a Store on an embedded store of its own in a temporary
// directory, with its indexes, as consulta serve does.
func diskStore(b *testing.B, o store.Options) *store.Store {
	b.Helper()
	server, err := embedded.Open(context.Background(), b.TempDir(), "127.0.0.1:0", nil)
	if err != nil {
		b.Fatal(err)
	}
	o.URI, o.EmbeddedDir = server.URI(), server.StoreDir()
	s, err := store.Open(context.Background(), o)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		s.Close(context.Background())
		server.Close()
	})
	return s
}

// BenchmarkInsertManyBaseline writes the same documents with bare InsertMany batches
// of DefaultBatchMax from one goroutine: the ceiling the group commit approaches.
// "indexed" writes into the responses collection, with the store's indexes;
// "no-index" into a collection of its own with only FerretDB's _id index, as
// the bare loop of cmd/loadtest does: the difference is what the indexes cost.
func BenchmarkInsertManyBaseline(b *testing.B) {
	for _, coll := range []string{"responses", "bare"} {
		name := map[string]string{"responses": "indexed", "bare": "no-index"}[coll]
		b.Run(name, func(b *testing.B) {
			s := diskStore(b, store.Options{})
			c := s.DB().Collection(coll)
			const batch = 500
			docs := make([]any, 0, batch)
			flush := func() {
				ctx, cancel := s.OpContext(context.Background())
				defer cancel()
				if _, err := c.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false)); err != nil {
					b.Fatal(err)
				}
				docs = docs[:0]
			}
			b.ResetTimer()
			for i := range b.N {
				docs = append(docs, benchResponse(fmt.Sprintf("base-%09d", i)))
				if len(docs) == batch {
					flush()
				}
			}
			if len(docs) > 0 {
				flush()
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "responses/s")
		})
	}
}
