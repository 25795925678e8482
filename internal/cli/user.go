package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/consulta/consulta/internal/app"
	"github.com/consulta/consulta/internal/auth"
)

// runUserAdd creates a workspace account, prompting for its password on
// standard input (twice when it is a terminal-like stream).
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
	fmt.Fprint(io.Stderr, "Password: ")
	in := bufio.NewReader(io.Stdin)
	password, _ := in.ReadString('\n')
	password = strings.TrimRight(password, "\r\n")
	env, err := app.OpenEnv(ctx, cfg, newLogger(cfg, io.Stderr), false)
	if err != nil {
		return err
	}
	defer env.Close()
	svc := &auth.Service{Store: env.Store}
	u, err := svc.AddUser(ctx, auth.NewUser{Email: email, Name: name, Role: role, Org: org, Password: password})
	if err != nil {
		return fmt.Errorf("user add: %w", err)
	}
	fmt.Fprintf(io.Stdout, "\naccount %s created (%s%s)\n", u.ID, u.Role, orgSuffix(u.Org))
	return nil
}

func orgSuffix(org string) string {
	if org == "" {
		return ""
	}
	return ", " + org
}
