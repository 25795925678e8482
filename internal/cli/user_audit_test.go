package cli

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/consulta/consulta/internal/app"
	"github.com/consulta/consulta/internal/config"
	"github.com/consulta/consulta/internal/consulta"
)

// TestUserAddIsAudited: an account made with `consulta user add` is in the
// audit log like one made in the workspace, with the command line as actor.
func TestUserAddIsAudited(t *testing.T) {
	env := baseEnv(t)
	src := config.Source{Getenv: func(k string) string { return env[k] }, ReadFile: os.ReadFile}
	var out, errb strings.Builder
	code := Main(context.Background(), []string{"user", "add", "--email", "luis@example.org", "--role", "analyst"},
		IO{Stdin: strings.NewReader("una clave bastante larga\n"), Stdout: &out, Stderr: &errb, Source: src})
	if code != 0 {
		t.Fatalf("user add: exit %d %q %q", code, out.String(), errb.String())
	}
	cfg, _, err := parse("test", nil, IO{Stderr: io.Discard, Source: src}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e, err := app.OpenEnv(ctx, cfg, newLogger(cfg, io.Discard), false)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	entries, err := e.Store.AuditEntries(ctx, consulta.AuditFilter{Action: "user.create"})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Actor != consulta.CommandLineActor || entries[0].Target != "luis@example.org" ||
		!strings.HasPrefix(entries[0].Detail, "role=analyst org= os_user=") {
		t.Fatalf("audit entries %+v, want one user.create by the command line", entries)
	}
}
