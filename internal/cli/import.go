package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/consulta/consulta/internal/importer"
	"github.com/consulta/consulta/internal/intake"
	"github.com/consulta/consulta/internal/locale"
	"github.com/consulta/consulta/internal/workspace"
)

// runImport imports responses from a CSV file made from the form's template
// (paper forms) or from KoboToolbox's CSV export of the form's XLSForm: all
// rows or none, with a row-by-row list of problems (exit 1). A Kobo export's
// rows imported before are skipped, and said so.
func runImport(ctx context.Context, args []string, io IO) error {
	var formID, session, lang string
	cfg, rest, err := parse("import", args, io, func(fs *flag.FlagSet) {
		fs.StringVar(&formID, "form", "", "form id (required)")
		fs.StringVar(&session, "session", "", "focus-group session code")
		fs.StringVar(&lang, "lang", "es", "language of the paper forms")
	})
	if err != nil {
		return err
	}
	if formID == "" || len(rest) != 1 {
		return errUsage
	}
	env, form, err := openFormEnv(ctx, cfg, io.Stderr, formID)
	if err != nil {
		return err
	}
	defer env.Close()
	if session != "" {
		code, ok := intake.NormalizeSession(session)
		if !ok {
			return fmt.Errorf("import: malformed session code %q", session)
		}
		g, err := env.Store.FocusGroup(ctx, code)
		if err != nil {
			return fmt.Errorf("import: session %s: %w", code, err)
		}
		if g.FormID != formID {
			return fmt.Errorf("import: session %s is for form %s", code, g.FormID)
		}
		session, lang = code, g.Lang
	}
	f, err := os.Open(rest[0])
	if err != nil {
		return err
	}
	defer f.Close()
	im := &importer.Importer{Store: env.Store, Geo: env.Geo, Translations: env.Translator.Texts}
	res, err := im.Import(ctx, importer.Request{Form: form, Session: session, Lang: lang, File: f})
	if len(res.Errors) > 0 {
		l := env.Translator.Localizer("en")
		for _, msg := range workspace.RowMessages(l.T, res.Errors) {
			fmt.Fprintf(io.Stderr, "%s: %s\n", rest[0], msg)
		}
		fmt.Fprintf(io.Stderr, "nothing imported: %d problems\n", len(res.Errors))
		return exitError{1}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "%d responses imported into %s\n", res.Stored, formID)
	l := env.Translator.Localizer("en")
	if res.Skipped > 0 {
		fmt.Fprintln(io.Stdout, l.N("admin.import.skipped", res.Skipped))
	}
	if len(res.Ignored) > 0 {
		fmt.Fprintln(io.Stderr, l.T("admin.import.ignored", locale.Pairs("Columns", strings.Join(res.Ignored, ", "))))
	}
	return nil
}
