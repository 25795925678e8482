package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/consulta/consulta/internal/app"
	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/locale"
)

// loadTranslations loads forms and translations without touching the store.
func loadTranslations(name string, args []string, io IO, extra func(*flag.FlagSet)) (*locale.Translator, error) {
	cfg, _, err := parse(name, args, io, extra)
	if err != nil {
		return nil, err
	}
	reg, err := forms.LoadDir(cfg.FormsDir)
	if err != nil {
		return nil, err
	}
	return app.LoadTranslator(cfg, reg)
}

// runI18nCheck prints translation coverage per language and per file; exit
// status 1 when Spanish or English is incomplete.
func runI18nCheck(ctx context.Context, args []string, io IO) error {
	tr, err := loadTranslations("i18n check", args, io, nil)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(io.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LANGUAGE\tSTATUS\tFILE\tTRANSLATED\tMISSING\tOUTDATED\tOBSOLETE")
	incomplete := []string{}
	for _, c := range tr.Check() {
		for _, f := range c.Files {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d/%d\t%d\t%d\t%d\n", c.Tag, c.Status, f.Path,
				f.Translated, f.Total, len(f.Missing), len(f.Outdated), len(f.Obsolete))
		}
		total, done := c.Totals()
		fmt.Fprintf(tw, "%s\t%s\t(all)\t%d/%d\t\t\t\n", c.Tag, c.Status, done, total)
		if (c.Tag == "es" || c.Tag == "en") && !c.Complete() {
			incomplete = append(incomplete, c.Tag)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, c := range tr.Check() {
		for _, f := range c.Files {
			for _, id := range f.Outdated {
				fmt.Fprintf(io.Stdout, "outdated: %s %s\n", f.Path, id)
			}
		}
	}
	if len(incomplete) > 0 {
		fmt.Fprintf(io.Stderr, "incomplete: %s (run consulta i18n extract --lang %s)\n",
			strings.Join(incomplete, ", "), incomplete[0])
		return exitError{code: 1}
	}
	return nil
}

// runI18nExtract writes a translator's file for one language.
func runI18nExtract(ctx context.Context, args []string, io IO) error {
	var lang, out string
	tr, err := loadTranslations("i18n extract", args, io, func(fs *flag.FlagSet) {
		fs.StringVar(&lang, "lang", "", "language tag, e.g. en, quc, kek (required)")
		fs.StringVar(&out, "out", "-", "output file; - is standard output")
	})
	if err != nil {
		return err
	}
	if lang == "" {
		return errUsage
	}
	w := bufio.NewWriter(io.Stdout)
	if out != "-" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = bufio.NewWriter(f)
	}
	if err := tr.Extract(lang, w); err != nil {
		return err
	}
	return w.Flush()
}
