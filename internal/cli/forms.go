package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/consulta/consulta/internal/forms"
)

// runFormsCheck validates every form file in a directory, printing one
// "file:line: problem" per problem; exit status 1 when there is any.
func runFormsCheck(ctx context.Context, args []string, io IO) error {
	cfg, rest, err := parse("forms check", args, io, nil)
	if err != nil {
		return err
	}
	dir := cfg.FormsDir
	if len(rest) > 1 {
		return errUsage
	}
	if len(rest) == 1 {
		dir = rest[0]
	}
	reg, err := forms.LoadDir(dir)
	var problems forms.Problems
	if errors.As(err, &problems) {
		for _, p := range problems {
			fmt.Fprintln(io.Stdout, p.String())
		}
		return exitError{code: 1}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "%d forms OK in %s\n", len(reg.All()), dir)
	return nil
}
