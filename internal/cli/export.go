package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/export"
	"github.com/consulta/consulta/internal/store"
)

// runExport writes a form's responses, each with its id, to a file or stdout.
func runExport(ctx context.Context, args []string, io IO) error {
	var formID, format, out string
	var contacts bool
	cfg, _, err := parse("export", args, io, func(fs *flag.FlagSet) {
		fs.StringVar(&formID, "form", "", "form id (required)")
		fs.StringVar(&format, "format", "csv", "csv or jsonl")
		fs.StringVar(&out, "out", "-", "output file; - is standard output")
		fs.BoolVar(&contacts, "contacts", false, "include contact data (personal questions)")
	})
	if err != nil {
		return err
	}
	if formID == "" {
		return errUsage
	}
	env, form, err := openFormEnv(ctx, "export", cfg, io.Stderr, formID)
	if err != nil {
		return err
	}
	defer env.Close()
	w := bufio.NewWriter(io.Stdout)
	if out != "-" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = bufio.NewWriter(f)
	}
	ew, err := export.New(format, w, form, contacts)
	if err != nil {
		return err
	}
	n := 0
	err = env.Store.EachResponse(ctx, store.ResponseFilter{FormID: formID}, nil, func(r *consulta.Response) error {
		var c *consulta.Contact
		if contacts && r.HasContact {
			if c, err = env.Store.Contact(ctx, r.ID); err != nil && consulta.ErrorCode(err) != consulta.ENOTFOUND {
				return err
			}
		}
		n++
		return ew.Write(r, c)
	})
	if err != nil {
		return err
	}
	if err := ew.Close(); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if out != "-" {
		fmt.Fprintf(io.Stderr, "%d responses written to %s\n", n, out)
	}
	return nil
}
