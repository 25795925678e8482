package store_test

import (
	"io"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/store"
	"github.com/consulta/consulta/internal/storetest"
)

// The report PDFs kept for package schedule: a second save of an id is a
// conflict and keeps the first, a missing id is ENOTFOUND on every read, and
// the metadata comes back as it was given.
func TestReportFiles(t *testing.T) {
	st := storetest.Open(t, store.Options{})
	ctx := ctxT(t)
	type meta struct {
		FormID string `bson:"form"`
		K      int    `bson:"k"`
	}
	if err := st.SaveReportFile(ctx, "r1", "r1.pdf", meta{FormID: "f", K: 5}, []byte("%PDF-1")); err != nil {
		t.Fatal(err)
	}
	err := st.SaveReportFile(ctx, "r1", "r1.pdf", meta{FormID: "f"}, []byte("%PDF-2"))
	if consulta.ErrorCode(err) != consulta.ECONFLICT {
		t.Fatalf("second save: %v, want ECONFLICT", err)
	}
	if has, err := st.HasReportFile(ctx, "r1"); err != nil || !has {
		t.Fatalf("has r1: %v, %v", has, err)
	}
	if has, err := st.HasReportFile(ctx, "nope"); err != nil || has {
		t.Fatalf("has nope: %v, %v", has, err)
	}
	rc, f, err := st.OpenReportFile(ctx, "r1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(rc)
	if err := rc.Close(); err != nil || string(body) != "%PDF-1" || f.Name != "r1.pdf" || f.Size != 6 {
		t.Fatalf("read %q as %+v, close %v", body, f, err)
	}
	var m meta
	if err := f.DecodeMetadata(&m); err != nil || m != (meta{FormID: "f", K: 5}) {
		t.Fatalf("metadata %+v, %v", m, err)
	}
	if _, _, err := st.OpenReportFile(ctx, "nope"); consulta.ErrorCode(err) != consulta.ENOTFOUND {
		t.Fatalf("open a missing report: %v, want ENOTFOUND", err)
	}
	if _, err := st.ReportFile(ctx, "nope"); consulta.ErrorCode(err) != consulta.ENOTFOUND {
		t.Fatalf("describe a missing report: %v, want ENOTFOUND", err)
	}
	for form, want := range map[string]int{"": 1, "f": 1, "g": 0} {
		if files, err := st.ReportFiles(ctx, form, 0); err != nil || len(files) != want {
			t.Fatalf("reports of %q: %d, %v; want %d", form, len(files), err, want)
		}
	}
}

// A run record is taken over only when a replica may take it: not while its
// owner's lease runs, then once it has run out; and only the owner records
// the outcome.
func TestReportRunTakeOver(t *testing.T) {
	st := storetest.Open(t, store.Options{})
	ctx := ctxT(t)
	type run struct {
		ID         string    `bson:"_id"`
		Status     string    `bson:"status"`
		Owner      string    `bson:"owner"`
		Attempts   int       `bson:"attempts"`
		LeaseUntil time.Time `bson:"lease_until"`
	}
	now := time.Date(2026, 11, 1, 7, 0, 0, 0, time.UTC)
	r := run{ID: "monthly:2026-10", Status: consulta.RunRunning, Owner: "a", Attempts: 1, LeaseUntil: now.Add(10 * time.Minute)}
	if err := st.InsertReportRun(ctx, r.ID, r); err != nil {
		t.Fatal(err)
	}
	if err := st.InsertReportRun(ctx, r.ID, r); consulta.ErrorCode(err) != consulta.ECONFLICT {
		t.Fatalf("second insert: %v, want ECONFLICT", err)
	}
	var got run
	err := st.TakeOverReportRun(ctx, r.ID, "b", now.Add(time.Minute), now.Add(11*time.Minute), &got)
	if consulta.ErrorCode(err) != consulta.ENOTFOUND {
		t.Fatalf("take over a leased run: %v, want ENOTFOUND", err)
	}
	later := now.Add(11 * time.Minute)
	if err := st.TakeOverReportRun(ctx, r.ID, "b", later, later.Add(10*time.Minute), &got); err != nil {
		t.Fatal(err)
	}
	if got.Owner != "b" || got.Attempts != 2 || !got.LeaseUntil.Equal(later.Add(10*time.Minute)) {
		t.Fatalf("taken over: %+v", got)
	}
	if ok, err := st.RenewReportRun(ctx, r.ID, "a", later); err != nil || ok {
		t.Fatalf("renew by the old owner: %v, %v", ok, err)
	}
	r.Status = consulta.RunDone
	if err := st.ReplaceReportRun(ctx, r.ID, "a", r); err != nil {
		t.Fatal(err)
	}
	if err := st.ReportRun(ctx, r.ID, &got); err != nil || got.Status != consulta.RunRunning || got.Owner != "b" {
		t.Fatalf("after the old owner's write: %+v, %v", got, err)
	}
	got.Status = consulta.RunDone
	if err := st.ReplaceReportRun(ctx, r.ID, "b", got); err != nil {
		t.Fatal(err)
	}
	var done []run
	if err := st.DoneReportRuns(ctx, 10, &done); err != nil || len(done) != 1 || done[0].Owner != "b" {
		t.Fatalf("done runs %+v, %v", done, err)
	}
}
