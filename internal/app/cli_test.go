package app_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/consulta/consulta/internal/cli"
	"github.com/consulta/consulta/internal/config"
)

// testConfigEnv is the environment another consulta command needs to reach the
// store of the running test server r (same data directory).
func testConfigEnv(r *running) map[string]string {
	return map[string]string{
		"CONSULTA_DATA_DIR":  r.dataDir(),
		"CONSULTA_FORMS_DIR": "../../forms",
	}
}

// runCLI runs a consulta command in-process with env as its environment.
func runCLI(t *testing.T, args []string, env map[string]string, out *bytes.Buffer) int {
	t.Helper()
	return runCLIWith(t, args, env, "", out)
}

// runCLIWith is runCLI with stdin as the command's standard input.
func runCLIWith(t *testing.T, args []string, env map[string]string, stdin string, out *bytes.Buffer) int {
	t.Helper()
	var errb bytes.Buffer
	code := cli.Main(context.Background(), args, cli.IO{
		Stdin: strings.NewReader(stdin), Stdout: out, Stderr: &errb,
		Source: config.Source{Getenv: func(k string) string { return env[k] }, ReadFile: func(string) ([]byte, error) { return nil, io.EOF }},
	})
	if code != 0 {
		out.Write(errb.Bytes())
	}
	return code
}
