// Command consulta is Consulta's single binary: the service and its tools.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/consulta/consulta/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], cli.OSIO())
	stop()
	os.Exit(code)
}
