package schedule

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/consulta/consulta/internal/consulta"
)

// TestScheduledReportHasHTMLTwin runs a scheduled report and reads its HTML
// twin back from the archive: stored with the PDF, in the report's language,
// linking the PDF; a report stored without one (as before twins existed) says
// so with ENOTFOUND.
func TestScheduledReportHasHTMLTwin(t *testing.T) {
	e := newEnv(t)
	clock := clockwork.NewFakeClockAt(time.Date(2026, 7, 1, 6, 0, 0, 0, e.loc))
	s := e.scheduler(t, 0, clock, Config{Forms: []string{"utilidad-pagina"}, Biannual: "-"})
	p, _ := PeriodBefore(Monthly, clock.Now(), e.loc)
	ctx := context.Background()
	run, err := s.Execute(ctx, p)
	if err != nil || run.Status != StatusDone || len(run.Reports) != 1 {
		t.Fatalf("run %+v err %v", run, err)
	}
	id := run.Reports[0]
	rc, meta, err := s.Archive().OpenHTML(ctx, id)
	if err != nil {
		t.Fatalf("OpenHTML: %v", err)
	}
	body, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	page := string(body)
	if !meta.HTML || !strings.Contains(page, `<html lang="es">`) || !strings.Contains(page, `href="`+strings.ReplaceAll(PDFPath(id), "&", "&amp;")+`"`) ||
		!strings.Contains(page, "<table") {
		t.Errorf("twin of %s (meta %+v):\n%.600s", id, meta, page)
	}
	list, err := s.Archive().List(ctx, "", 0)
	if err != nil || len(list) != 1 || !list[0].HTML {
		t.Errorf("list %+v err %v: the twin's report should be marked", list, err)
	}

	t.Run("a report without twin", func(t *testing.T) {
		old := StoredReport{Kind: "on_demand", FormID: "utilidad-pagina", Lang: "es", From: p.From, To: p.To}
		if err := s.Archive().Save(ctx, "old-report", old, []byte("%PDF-1.4")); err != nil {
			t.Fatal(err)
		}
		_, _, err := s.Archive().OpenHTML(ctx, "old-report")
		if consulta.ErrorCode(err) != consulta.ENOTFOUND {
			t.Errorf("err %v, want ENOTFOUND", err)
		}
	})
	t.Run("saved twice", func(t *testing.T) {
		err := s.Archive().SaveTwin(ctx, id, meta, []byte("%PDF"), []byte("<html>"))
		if consulta.ErrorCode(err) != consulta.ECONFLICT {
			t.Errorf("err %v, want ECONFLICT", err)
		}
		if errors.Is(err, context.Canceled) {
			t.Fatal(err)
		}
	})
}
