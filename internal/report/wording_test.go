package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

// generateAt writes the report as made at now and returns its text.
func generateAt(t *testing.T, fx *fixture, p Params, now time.Time) (string, *docBuilder) {
	t.Helper()
	deps := fx.deps()
	deps.Now = func() time.Time { return now }
	var buf bytes.Buffer
	a, err := Generate(ctxT(t), deps, p, &buf, nil)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	path := filepath.Join(t.TempDir(), "r.pdf")
	if dir := os.Getenv("CONSULTA_REPORT_DIR"); dir != "" {
		path = filepath.Join(dir, p.FormID+"-"+now.Format("2006-01-02")+".pdf")
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	l := fx.labels(p.Lang)
	return tool(t, "pdftotext", "-layout", path, "-"), &docBuilder{l: l, a: Localize(a, l), opt: DocumentOptions{Generated: now}}
}

// TestPeriodInProgress: a semester's report made in April says the period
// is still running, and its weekly chart stops at the current week instead
// of running into empty weeks of May and June.
func TestPeriodInProgress(t *testing.T) {
	fx := newFixture(t)
	from, to, _ := semester(fx.loc)
	f := fx.form(t, "utilidad-pagina")
	now := time.Date(2026, 4, 15, 12, 0, 0, 0, fx.loc)
	fx.seed(t, f, 600, from, now, 41)
	text, d := generateAt(t, fx, Params{FormID: f.ID, From: from, To: to, Lang: "es"}, now)
	flat := squeeze(text)
	for _, want := range []string{
		d.t("report.cover.in_progress", map[string]any{"Date": d.l.Date(now)}),
		d.progressNote(),
		d.t("report.series.in_progress"),
	} {
		if !strings.Contains(flat, squeeze(want)) {
			t.Errorf("%q not in the report", want)
		}
	}
	chart := between(t, text, d.t("report.series.title.week"), d.t("report.by.channel"))
	if !strings.Contains(chart, "abr") {
		t.Errorf("no April week in the chart:\n%s", chart)
	}
	for _, month := range []string{"may", "jun"} {
		if strings.Contains(chart, " "+month) {
			t.Errorf("the chart runs into %s, which has not happened yet:\n%s", month, chart)
		}
	}
}

// TestSuppressedWording: a count that is not published is said in a
// sentence ("No se publica cuántas personas respondieron…"), never as
// "suprimido respuestas escritas" or "n = suprimido personas"; a 0 beside a
// suppressed count is explained; so is a hidden count of the previous
// period.
func TestSuppressedWording(t *testing.T) {
	fx := newFixture(t)
	f := fx.form(t, "utilidad-pagina")
	from := time.Date(2026, 2, 1, 0, 0, 0, 0, fx.loc)
	to := time.Date(2026, 3, 1, 0, 0, 0, 0, fx.loc)
	var rs []*consulta.Response
	for i := range 12 {
		r := &consulta.Response{ID: "w-" + itoa(int64(i)), FormID: f.ID, FormVersion: f.Version, Lang: "es",
			Channel: consulta.ChannelWidget, ReceivedAt: from.Add(time.Duration(i+1) * 24 * time.Hour),
			Status: consulta.StatusNew, RequestHash: "x", Answers: map[string]any{"useful": i%2 == 0}}
		if i < 3 {
			r.Channel = consulta.ChannelPage
			r.Answers["looking_for"] = "El calendario escolar de este año, por favor"
		}
		rs = append(rs, r)
	}
	for i := range 3 { // the previous month: 3 answers, a hidden count
		rs = append(rs, &consulta.Response{ID: "p-" + itoa(int64(i)), FormID: f.ID, FormVersion: f.Version, Lang: "es",
			Channel: consulta.ChannelWidget, ReceivedAt: from.Add(-time.Duration(i+1) * 24 * time.Hour),
			Status: consulta.StatusNew, RequestHash: "x", Answers: map[string]any{"useful": true}})
	}
	fx.insert(t, rs, nil)
	text, d := generateAt(t, fx, Params{FormID: f.ID, From: from, To: to, Lang: "es"}, time.Date(2026, 3, 2, 0, 0, 0, 0, fx.loc))
	flat := strings.Join(strings.Fields(text), " ")
	sup := d.t("report.suppressed")
	for _, bad := range []string{sup + " respuestas", "= " + sup} {
		if strings.Contains(flat, bad) {
			t.Errorf("%q in the report", bad)
		}
	}
	if strings.Contains(flat, d.t("report.kf.previous_count", map[string]any{"N": sup})) {
		t.Errorf("%q in the report", d.t("report.kf.previous_count", map[string]any{"N": sup}))
	}
	for _, want := range []string{d.t("report.q.hidden", map[string]any{"K": 5}), d.t("report.note.zero", map[string]any{"K": 5}),
		d.t("report.kf.previous_hidden", map[string]any{"K": 5})} {
		if !strings.Contains(flat, want) {
			t.Errorf("%q not in the report", want)
		}
	}
}
