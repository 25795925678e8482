package cli

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/export"
)

// runExport writes a form's responses, each with its id, to a file or stdout.
// A file appears only complete: the export is written beside it under a
// temporary name and renamed at the end, and removed on any failure.
func runExport(ctx context.Context, args []string, stdio IO) error {
	var formID, format, out string
	var contacts bool
	cfg, _, err := parse("export", args, stdio, func(fs *flag.FlagSet) {
		fs.StringVar(&formID, "form", "", "form id (required)")
		fs.StringVar(&format, "format", export.FormatCSV, "csv or jsonl")
		fs.StringVar(&out, "out", "-", "output file; - is standard output")
		fs.BoolVar(&contacts, "contacts", false, "include contact data (personal questions)")
	})
	if err != nil {
		return err
	}
	if formID == "" || !export.ValidFormat(format) {
		return errUsage
	}
	env, form, err := openFormEnv(ctx, cfg, stdio.Stderr, formID)
	if err != nil {
		return err
	}
	defer env.Close()
	job := export.Responses(env.Store, form, consulta.ResponseFilter{}, format, contacts)
	n, err := exportTo(ctx, job, out, stdio.Stdout)
	if err != nil {
		return err
	}
	if out != "-" {
		fmt.Fprintf(stdio.Stderr, "%d responses written to %s\n", n, out)
	}
	return nil
}

// exportTo runs job into the file out, or stdout when out is "-", and
// returns how many responses it wrote. Its error says what became of the
// output.
func exportTo(ctx context.Context, job export.Job, out string, stdout io.Writer) (int, error) {
	n := 0
	write := func(w io.Writer) (err error) {
		n, err = job.Write(ctx, w)
		return err
	}
	if out == "-" {
		if err := write(stdout); err != nil {
			return n, fmt.Errorf("export: failed after %d responses, the output is incomplete: %w", n, err)
		}
		return n, nil
	}
	if err := writeAtomic(out, ".consulta-export-*", write); err != nil {
		return n, fmt.Errorf("export: failed after %d responses, %s not written: %w", n, out, err)
	}
	return n, nil
}
