// Package cli implements the consulta command line: one binary, several
// subcommands, each parsing its flags and the shared configuration once.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/consulta/consulta/internal/config"
)

// IO is where a command reads and writes.
type IO struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Source         config.Source
}

// command is one subcommand.
type command struct {
	name  string // "serve", "forms check", ...
	usage string
	run   func(ctx context.Context, args []string, io IO) error
}

func commands() []command {
	return []command{
		{"serve", "run the service (the default)", runServe},
		{"forms check", "validate form definitions: consulta forms check [DIR]", runFormsCheck},
		{"forms import-xlsform", "a form from an XLSForm: consulta forms import-xlsform [--id ID] [--out DIR] [--locales DIR] [--force] [--lang L] F.xlsx", runImportXLSForm},
		{"i18n check", "translation coverage per language and form", runI18nCheck},
		{"i18n extract", "a file for translators: consulta i18n extract --lang L [--out F]", runI18nExtract},
		{"seed", "synthetic responses: consulta seed --form ID --n N [--from D --to D]", runSeed},
		{"report", "a PDF report: consulta report --form ID --from D --to D [--lang es|en] [--session CODE] --out F.pdf", runReport},
		{"export", "responses: consulta export --form ID --format csv|jsonl --out F", runExport},
		{"import", "paper responses or a Kobo export: consulta import --form ID [--session CODE] F.csv|F.xlsx", runImport},
		{"user add", "an account: consulta user add --email E --role R [--org O] (password on stdin)", runUserAdd},
		{"backup check", "exit 0 if --dir's newest archive is younger than --max-age: consulta backup check --dir D [--max-age 26h]", runBackupCheck},
		{"backup", "an archive of the whole store: consulta backup --out F.tar.gz | --dir D [--keep 336h] [--every 24h]", runBackup},
		{"restore", "load an archive into an empty store: consulta restore F.tar.gz", runRestore},
		{"healthcheck", "exit 0 if the local server is alive: consulta healthcheck [--ready]", runHealthcheck},
	}
}

// errUsage marks a command-line mistake (exit status 2).
var errUsage = errors.New("usage")

// exitError carries a specific exit status (1 for failed checks).
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// Main runs the command named by args and returns the process exit status.
func Main(ctx context.Context, args []string, io IO) int {
	cmd, rest := find(args)
	if cmd == nil {
		usage(io.Stderr)
		return 2
	}
	err := cmd.run(ctx, rest, io)
	var ee exitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(io.Stderr, "usage: consulta %s\n", cmd.usage)
		return 2
	default:
		// One sentence, not the chain of wrapped errors: the person at the
		// terminal needs what is wrong and what to do (sentence in errors.go).
		fmt.Fprintln(io.Stderr, "consulta:", sentence(cmd.name, err))
		return 1
	}
}

// find picks the subcommand from the first one or two words of args.
func find(args []string) (*command, []string) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		c := commands()[0]
		return &c, args
	}
	for _, c := range commands() {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name {
			return &c, args[len(words):]
		}
	}
	return nil, nil
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: consulta <command> [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-21s %s\n", c.name, c.usage)
	}
	fmt.Fprintln(w, "\nEvery command accepts the configuration flags; see consulta serve -h.")
}

// parse parses a command's flags (the configuration ones plus its own, added by
// extra) and returns the validated configuration and the positional arguments.
func parse(name string, args []string, io IO, extra func(*flag.FlagSet)) (*config.Config, []string, error) {
	fs := config.FlagSet(name, io.Stderr)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	cfg, err := config.Load(fs, io.Source)
	if err != nil {
		return nil, nil, err
	}
	return cfg, fs.Args(), nil
}

// newLogger builds the process logger from the configuration.
func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// OSIO is the process's real standard streams and environment.
func OSIO() IO {
	return IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Source: config.OSSource()}
}
