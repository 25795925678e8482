package opendata_test

import (
	"bytes"
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/opendata"
	"github.com/consulta/consulta/internal/report"
	"github.com/consulta/consulta/internal/store"
)

// TestMaterializer follows the snapshots of one form through the life of a
// deployment: the first pass, a quiet pass, a late import, a triage change,
// the end of a semester.
func TestMaterializer(t *testing.T) {
	fx := newFixture(t, time.Date(2026, 8, 1, 12, 0, 0, 0, time.UTC))
	ctx := ctxT(t)
	lib := fx.library()
	const form = "sugerencias"
	counts := map[string]int{"2025-S1": 40, "2025-S2": 25, "2026-S1": 30, "2026-S2": 7}
	var seeded []*consulta.Response
	for i, p := range []string{"2025-S1", "2025-S2", "2026-S1", "2026-S2"} {
		s, _ := report.ParseSemester(p)
		seeded = append(seeded, fx.seed(t, form, counts[p], s.Year, s.Half, uint64(100+i))...)
	}

	t.Run("before the first pass, every period is being prepared", func(t *testing.T) {
		_, err := lib.File(ctx, form, "2025-S1", "es", "csv")
		if r := new(opendata.Refusal); !errors.As(err, &r) || !r.Preparing || consulta.ErrorCode(err) != consulta.EUNAVAILABLE {
			t.Fatalf("got %v", err)
		}
		idx, err := lib.Index(ctx)
		if err != nil || len(idx) != len(fx.reg.All()) || idx[0].Known {
			t.Fatalf("index %+v, %v", idx, err)
		}
	})

	m := fx.materializer()
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if n := fx.made(); n != 3 {
		t.Errorf("first pass made %d snapshots of %s, want 3 (2025-S1 to 2026-S1)", n, form)
	}
	for _, p := range []string{"2025-S1", "2025-S2", "2026-S1"} {
		checkSnapshot(t, fx, form, p, counts[p])
	}

	t.Run("library", func(t *testing.T) {
		latest, err := lib.File(ctx, form, "", "en", "json")
		if err != nil || latest.Period.String() != "2026-S1" || latest.Name() != "sugerencias-2026-S1-en.json" ||
			latest.ETag != report.ETag(latest.Body) || !bytes.Contains(latest.Body, []byte(`"form": "sugerencias"`)) {
			t.Fatalf("latest: %+v, %v", latest, err)
		}
		for _, tc := range []struct {
			period    string
			preparing bool
		}{
			{"2026-S2", false}, // under way
			{"2027-S1", false}, // future
			{"2024-S2", false}, // before the first responses
			{"2026-13", false}, // not a semester
		} {
			_, err := lib.File(ctx, form, tc.period, "es", "csv")
			if r := new(opendata.Refusal); !errors.As(err, &r) || r.Preparing != tc.preparing {
				t.Errorf("%s: %v", tc.period, err)
			}
		}
		if _, err := lib.File(ctx, "nope", "2026-S1", "es", "csv"); consulta.ErrorCode(err) != consulta.ENOTFOUND {
			t.Errorf("unknown form: %v", err)
		}
		// A form with no responses is known and has no period.
		idx, err := lib.Index(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, fp := range idx {
			want := []string(nil)
			if fp.FormID == form {
				want = []string{"2026-S1", "2025-S2", "2025-S1"}
			}
			var got []string
			for _, p := range fp.Periods {
				got = append(got, p.Semester.String())
				if !p.Ready {
					t.Errorf("%s %s not ready", fp.FormID, p.Semester)
				}
			}
			if !fp.Known || !slices.Equal(got, want) {
				t.Errorf("%s: known %t, periods %v, want %v", fp.FormID, fp.Known, got, want)
			}
		}
	})

	t.Run("a pass with nothing new makes nothing", func(t *testing.T) {
		fx.setClock(fx.clock().Add(time.Hour))
		if err := m.Run(ctx); err != nil {
			t.Fatal(err)
		}
		if n := fx.made(); n != 0 {
			t.Errorf("made %d snapshots", n)
		}
	})

	t.Run("a late import remakes its period only", func(t *testing.T) {
		from, _ := fx.semester(2025, 2)
		late := &consulta.Response{ID: "late-1", FormID: form, FormVersion: 1, Lang: "es", Channel: consulta.ChannelImport,
			ReceivedAt: from.Add(48 * time.Hour), Status: consulta.StatusNew, RequestHash: "x", Answers: map[string]any{}}
		fx.insert(t, []*consulta.Response{late}, nil)
		if err := m.Run(ctx); err != nil {
			t.Fatal(err)
		}
		if n := fx.made(); n != 1 {
			t.Errorf("made %d snapshots, want 1", n)
		}
		checkSnapshot(t, fx, form, "2025-S2", counts["2025-S2"]+1)
	})

	t.Run("a triage status changed remakes its period", func(t *testing.T) {
		r := seeded[0] // in 2025-S1
		if _, err := fx.st.SaveTriage(ctx, r, consulta.TriageUpdate{Status: nextStatus(r.Status), By: "test", At: fx.clock()}); err != nil {
			t.Fatal(err)
		}
		if err := m.Run(ctx); err != nil {
			t.Fatal(err)
		}
		if n := fx.made(); n != 1 {
			t.Errorf("made %d snapshots, want 1", n)
		}
		checkSnapshot(t, fx, form, "2025-S1", counts["2025-S1"])
	})

	t.Run("a semester ends: published an hour later", func(t *testing.T) {
		_, end := fx.semester(2026, 2)
		fx.setClock(end.Add(30 * time.Minute))
		if err := m.Run(ctx); err != nil {
			t.Fatal(err)
		}
		if n := fx.made(); n != 0 {
			t.Errorf("in the grace hour: made %d snapshots", n)
		}
		fx.setClock(end.Add(report.PublishGrace))
		if err := m.Run(ctx); err != nil {
			t.Fatal(err)
		}
		if n := fx.made(); n != 1 {
			t.Errorf("made %d snapshots, want 1", n)
		}
		checkSnapshot(t, fx, form, "2026-S2", counts["2026-S2"])
	})

	if len(fx.errs) > 0 {
		t.Errorf("failed jobs: %v", fx.errs)
	}
}

// nextStatus is a triage status other than s.
func nextStatus(s string) string {
	if s == consulta.StatusAnswered {
		return consulta.StatusActioned
	}
	return consulta.StatusAnswered
}

// checkSnapshot checks that the snapshot of form and period aggregated n
// responses and has every file, each with the ETag of its bytes.
func checkSnapshot(t *testing.T, fx *fixture, form, period string, n int) {
	t.Helper()
	snap, err := fx.st.OpenDataSnapshot(ctxT(t), form, period)
	if err != nil {
		t.Fatalf("%s %s: %v", form, period, err)
	}
	if snap.Responses != int64(n) {
		t.Errorf("%s %s: %d responses, want %d", form, period, snap.Responses, n)
	}
	for _, l := range fx.tr.Languages() {
		for _, format := range []string{opendata.FormatCSV, opendata.FormatJSON} {
			f, ok := snap.File(l.Tag, format)
			if !ok || len(f.Body) == 0 || f.ETag != report.ETag(f.Body) {
				t.Errorf("%s %s: file %s %s missing or without its ETag", form, period, l.Tag, format)
			}
		}
	}
	cat, err := fx.st.OpenDataCatalog(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range cat.Forms {
		for _, p := range e.Periods {
			if e.FormID == form && p.Period == period {
				found = p.Responses == snap.Responses && p.Recipe == snap.Recipe && len(p.Statuses) > 0 &&
					maps.Equal(p.Statuses, snap.Statuses)
			}
		}
	}
	if !found {
		t.Errorf("%s %s: not in the catalog as stored: %+v", form, period, cat)
	}
}

var _ opendata.Store = (*store.Store)(nil)

// TestStartStop: the background loop makes the snapshots without being
// asked, and Stop returns once it has stopped.
func TestStartStop(t *testing.T) {
	fx := newFixture(t, time.Date(2026, 8, 1, 12, 0, 0, 0, time.UTC))
	fx.seed(t, "utilidad-pagina", 20, 2026, 1, 7)
	m := fx.materializer()
	m.Start(ctxT(t))
	deadline := time.Now().Add(time.Minute)
	for {
		if _, err := fx.st.OpenDataSnapshot(ctxT(t), "utilidad-pagina", "2026-S1"); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no snapshot after a minute")
		}
		time.Sleep(20 * time.Millisecond)
	}
	m.Stop()
	m.Stop() // a second Stop is harmless
}
