package store_test

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/store"
	"github.com/consulta/consulta/internal/storetest"
)

func TestAnswersRoundTrip(t *testing.T) {
	s := storetest.New(t)
	tests := []struct {
		name  string
		value any
	}{
		{"single", "opcion_a"},
		{"text", "¿Dónde están los datos de cobertura? Ñandú, K'iche', 漢字 😀"},
		{"empty text", ""},
		{"multiple", []string{"estudiantes", "presupuesto", "otro"}},
		{"multiple none", []string{}},
		{"scale", 4.0},
		{"rating zero", 0.0},
		{"number", -1234.5678},
		{"big number", 9007199254740993.0},
		{"yes", true},
		{"no", false},
		{"geo", consulta.Geo{Department: "01", Municipality: "0101"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newResponse(fmt.Sprintf("rt-%02d", i), "f", base, map[string]any{"q": tt.value})
			inserted := insert(t, s, r, nil)
			got, err := s.Response(ctxT(t), r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, inserted) {
				t.Fatalf("read back\n%s\nwant\n%s", show(got), show(inserted))
			}
			if v := got.Answers["q"]; !reflect.DeepEqual(v, tt.value) {
				t.Fatalf("answer = %#v (%T), want %#v (%T)", v, v, tt.value, tt.value)
			}
		})
	}
}

func TestResponseFieldsAreNormalized(t *testing.T) {
	s := storetest.New(t)
	r := newResponse("norm", "f", base, nil)
	r.Status = ""
	got := insert(t, s, r, nil)

	if !got.ReceivedAt.Equal(base.Truncate(time.Millisecond)) || got.ReceivedAt.Location() != time.UTC {
		t.Errorf("ReceivedAt = %v, want %v in UTC", got.ReceivedAt, base.Truncate(time.Millisecond))
	}
	if got.Status != consulta.StatusNew {
		t.Errorf("Status = %q, want %q", got.Status, consulta.StatusNew)
	}
	if got.Answers == nil {
		t.Error("Answers is nil, want an empty map")
	}
	if r.ReceivedAt != base || r.Status != "" {
		t.Error("InsertResponse modified the caller's response")
	}
	stored, err := s.Response(ctxT(t), "norm")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(stored, got) {
		t.Fatalf("stored\n%s\nreturned\n%s", show(stored), show(got))
	}
}

// Numbers written by other tools (mongosh, imports) come back as int32 or int64.
func TestIntegerAnswersReadAsFloat(t *testing.T) {
	s := storetest.New(t)
	doc := bson.D{
		{Key: "_id", Value: "ints"}, {Key: "form", Value: "f"}, {Key: "received_at", Value: base},
		{Key: "answers", Value: bson.D{
			{Key: "small", Value: int32(3)}, {Key: "large", Value: int64(1) << 40},
			{Key: "mixed", Value: bson.A{"a", int32(2)}},
		}},
	}
	if _, err := s.DB().Collection("responses").InsertOne(ctxT(t), doc); err != nil {
		t.Fatal(err)
	}
	got, err := s.Response(ctxT(t), "ints")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"small": 3.0, "large": float64(int64(1) << 40), "mixed": []any{"a", 2.0}}
	if !reflect.DeepEqual(got.Answers, want) {
		t.Fatalf("answers = %#v, want %#v", got.Answers, want)
	}
}

func TestMissingDocumentsAreNotFound(t *testing.T) {
	s := storetest.New(t)
	_, err := s.Response(ctxT(t), "nope")
	wantCode(t, err, consulta.ENOTFOUND)
	_, err = s.Contact(ctxT(t), "nope")
	wantCode(t, err, consulta.ENOTFOUND)
	_, err = s.FormVersion(ctxT(t), "nope", 1)
	wantCode(t, err, consulta.ENOTFOUND)
}

func TestInsertResponseRefusesBadInput(t *testing.T) {
	s := storetest.New(t)
	tests := []struct {
		name string
		r    *consulta.Response
		c    *consulta.Contact
	}{
		{"nil", nil, nil},
		{"no id", newResponse("", "f", base, nil), nil},
		{"dotted key", newResponse("x", "f", base, map[string]any{"a.b": "v"}), nil},
		{"dollar key", newResponse("x", "f", base, map[string]any{"$set": "v"}), nil},
		{"contact of another", newResponse("x", "f", base, nil), &consulta.Contact{ID: "y"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := s.InsertResponse(ctxT(t), tt.r, tt.c)
			wantCode(t, err, consulta.EINVALID)
		})
	}
	if n, _ := s.CountResponses(ctxT(t), consulta.ResponseFilter{}); n != 0 {
		t.Fatalf("%d responses stored from bad input", n)
	}
}

func TestConcurrentInsertsOfOneIDStoreOne(t *testing.T) {
	s := storetest.New(t)
	const callers = 50
	r := newResponse("same-key", "f", base, map[string]any{"q": "hola"})
	c := &consulta.Contact{ID: "same-key", Fields: map[string]any{"email": "a@b.gt"}}

	type outcome struct {
		r       *consulta.Response
		created bool
		err     error
	}
	outcomes := make([]outcome, callers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			<-start
			got, created, err := s.InsertResponse(ctxT(t), r, c)
			outcomes[i] = outcome{got, created, err}
		})
	}
	close(start)
	wg.Wait()

	stored, err := s.Response(ctxT(t), r.ID)
	if err != nil {
		t.Fatal(err)
	}
	created := 0
	for i, o := range outcomes {
		if o.err != nil {
			t.Fatalf("caller %d: %v", i, o.err)
		}
		if o.created {
			created++
		}
		if !reflect.DeepEqual(o.r, stored) {
			t.Fatalf("caller %d got\n%s\nstored\n%s", i, show(o.r), show(stored))
		}
	}
	if created != 1 {
		t.Fatalf("%d callers created the response, want 1", created)
	}
	if n, _ := s.CountResponses(ctxT(t), consulta.ResponseFilter{}); n != 1 {
		t.Fatalf("%d responses stored, want 1", n)
	}

	// Later replays, in a batch of their own, see the stored response.
	got, again, err := s.InsertResponse(ctxT(t), r, c)
	if err != nil || again || !reflect.DeepEqual(got, stored) {
		t.Fatalf("replay: created=%t err=%v\n%v", again, err, got)
	}
}

func TestConcurrentDistinctInsertsAreAllStored(t *testing.T) {
	tests := []struct {
		name string
		opts store.Options
	}{
		{"defaults", store.Options{}},
		{"small batches", store.Options{BatchMax: 3}},
		{"short window", store.Options{BatchWindow: 2 * time.Millisecond}},
		{"long window", store.Options{BatchWindow: 50 * time.Millisecond}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := storetest.Open(t, tt.opts)
			const n = 120
			var wg sync.WaitGroup
			errs := make([]error, n)
			for i := range n {
				wg.Go(func() {
					id := fmt.Sprintf("r%03d", i)
					r := newResponse(id, "f", base, map[string]any{"i": float64(i)})
					var c *consulta.Contact
					if i%3 == 0 {
						c = &consulta.Contact{ID: id, Fields: map[string]any{"name": "N" + id}}
					}
					_, created, err := s.InsertResponse(ctxT(t), r, c)
					if err == nil && !created {
						err = fmt.Errorf("%s not created", id)
					}
					errs[i] = err
				})
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			all := collect(t, s, consulta.ResponseFilter{}, nil)
			if len(all) != n {
				t.Fatalf("%d responses stored, want %d", len(all), n)
			}
			for _, r := range all {
				want := r.ID[1:] == fmt.Sprintf("%03d", int(r.Answers["i"].(float64)))
				if !want || r.HasContact != (int(r.Answers["i"].(float64))%3 == 0) {
					t.Fatalf("stored %s", show(r))
				}
			}
			contacts := 0
			if err := s.EachContact(ctxT(t), "f", func(*consulta.Contact) error { contacts++; return nil }); err != nil {
				t.Fatal(err)
			}
			if contacts != n/3 {
				t.Fatalf("%d contacts stored, want %d", contacts, n/3)
			}
		})
	}
}

func TestContactsAreStoredApart(t *testing.T) {
	s := storetest.New(t)
	r := newResponse("with-contact", "sugerencias", base, map[string]any{"mensaje": "Gracias"})
	c := &consulta.Contact{ID: r.ID, Fields: map[string]any{
		"email": "ana@example.gt", "telefono": "+502 5555 1234",
		"lugar": consulta.Geo{Department: "16", Municipality: "1601"},
	}}
	got := insert(t, s, r, c)
	if !got.HasContact {
		t.Fatal("HasContact = false for a response stored with a contact")
	}

	var raw bson.M
	if err := s.DB().Collection("responses").FindOne(ctxT(t), bson.D{{Key: "_id", Value: r.ID}}).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	if text := fmt.Sprint(raw); strings.Contains(text, "ana@example.gt") || strings.Contains(text, "5555") {
		t.Fatalf("the response document holds contact data: %v", text)
	}

	stored, err := s.Contact(ctxT(t), r.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := consulta.Contact{ID: r.ID, FormID: "sugerencias", ReceivedAt: got.ReceivedAt, Fields: c.Fields}
	if !reflect.DeepEqual(*stored, want) {
		t.Fatalf("contact = %+v, want %+v", *stored, want)
	}

	plain := insert(t, s, newResponse("without-contact", "sugerencias", base, nil), nil)
	if plain.HasContact {
		t.Fatal("HasContact = true without a contact")
	}
	_, err = s.Contact(ctxT(t), plain.ID)
	wantCode(t, err, consulta.ENOTFOUND)
}

// A replay that adds a contact to a response stored without one (the intake then
// reports a conflict) must not leave personal data behind.
func TestReplayDoesNotStoreAnOrphanContact(t *testing.T) {
	s := storetest.New(t)
	r := newResponse("replayed", "f", base, map[string]any{"q": "a"})
	insert(t, s, r, nil)

	replay := newResponse("replayed", "f", base, map[string]any{"q": "b"})
	got, created, err := s.InsertResponse(ctxT(t), replay, &consulta.Contact{ID: "replayed", Fields: map[string]any{"email": "x@y.gt"}})
	if err != nil || created {
		t.Fatalf("replay: created=%t err=%v", created, err)
	}
	if got.Answers["q"] != "a" || got.HasContact {
		t.Fatalf("replay returned %s, want the first response", show(got))
	}
	_, err = s.Contact(ctxT(t), "replayed")
	wantCode(t, err, consulta.ENOTFOUND)
}

func TestInsertResponses(t *testing.T) {
	s := storetest.New(t)
	const n = 2500 // three InsertMany batches
	rs := make([]*consulta.Response, n)
	var cs []*consulta.Contact
	for i := range rs {
		rs[i] = newResponse(fmt.Sprintf("bulk-%05d", i), "f", base.Add(time.Duration(i)*time.Second), map[string]any{"n": float64(i)})
		if i%500 == 0 {
			cs = append(cs, &consulta.Contact{ID: rs[i].ID, Fields: map[string]any{"email": "e@x.gt"}})
		}
	}
	inserted, err := s.InsertResponses(ctxT(t), rs, cs)
	if err != nil || inserted != n {
		t.Fatalf("InsertResponses = %d, %v; want %d", inserted, err, n)
	}
	if got, _ := s.CountResponses(ctxT(t), consulta.ResponseFilter{}); got != n {
		t.Fatalf("%d stored, want %d", got, n)
	}
	r, err := s.Response(ctxT(t), "bulk-01000")
	if err != nil || !r.HasContact || r.Answers["n"] != 1000.0 {
		t.Fatalf("bulk-01000 = %v, %v", r, err)
	}
	if _, err := s.Contact(ctxT(t), "bulk-01000"); err != nil {
		t.Fatalf("contact of bulk-01000: %v", err)
	}

	again := []*consulta.Response{
		newResponse("bulk-new-1", "f", base, nil),
		newResponse("bulk-00007", "f", base, nil),
		newResponse("bulk-new-2", "f", base, nil),
	}
	inserted, err = s.InsertResponses(ctxT(t), again, nil)
	wantCode(t, err, consulta.ECONFLICT)
	if !strings.Contains(err.Error(), "bulk-00007") {
		t.Fatalf("error %q does not name the duplicate", err)
	}
	if inserted != 1 {
		t.Fatalf("inserted = %d before the duplicate, want 1", inserted)
	}

	_, err = s.InsertResponses(ctxT(t), again[:1], []*consulta.Contact{{ID: "stray"}})
	wantCode(t, err, consulta.EINVALID)
}

func TestDeleteContactsBefore(t *testing.T) {
	s := storetest.New(t)
	now := base
	for i, age := range []time.Duration{400 * 24 * time.Hour, 366 * 24 * time.Hour, 10 * 24 * time.Hour} {
		id := fmt.Sprintf("c%d", i)
		insert(t, s, newResponse(id, "f", now.Add(-age), nil), &consulta.Contact{ID: id, Fields: map[string]any{"email": id}})
	}
	deleted, err := s.DeleteContactsBefore(ctxT(t), now.Add(-365*24*time.Hour))
	if err != nil || deleted != 2 {
		t.Fatalf("DeleteContactsBefore = %d, %v; want 2", deleted, err)
	}
	var left []string
	err = s.EachContact(ctxT(t), "f", func(c *consulta.Contact) error { left = append(left, c.ID); return nil })
	if err != nil || !sameStrings(left, []string{"c2"}) {
		t.Fatalf("contacts left = %v, %v; want [c2]", left, err)
	}
	if n, _ := s.CountResponses(ctxT(t), consulta.ResponseFilter{}); n != 3 {
		t.Fatalf("retention deleted responses: %d left", n)
	}
}

func TestSaveFormVersion(t *testing.T) {
	s := storetest.New(t)
	def := []byte("id: sugerencias\nversion: 3\n")
	if err := s.SaveFormVersion(ctxT(t), "sugerencias", 3, "h1", def); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveFormVersion(ctxT(t), "sugerencias", 3, "h1", def); err != nil {
		t.Fatalf("same version and hash again: %v", err)
	}
	err := s.SaveFormVersion(ctxT(t), "sugerencias", 3, "h2", []byte("changed"))
	wantCode(t, err, consulta.ECONFLICT)
	if err := s.SaveFormVersion(ctxT(t), "sugerencias", 4, "h2", []byte("changed")); err != nil {
		t.Fatalf("new version: %v", err)
	}
	got, err := s.FormVersion(ctxT(t), "sugerencias", 3)
	if err != nil || string(got) != string(def) {
		t.Fatalf("FormVersion = %q, %v; want %q", got, err, def)
	}
}
