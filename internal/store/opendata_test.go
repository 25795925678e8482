package store_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/storetest"
)

// TestOpenDataSnapshots: snapshots and the catalog are kept and replaced by
// _id, and what is missing says so.
func TestOpenDataSnapshots(t *testing.T) {
	s := storetest.New(t)
	ctx := ctxT(t)

	_, err := s.OpenDataSnapshot(ctx, "sugerencias", "2026-S1")
	wantCode(t, err, consulta.ENOTFOUND)
	_, err = s.OpenDataCatalog(ctx)
	wantCode(t, err, consulta.ENOTFOUND)

	fp := consulta.OpenDataFingerprint{Responses: 12, Statuses: map[string]int64{"new": 10, "answered": 2}}
	snap := &consulta.OpenDataSnapshot{FormID: "sugerencias", Period: "2026-S1", Recipe: "r1", OpenDataFingerprint: fp,
		ComputedAt: base, Files: []consulta.OpenDataFile{
			{Lang: "es", Format: "csv", Body: []byte("form,count\r\nsugerencias,12\r\n"), ETag: `"a"`},
			{Lang: "en", Format: "json", Body: []byte(`{"n": 12}`), ETag: `"b"`},
		}}
	for range 2 { // the second save replaces the first
		if err := s.SaveOpenDataSnapshot(ctx, snap); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.OpenDataSnapshot(ctx, "sugerencias", "2026-S1")
	if err != nil {
		t.Fatal(err)
	}
	f, ok := got.File("es", "csv")
	if !ok || !bytes.Equal(f.Body, snap.Files[0].Body) || f.ETag != `"a"` || got.Responses != 12 || got.Statuses["answered"] != 2 ||
		!got.ComputedAt.Equal(base.Truncate(time.Millisecond)) || got.ID != "sugerencias|2026-S1" {
		t.Errorf("snapshot read back: %+v", got)
	}
	if _, ok := got.File("quc", "csv"); ok {
		t.Error("a file that was never rendered")
	}

	cat := &consulta.OpenDataCatalog{UpdatedAt: base, Forms: []consulta.OpenDataForm{
		{FormID: "sugerencias", First: "2025-S2", Periods: []consulta.OpenDataPeriod{
			{Period: "2025-S2", OpenDataFingerprint: consulta.OpenDataFingerprint{Responses: 28}}}},
	}}
	for range 2 {
		if err := s.SaveOpenDataCatalog(ctx, cat); err != nil {
			t.Fatal(err)
		}
	}
	c, err := s.OpenDataCatalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !c.UpdatedAt.Equal(base.Truncate(time.Millisecond)) || len(c.Forms) != 1 || c.Forms[0].First != "2025-S2" || c.Forms[0].Periods[0].Responses != 28 {
		t.Errorf("catalog read back: %+v", c)
	}
}
