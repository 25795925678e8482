package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/report"
)

// reportFlags are the options of consulta report.
type reportFlags struct {
	form, from, to, lang, session, out string
}

// runReport writes the PDF report of a form and period (or of one focus-group
// session) from the store the running server uses. A terminal gets a progress
// bar and a closing line; a pipe gets nothing but the exit status.
func runReport(ctx context.Context, args []string, stdio IO) error {
	var f reportFlags
	cfg, _, err := parse("report", args, stdio, func(fs *flag.FlagSet) {
		fs.StringVar(&f.form, "form", "", "form id (required)")
		fs.StringVar(&f.from, "from", "", "first day, YYYY-MM-DD (required without --session)")
		fs.StringVar(&f.to, "to", "", "last day, YYYY-MM-DD, included (required without --session)")
		fs.StringVar(&f.lang, "lang", "es", "report language: es or en")
		fs.StringVar(&f.session, "session", "", "focus-group session code: report that session only")
		fs.StringVar(&f.out, "out", "", "output PDF file (required)")
	})
	if err != nil {
		return err
	}
	if f.form == "" || f.out == "" || (f.session == "" && (f.from == "" || f.to == "")) {
		return errUsage
	}
	params := report.Params{FormID: f.form, Lang: f.lang, Session: f.session}
	if f.session == "" {
		if params.From, params.To, err = reportPeriod(f.from, f.to, cfg.Timezone); err != nil {
			return err
		}
	}
	env, _, err := openFormEnv(ctx, cfg, stdio.Stderr, f.form)
	if err != nil {
		return err
	}
	defer env.Close()
	deps := env.ReportDeps()
	tty := isTerminal(stdio.Stderr)
	progress, finish := newProgress(stdio.Stderr, tty)
	a, err := writeReport(f.out, func(w io.Writer) (*report.Aggregate, error) {
		return report.Generate(ctx, deps, params, w, progress)
	})
	finish()
	if err != nil {
		return err
	}
	if tty {
		fmt.Fprintf(stdio.Stderr, "%s: %d responses (%s), k = %d\n", f.out, a.Responses.N, a.FormID, a.K)
	}
	return nil
}

// reportPeriod parses --from and --to as whole days in loc: [from, to+1 day).
func reportPeriod(from, to string, loc *time.Location) (time.Time, time.Time, error) {
	d, err := dayFlags(from, to, loc)
	return d.From, d.To, err
}

// dayFlags reads --from and --to (consulta.ParseDays) and tells a bad one in
// a sentence that names the flag.
func dayFlags(from, to string, loc *time.Location) (consulta.Days, error) {
	d, err := consulta.ParseDays(from, to, loc)
	fields := consulta.FieldErrors(err)
	if len(fields) == 0 {
		return d, err
	}
	switch f := fields[0]; {
	case f.Code == consulta.CodeBeforeFirst:
		return d, problemf("--to must not be before --from")
	case f.Question == consulta.DayFirst:
		return d, problemf("--from %q is not a day: write it as YYYY-MM-DD, e.g. 2026-01-31", from)
	default:
		return d, problemf("--to %q is not a day: write it as YYYY-MM-DD, e.g. 2026-06-30", to)
	}
}

// writeReport runs gen into out, which appears only complete (writeAtomic).
func writeReport(out string, gen func(io.Writer) (*report.Aggregate, error)) (*report.Aggregate, error) {
	var a *report.Aggregate
	err := writeAtomic(out, ".consulta-report-*.pdf", func(w io.Writer) (err error) {
		a, err = gen(w)
		return err
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// isTerminal reports whether w is a terminal (not a pipe or a file).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// newProgress returns the progress callback of report.Generate and a func to
// call when it is done. On a terminal it draws a bar on w once the number of
// responses to read is known (it is counted alongside the reading); elsewhere
// both do nothing.
func newProgress(w io.Writer, tty bool) (func(done, total int64), func()) {
	if !tty {
		return nil, func() {}
	}
	var bar *progressbar.ProgressBar
	progress := func(done, total int64) {
		if total < 0 {
			return
		}
		if bar == nil {
			bar = progressbar.NewOptions64(max(total, 1),
				progressbar.OptionSetWriter(w),
				progressbar.OptionSetDescription("responses"),
				progressbar.OptionShowCount(),
				progressbar.OptionSetWidth(30),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionClearOnFinish(),
			)
		}
		_ = bar.Set64(min(done, total))
	}
	finish := func() {
		if bar != nil {
			_ = bar.Finish()
		}
	}
	return progress, finish
}
