package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"os/user"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/consulta/consulta/internal/app"
	"github.com/consulta/consulta/internal/auth"
	"github.com/consulta/consulta/internal/consulta"
	"github.com/consulta/consulta/internal/store"
)

// runUserAdd creates a workspace account. The password is asked for on a
// terminal, without echo, and read as the first line of standard input when
// that is a pipe or a file (scripts), with no prompt to clutter their output.
func runUserAdd(ctx context.Context, args []string, io IO) error {
	var email, role, org, name string
	cfg, _, err := parse("user add", args, io, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "e-mail address (required)")
		fs.StringVar(&role, "role", "", "admin, analyst or facilitator (required)")
		fs.StringVar(&org, "org", "", "organisation (required for facilitators)")
		fs.StringVar(&name, "name", "", "display name")
	})
	if err != nil {
		return err
	}
	if email == "" || !auth.ValidRole(role) {
		return errUsage
	}
	password, err := readPassword(io)
	if err != nil {
		return err
	}
	// The password rules first: a weak password needs no store opened.
	if err := auth.CheckNewPassword(password, email); err != nil {
		return err
	}
	env, err := app.OpenEnv(ctx, cfg, newLogger(cfg, io.Stderr), false)
	if err != nil {
		return err
	}
	defer env.Close()
	svc := &auth.Service{Store: env.Store}
	u, err := svc.AddUser(ctx, auth.NewUser{Email: email, Name: name, Role: role, Org: org, Password: password})
	if err != nil {
		return userAddError(err, email)
	}
	if err := auditUserAdd(ctx, env.Store, u); err != nil {
		return &problem{cause: err, sentence: fmt.Sprintf(
			"account %s created, but the audit log could not record it: %v", u.ID, err)}
	}
	fmt.Fprintf(io.Stdout, "account %s created (%s%s)\n", u.ID, u.Role, orgSuffix(u.Org))
	return nil
}

// auditUserAdd records an account made on the command line as the workspace
// records those made there (user.create), with the command line as the actor
// and the system account that ran it.
func auditUserAdd(ctx context.Context, st *store.Store, u *consulta.User) error {
	osUser := "?"
	if cur, err := user.Current(); err == nil {
		osUser = cur.Username
	}
	return st.AppendAudit(ctx, &consulta.AuditEntry{At: time.Now(), Actor: consulta.CommandLineActor, Action: "user.create",
		Target: u.ID, Detail: fmt.Sprintf("role=%s org=%s os_user=%s", u.Role, u.Org, osUser)})
}

// userAddError tells a failed account creation: a taken e-mail in words (the
// store reports it as a conflict on the account's id), the rest by sentence.
func userAddError(err error, email string) error {
	if consulta.ErrorCode(err) == consulta.ECONFLICT {
		return &problem{cause: err, sentence: fmt.Sprintf(
			"an account with e-mail %s already exists: sign in with it, or choose another --email", auth.NormalizeEmail(email))}
	}
	return err
}

// readPassword reads the new account's password: from the terminal without
// echo when standard input is one, else the first line of standard input.
func readPassword(io IO) (string, error) {
	if f, ok := io.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(io.Stderr, "Password (12 characters or more): ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(io.Stderr)
		if err != nil {
			return "", &problem{cause: err, sentence: "the password could not be read from the terminal: " + err.Error()}
		}
		return string(b), nil
	}
	line, err := bufio.NewReader(io.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", problemf("no password on standard input: pipe one line, e.g. printf '%%s\\n' \"$PASSWORD\" | consulta user add ...")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func orgSuffix(org string) string {
	if org == "" {
		return ""
	}
	return ", " + org
}
