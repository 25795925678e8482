package workspace_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/report"
	"github.com/consulta/consulta/internal/schedule"
	"github.com/consulta/consulta/internal/shippedtest"
	"github.com/consulta/consulta/internal/workspace"
)

// TestReportsSchedulePlan: the reports page shows the configured schedule
// (next firings with their periods, a kind turned off, the latest run), a
// scheduled report as made "automático" rather than by a replica's name, and
// its PDF link tells which report it is.
func TestReportsSchedulePlan(t *testing.T) {
	e := newEnvWith(t, func(d *workspace.Deps) {
		d.Schedule = workspace.ReportSchedule{Monthly: "0 6 1 * *", Biannual: "-"}
	})
	e.addUser("analyst@mineduc.test", "analyst", "")
	loc := mustLoc(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for i := range 3 {
		r := &consulta.Response{ID: "jan" + string(rune('a'+i)), FormID: "sugerencias", FormVersion: 1, Lang: "es",
			Channel: consulta.ChannelPage, Status: consulta.StatusNew, ReceivedAt: time.Date(2020, 1, 10+i, 12, 0, 0, 0, loc),
			Answers: map[string]any{"topic": "docentes", "message": "Más datos"}}
		if _, _, err := e.store.InsertResponse(ctx, r, nil); err != nil {
			t.Fatal(err)
		}
	}
	reg, tr, cat := shippedtest.Catalogs(t)
	clock := clockwork.NewFakeClockAt(time.Date(2020, 2, 1, 6, 0, 0, 0, loc))
	s, err := schedule.New(e.store, report.Deps{Forms: reg, Translator: tr, Geo: cat, Source: e.store, Location: loc},
		schedule.Config{Clock: clock, Location: loc, Forms: []string{"sugerencias"}, Monthly: "-", Biannual: "-",
			Owner: "replica-host-1234"})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := schedule.PeriodBefore(schedule.Monthly, clock.Now(), loc)
	if _, err := s.Execute(ctx, p); err != nil {
		t.Fatal(err)
	}

	_, page := e.login("analyst@mineduc.test").get("/admin/reports?lang=es")
	now := time.Now().In(loc)
	next := time.Date(now.Year(), now.Month()+1, 1, 6, 0, 0, 0, loc)
	covered := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
	for _, want := range []string{
		"Calendario de informes", "<code>0 6 1 * *</code>", "Desactivado",
		next.Format("2006-01-02 15:04") + " · periodo " + covered.Format("2006-01-02"),
		"2020-01-01 – 2020-01-31: Hecho",
		" · automático</td>",
		`PDF<span class="visually-hidden"> de Buzón de sugerencias, 2020-01-01 – 2020-01-31, es</span>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the reports page lacks %q", want)
		}
	}
	if strings.Contains(page, "replica-host-1234") {
		t.Errorf("the page names the replica that made a scheduled report")
	}
}
