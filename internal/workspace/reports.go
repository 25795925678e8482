package workspace

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/report"
	"github.com/consulta/consulta/internal/schedule"
)

// generateTimeout bounds one report made on demand: it reads every response
// of the period and of the one before.
const generateTimeout = 10 * time.Minute

// reportsListed is how many stored reports the page shows.
const reportsListed = 200

// doneRunsListed is how many finished scheduled runs the page shows, beside
// every one still failing or running: about a year's.
const doneRunsListed = 14

// reportLangs are the languages a PDF report is written in.
func reportLangs() []string { return []string{"es", "en"} }

// reportForm is the "generate now" form, as typed.
type reportForm struct {
	Form, From, To, Lang string
}

type reportsData struct {
	// Plan is the schedule as configured: each kind's next firings and its
	// latest run.
	Plan    []plannedRow
	Reports []schedule.StoredReport
	// Titles are the forms' titles by ID, in the page's language.
	Titles map[string]string
	// Runs are the scheduled runs: every one not done, and the latest done.
	Runs     []schedule.Run
	Zone     string // the time zone of the times shown
	Forms    []*forms.Form
	Filter   string // the form whose reports are listed; empty: all
	In       reportForm
	Langs    []string
	Problems []string
}

// reportsPage lists the scheduled runs (each failure with its reason and next
// try) and the stored reports, scheduled and made on demand, newest first,
// with the form to make one now.
func (w *Workspace) reportsPage(c *fiber.Ctx) error {
	p := w.newPage(c, "admin.reports.title")
	return w.showReports(c, fiber.StatusOK, p, reportForm{Lang: p.Lang}, nil)
}

func (w *Workspace) showReports(c *fiber.Ctx, status int, p *page, in reportForm, problems []string) error {
	d := reportsData{Forms: w.deps.Forms.All(), Filter: c.Query("form"), In: in, Langs: reportLangs(), Problems: problems,
		Zone: w.deps.Location.String()}
	if _, ok := w.deps.Forms.Get(d.Filter); !ok {
		d.Filter = ""
	}
	var err error
	if d.Runs, err = schedule.NewHistory(w.deps.Store).Overview(c.UserContext(), doneRunsListed); err != nil {
		return err
	}
	if d.Reports, err = schedule.NewArchive(w.deps.Store).List(c.UserContext(), d.Filter, reportsListed); err != nil {
		return err
	}
	if d.Plan, err = w.plan(d.Runs); err != nil {
		return err
	}
	d.Titles = formTitles(p, d.Forms)
	return w.render(c, status, "reports", p, d)
}

// formTitles maps each form's ID to its title in the page's language, for
// tables that name forms (pickers range over the forms themselves).
func formTitles(p *page, fs []*forms.Form) map[string]string {
	out := make(map[string]string, len(fs))
	for _, f := range fs {
		out[f.ID] = p.T(f.TitleID())
	}
	return out
}

// ReportSchedule is the scheduled reports' cron specs as configured
// (config's MonthlyCron and BiannualCron; "-" is off), for the reports page's
// view of the schedule, on every replica whether it runs the jobs or not.
type ReportSchedule struct{ Monthly, Biannual string }

// plannedRunsShown is how many coming firings of each kind the page lists.
const plannedRunsShown = 3

// plannedRow is one kind of scheduled report on the page: as configured,
// and its latest run (nil before the first).
type plannedRow struct {
	schedule.Planned
	Last *schedule.Run
}

// plan reads the configured specs (Deps.Schedule) and pairs each kind with
// its latest run among runs (latest period first).
func (w *Workspace) plan(runs []schedule.Run) ([]plannedRow, error) {
	s := w.deps.Schedule
	planned, err := schedule.Plan(s.Monthly, s.Biannual, w.deps.Location, w.deps.Now(), plannedRunsShown)
	if err != nil {
		return nil, err
	}
	out := make([]plannedRow, len(planned))
	for i, p := range planned {
		out[i].Planned = p
		for j := range runs {
			if runs[j].Kind == p.Kind {
				out[i].Last = &runs[j]
				break
			}
		}
	}
	return out, nil
}

// reportDownload sends a stored report; every download is audited first.
func (w *Workspace) reportDownload(c *fiber.Ctx) error {
	id := c.Query("id")
	if id == "" {
		return consulta.Errorf(consulta.ENOTFOUND, "reports: no id")
	}
	rc, meta, err := schedule.NewArchive(w.deps.Store).Open(c.UserContext(), id)
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := w.audit(c, "report.download", id, ""); err != nil {
		return err
	}
	body, err := io.ReadAll(rc)
	if err != nil {
		return fmt.Errorf("reports: read %s: %w", id, err)
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+safeFilename(meta.Filename)+`"`)
	return c.Send(body)
}

// reportGenerate makes the report of a form and period now with its HTML
// twin, stores them in the archive (kind on_demand, by the signed-in user),
// audits it and tells the webhooks (report.stored).
func (w *Workspace) reportGenerate(c *fiber.Ctx) error {
	p := w.newPage(c, "admin.reports.title")
	in := reportForm{Form: c.FormValue("form"), From: c.FormValue("from"), To: c.FormValue("to"), Lang: c.FormValue("report_lang")}
	params, problems := w.parseReportForm(in)
	if len(problems) > 0 {
		msgs := make([]string, len(problems))
		for i, id := range problems {
			msgs[i] = p.T("admin.reports.problem." + id)
		}
		return w.showReports(c, fiber.StatusUnprocessableEntity, p, in, msgs)
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), generateTimeout)
	defer cancel()
	deps := w.reportDeps()
	now := w.deps.Now()
	id := fmt.Sprintf("on_demand:%s:%s:%s", now.UTC().Format("20060102T150405.000Z"), params.FormID, params.Lang)
	var buf, html bytes.Buffer
	a, err := report.GenerateTwin(ctx, deps, params, &buf, &html, report.TwinOptions{PDFURL: schedule.PDFPath(id)}, nil)
	if err != nil {
		return err
	}
	u := user(c)
	meta := schedule.StoredReport{Kind: "on_demand", FormID: params.FormID, Lang: params.Lang,
		From: params.From.UTC(), To: params.To.UTC(), Responses: a.Responses.N, Suppressed: a.Responses.Suppressed,
		K: a.K, GeneratedAt: now.UTC(), GeneratedBy: u.ID}
	if err := schedule.NewArchive(w.deps.Store).SaveTwin(ctx, id, meta, buf.Bytes(), html.Bytes()); err != nil {
		return err
	}
	w.reportStored(c, id)
	_ = w.audit(c, "report.generate", id, fmt.Sprintf("form=%s from=%s to=%s lang=%s", in.Form, in.From, in.To, params.Lang))
	return redirect(c, "/admin/reports?notice=n_report")
}

// parseReportForm checks the "generate now" form: a known form, two days
// (the last included) in order, a report language.
func (w *Workspace) parseReportForm(in reportForm) (report.Params, []string) {
	var problems []string
	params := report.Params{FormID: in.Form, Lang: in.Lang}
	if _, ok := w.deps.Forms.Get(in.Form); !ok {
		problems = append(problems, "form")
	}
	days, err := consulta.ParseDays(in.From, in.To, w.deps.Location)
	switch fields := consulta.FieldErrors(err); {
	case in.From == "" || in.To == "" || (len(fields) > 0 && fields[0].Code == consulta.CodeNotADay):
		problems = append(problems, "dates")
	case err != nil:
		problems = append(problems, "order")
	default:
		params.From, params.To = days.From, days.To
	}
	if !contains(reportLangs(), in.Lang) {
		problems = append(problems, "lang")
	}
	return params, problems
}

// reportDeps is Deps.Reports on the workspace's clock.
func (w *Workspace) reportDeps() report.Deps {
	d := w.deps.Reports
	d.Now = w.deps.Now
	return d
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// safeFilename keeps a download name to characters that need no quoting.
func safeFilename(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '"' || r == '\\' || r < ' ' || r > '~' {
			return '_'
		}
		return r
	}, name)
}

// ReportKind is the localized name of a stored report's kind.
func (p *page) ReportKind(kind string) string { return p.L.T("admin.reports.kind." + kind) }

// ReportPeriod writes a stored report's period as its first and last days.
func (p *page) ReportPeriod(r schedule.StoredReport) string { return p.period(r.From, r.To) }

// RunPeriod writes a scheduled run's period as its first and last days.
func (p *page) RunPeriod(r schedule.Run) string { return p.period(r.From, r.To) }

// PlannedPeriod writes the period a coming run will report on.
func (p *page) PlannedPeriod(pr schedule.Period) string { return p.period(pr.From, pr.To) }

// period writes [from, to) as its first and last days.
func (p *page) period(from, to time.Time) string {
	return p.Date(from) + " – " + p.Date(to.Add(-time.Nanosecond))
}

// RunReason says in plain words why a scheduled run last failed (records
// written before reasons were kept have none).
func (p *page) RunReason(r schedule.Run) string {
	reason := r.LastReason
	if reason == "" {
		reason = schedule.ReasonOther
	}
	return p.L.T("admin.reports.reason." + string(reason))
}
