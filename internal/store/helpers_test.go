package store_test

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/store"
)

// base is a fixed instant with sub-millisecond digits, which BSON drops.
var base = time.Date(2025, 3, 14, 15, 9, 26, 535897932, time.FixedZone("GT", -6*3600))

func ctxT(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// newResponse returns a response as the intake would build it.
func newResponse(id, form string, at time.Time, answers map[string]any) *consulta.Response {
	return &consulta.Response{
		ID:          id,
		FormID:      form,
		FormVersion: 1,
		Lang:        "es",
		Channel:     consulta.ChannelPage,
		ReceivedAt:  at,
		Answers:     answers,
		RequestHash: "hash-" + id,
		Status:      consulta.StatusNew,
	}
}

// insert stores r (and c) and fails the test unless it is created.
func insert(t testing.TB, s *store.Store, r *consulta.Response, c *consulta.Contact) *consulta.Response {
	t.Helper()
	got, created, err := s.InsertResponse(ctxT(t), r, c)
	if err != nil {
		t.Fatalf("InsertResponse(%s): %v", r.ID, err)
	}
	if !created {
		t.Fatalf("InsertResponse(%s): created = false", r.ID)
	}
	return got
}

// collect returns the responses EachResponse yields.
func collect(t testing.TB, s *store.Store, f consulta.ResponseFilter, fields []string) []*consulta.Response {
	t.Helper()
	var out []*consulta.Response
	err := s.EachResponse(ctxT(t), f, fields, func(r *consulta.Response) error {
		out = append(out, r)
		return nil
	})
	if err != nil {
		t.Fatalf("EachResponse(%+v): %v", f, err)
	}
	return out
}

func ids(rs []*consulta.Response) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func sameStrings(a, b []string) bool {
	return len(a) == len(b) && (len(a) == 0 || reflect.DeepEqual(a, b))
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := consulta.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func show(r *consulta.Response) string { return fmt.Sprintf("%+v", *r) }
