package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/report"
	"github.com/consulta/consulta/internal/store"
)

// fakeSnapshots is a store of snapshots in memory; a nil catalog is one no
// materializer pass has saved yet.
type fakeSnapshots struct {
	snaps   map[string]*consulta.OpenDataSnapshot
	catalog *consulta.OpenDataCatalog
}

func (f *fakeSnapshots) OpenDataSnapshot(_ context.Context, formID, period string) (*consulta.OpenDataSnapshot, error) {
	if s, ok := f.snaps[store.OpenDataSnapshotID(formID, period)]; ok {
		return s, nil
	}
	return nil, consulta.Errorf(consulta.ENOTFOUND, "no snapshot")
}

func (f *fakeSnapshots) OpenDataCatalog(context.Context) (*consulta.OpenDataCatalog, error) {
	if f.catalog == nil {
		return nil, consulta.Errorf(consulta.ENOTFOUND, "no catalog")
	}
	return f.catalog, nil
}

// add stores a snapshot of formID for p whose files say which they are.
func (f *fakeSnapshots) add(formID string, p report.Semester) {
	snap := &consulta.OpenDataSnapshot{ID: store.OpenDataSnapshotID(formID, p.String()), FormID: formID, Period: p.String()}
	for _, lang := range []string{"es", "en", "quc"} {
		for _, format := range []string{"csv", "json"} {
			body := []byte(formID + " " + p.String() + " " + lang + " " + format)
			snap.Files = append(snap.Files, consulta.OpenDataFile{Lang: lang, Format: format, Body: body, ETag: report.ETag(body)})
		}
	}
	f.snaps[snap.ID] = snap
	for i := range f.catalog.Forms {
		if f.catalog.Forms[i].FormID == formID {
			f.catalog.Forms[i].Periods = append(f.catalog.Forms[i].Periods, consulta.OpenDataPeriod{Period: p.String()})
		}
	}
}

func newOpenDataServer(t *testing.T, snaps *fakeSnapshots) *Server {
	t.Helper()
	reg, tr, cat := shippedParts(t)
	s, err := New(Deps{Forms: reg, Geo: cat, Translator: tr, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		OpenData: snaps}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func get(t *testing.T, s *Server, path string, header map[string]string) (int, http.Header, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := s.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(body)
}

// TestOpenDataRoutes: files come from the snapshots by semester, with their
// caching headers; everything else is refused with a message that says what
// is published.
func TestOpenDataRoutes(t *testing.T) {
	loc, _ := time.LoadLocation(consulta.DefaultTimeZone)
	latest := report.LatestPublished(time.Now(), loc)
	prev := report.Semester{Year: latest.Year - 1, Half: 2}
	if latest.Half == 2 {
		prev = report.Semester{Year: latest.Year, Half: 1}
	}
	snaps := &fakeSnapshots{snaps: map[string]*consulta.OpenDataSnapshot{}}
	s := newOpenDataServer(t, snaps)

	t.Run("before the first pass: being prepared", func(t *testing.T) {
		status, h, body := get(t, s, "/datos/sugerencias.csv?period="+latest.String()+"&lang=es", nil)
		if status != http.StatusServiceUnavailable || h.Get("Retry-After") != "60" || !strings.Contains(body, "se están preparando") {
			t.Errorf("status %d, Retry-After %q, %.300s", status, h.Get("Retry-After"), body)
		}
		status, _, body = get(t, s, "/datos?lang=en", nil)
		if status != 200 || !strings.Contains(body, "Being prepared") {
			t.Errorf("index: status %d %.300s", status, body)
		}
	})

	snaps.catalog = &consulta.OpenDataCatalog{Forms: []consulta.OpenDataForm{
		{FormID: "sugerencias", First: prev.String()}, {FormID: "utilidad-pagina"},
	}}
	snaps.add("sugerencias", prev)
	snaps.add("sugerencias", latest)

	t.Run("file", func(t *testing.T) {
		status, h, body := get(t, s, "/datos/sugerencias.csv?period="+prev.String()+"&lang=en", nil)
		if status != 200 || body != "sugerencias "+prev.String()+" en csv" {
			t.Fatalf("status %d, %q", status, body)
		}
		for header, want := range map[string]string{
			"Content-Type": "text/csv; charset=utf-8", "Cache-Control": "public, max-age=3600", "Vary": "Accept-Language",
			"Content-Disposition": `attachment; filename="sugerencias-` + prev.String() + `-en.csv"`, "ETag": report.ETag([]byte(body)),
		} {
			if h.Get(header) != want {
				t.Errorf("%s = %q, want %q", header, h.Get(header), want)
			}
		}
		status, _, body = get(t, s, "/datos/sugerencias.csv?period="+prev.String()+"&lang=en",
			map[string]string{"If-None-Match": h.Get("ETag")})
		if status != http.StatusNotModified || body != "" {
			t.Errorf("If-None-Match: status %d, %q", status, body)
		}
	})

	t.Run("no period is the latest; language from Accept-Language", func(t *testing.T) {
		status, h, body := get(t, s, "/datos/sugerencias.json", map[string]string{"Accept-Language": "en-US"})
		if status != 200 || body != "sugerencias "+latest.String()+" en json" ||
			h.Get("Content-Disposition") != `inline; filename="sugerencias-`+latest.String()+`-en.json"` ||
			!strings.HasPrefix(h.Get("Content-Type"), "application/json") {
			t.Errorf("status %d, %q, %v", status, body, h)
		}
	})

	t.Run("index", func(t *testing.T) {
		status, _, body := get(t, s, "/datos?lang=es", nil)
		for _, want := range []string{
			"/datos/sugerencias.csv?lang=es&amp;period=" + latest.String(),
			"/datos/sugerencias.json?lang=es&amp;period=" + prev.String(),
			"Aún no hay ningún semestre publicado", // utilidad-pagina
			"En preparación",                       // necesidades-informacion: not in the catalog yet
			"period_start",
		} {
			if status != 200 || !strings.Contains(body, want) {
				t.Errorf("status %d, no %q in %s", status, want, body)
			}
		}
		if strings.Index(body, latest.String()) > strings.Index(body, prev.String()) {
			t.Error("the latest semester is not listed first")
		}
	})

	t.Run("refusals", func(t *testing.T) {
		published := latest.String() + ", " + prev.String()
		for _, tc := range []struct {
			name, path string
			status     int
			want       string
		}{
			{"the semester under way", "/datos/sugerencias.csv?period=" + latest.Next().String() + "&lang=en", 404, "Semesters published for this form: " + published},
			{"before the first responses", "/datos/sugerencias.csv?period=2001-S1&lang=es", 404, "Semestres publicados de este formulario: " + published},
			{"not a semester", "/datos/sugerencias.json?period=2026-01&lang=en", 404, "not published"},
			{"no period published", "/datos/utilidad-pagina.json?lang=en", 404, "Semesters published for this form: none yet"},
			{"months", "/datos/sugerencias.csv?from=2026-01&to=2026-03&lang=en", 400, "no longer requested by months"},
			{"months es", "/datos/sugerencias.csv?from=2026-01&lang=es", 400, "Semestres publicados de este formulario: " + published},
			{"unknown form", "/datos/nope.csv", 404, ""},
			{"unknown form, months", "/datos/nope.csv?from=2026-01", 404, ""},
			{"unknown format", "/datos/sugerencias.xml", 404, ""},
			{"not made yet", "/datos/necesidades-informacion.csv?lang=en", 503, "being prepared"},
		} {
			status, _, body := get(t, s, tc.path, nil)
			if status != tc.status || !strings.Contains(body, tc.want) {
				t.Errorf("%s: status %d, want %d with %q in %.600s", tc.name, status, tc.status, tc.want, body)
			}
		}
	})
}

// TestETagMatches follows If-None-Match: a list, weak tags, and *.
func TestETagMatches(t *testing.T) {
	const etag = `"abc"`
	for _, tc := range []struct {
		header string
		want   bool
	}{
		{`"abc"`, true},
		{`"x", "abc"`, true},
		{`W/"abc"`, true},
		{`*`, true},
		{`"abd"`, false},
		{``, false},
	} {
		t.Run(tc.header, func(t *testing.T) {
			if got := etagMatches(tc.header, etag); got != tc.want {
				t.Errorf("got %t, want %t", got, tc.want)
			}
		})
	}
}
