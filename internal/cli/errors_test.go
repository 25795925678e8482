package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/auth"
	"github.com/consulta/consulta/internal/config"
	"github.com/consulta/consulta/internal/consulta"
)

// TestSentence checks the one line each kind of failure prints: words a person
// understands, naming the flag or value and what to do, and none of the
// internal prefixes ("consulta: invalid:", "user add:", "E11000") that the
// wrapped errors carry.
func TestSentence(t *testing.T) {
	conflict := fmt.Errorf("%w: %w", consulta.Errorf(consulta.ECONFLICT, "store: user ana@example.org already exists"),
		errors.New("write exception: E11000 duplicate key error collection: consulta.users index: _id_"))
	tests := []struct {
		name, cmd string
		err       error
		want      string
	}{
		{"short password", "user add", auth.CheckNewPassword("corta", "ana@example.org"),
			"the password is too short: use 12 characters or more"},
		{"common password", "user add", auth.CheckNewPassword("mi-ana@example.org-2026", "ana@example.org"),
			"the password is a common one or contains the e-mail address, so it is easy to guess: choose another of 12 characters or more"},
		{"facilitator without org", "user add", (&auth.Service{}).UpdateAccess(context.Background(), "x", "", auth.RoleFacilitator, "", false),
			"a facilitator account needs an organisation: add --org NAME"},
		{"taken e-mail", "user add", userAddError(conflict, " Ana@Example.org"),
			"an account with e-mail ana@example.org already exists: sign in with it, or choose another --email"},
		{"seed used", "seed", seedError(errSeedUsed, "sugerencias", 7, 0),
			"--seed 7 was already used for form sugerencias (its responses are in the store), so nothing was stored: give another --seed, or leave it out for one from the clock"},
		{"seed clash midway", "seed", seedError(consulta.Errorf(consulta.ECONFLICT, "store: responses seed-1 already exists"), "sugerencias", 7, 2000),
			"a response with the id of a synthetic one (--seed 7) is already stored for form sugerencias, after 2000 were stored by this run: give another --seed"},
		{"bad day", "report", func() error { _, _, err := reportPeriod("2026-13-01", "2026-06-30", time.UTC); return err }(),
			`--from "2026-13-01" is not a day: write it as YYYY-MM-DD, e.g. 2026-01-31`},
		{"bad last day", "report", func() error { _, _, err := reportPeriod("2026-01-01", "30/06/2026", time.UTC); return err }(),
			`--to "30/06/2026" is not a day: write it as YYYY-MM-DD, e.g. 2026-06-30`},
		{"days in the wrong order", "seed", func() error { _, _, err := seedPeriod("2026-06-30", "2026-01-01", time.UTC); return err }(),
			`--to must not be before --from`},
		{"store down", "export", fmt.Errorf("export: %w", consulta.Errorf(consulta.EUNAVAILABLE, "store: ping: connection refused")),
			"the store cannot be reached: check CONSULTA_MONGODB_URI (or, with the embedded store, CONSULTA_DATA_DIR) and try again"},
		{"bad setting", "serve", errors.New(`config: CONSULTA_RATE_LIMIT (environment) = "abc": must be a whole number, 0 or more`),
			`CONSULTA_RATE_LIMIT (environment) = "abc": must be a whole number, 0 or more`},
		{"no forms here", "seed", fmt.Errorf("forms: %w", &fs.PathError{Op: "open", Path: "./forms", Err: fs.ErrNotExist}),
			"./forms does not exist: run consulta from the directory that holds forms/ (the repository's), or set the CONSULTA_FORMS_DIR or CONSULTA_DATA_DIR that names it"},
		{"unforeseen", "seed", errors.New("disk full"), "seed failed: disk full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil {
				t.Fatal("the case makes no error")
			}
			got := sentence(tt.cmd, tt.err)
			if got != tt.want {
				t.Errorf("sentence:\n got %q\nwant %q", got, tt.want)
			}
			for _, code := range []string{"consulta:", "invalid:", "E11000", "field errors", "user add:"} {
				if strings.Contains(got, code) {
					t.Errorf("%q speaks code (%q)", got, code)
				}
			}
		})
	}
}

// TestCheckSeedUnused: a seed's first id already stored stops the run before
// it stores anything; a store failure is passed on as it is.
func TestCheckSeedUnused(t *testing.T) {
	down := consulta.Errorf(consulta.EUNAVAILABLE, "store down")
	tests := []struct {
		name   string
		lookup error
		want   error
	}{
		{"unused", consulta.Errorf(consulta.ENOTFOUND, "response seed-1"), nil},
		{"used", nil, errSeedUsed},
		{"store down", down, down},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lookup := func(context.Context, string) (*consulta.Response, error) {
				if tt.lookup != nil {
					return nil, tt.lookup
				}
				return &consulta.Response{ID: "seed-1"}, nil
			}
			if err := checkSeedUnused(context.Background(), lookup, "seed-1"); !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

// TestUserAddMessages runs `consulta user add` with the password piped: no
// prompt is printed, a weak password and a taken e-mail are one sentence each.
func TestUserAddMessages(t *testing.T) {
	env := baseEnv(t)
	add := func(password string) (int, string, string) {
		var out, errb strings.Builder
		code := Main(context.Background(), []string{"user", "add", "--email", "ana@example.org", "--role", "admin"},
			IO{Stdin: strings.NewReader(password), Stdout: &out, Stderr: &errb, Source: config.Source{Getenv: func(k string) string { return env[k] }, ReadFile: os.ReadFile}})
		return code, out.String(), errb.String()
	}
	if code, _, errs := add("corta\n"); code != 1 || errs != "consulta: the password is too short: use 12 characters or more\n" {
		t.Errorf("short password: exit %d, stderr %q", code, errs)
	}
	code, out, errs := add("una clave bastante larga\n")
	if code != 0 || !strings.Contains(out, "account ana@example.org created") || errs != "" {
		t.Fatalf("first add: exit %d, stdout %q, stderr %q (want no prompt on a pipe)", code, out, errs)
	}
	want := "consulta: an account with e-mail ana@example.org already exists: sign in with it, or choose another --email\n"
	if code, _, errs := add("otra clave bastante larga\n"); code != 1 || errs != want {
		t.Errorf("second add: exit %d, stderr %q, want %q", code, errs, want)
	}
}

// TestSeedTwice: one --seed serves several forms (the ids depend on the form
// too), and used again for a form it stops before storing anything.
func TestSeedTwice(t *testing.T) {
	env := baseEnv(t)
	seedForm := func(formID, n string) (int, string, string) {
		return run(t, env, "seed", "--form", formID, "--n", n, "--seed", "7")
	}
	for _, formID := range []string{"sugerencias", "utilidad-pagina"} {
		if code, out, errs := seedForm(formID, "1500"); code != 0 {
			t.Fatalf("seed %s: exit %d %q %q", formID, code, out, errs)
		}
	}
	want := "consulta: --seed 7 was already used for form sugerencias (its responses are in the store), so nothing was stored: give another --seed, or leave it out for one from the clock\n"
	if code, out, errs := seedForm("sugerencias", "2500"); code != 1 || errs != want || out != "" {
		t.Errorf("seed again: exit %d, stdout %q, stderr %q, want %q", code, out, errs, want)
	}
	code, out, errs := run(t, env, "export", "--form", "sugerencias", "--format", "jsonl", "--out", "-")
	if code != 0 {
		t.Fatalf("export: exit %d %q", code, errs)
	}
	if n := strings.Count(out, "\n"); n != 1500 {
		t.Errorf("%d responses stored for sugerencias, want the first run's 1500", n)
	}
}
