// Command storehelper runs Consulta's embedded store (FerretDB on SQLite) alone, on
// a fixed loopback address, so that the fault tests can stop and restart "the
// MongoDB" under a running consulta server. It prints the store's URI on stdout and
// runs until SIGTERM or SIGINT.
//
//	storehelper DATA_DIR 127.0.0.1:PORT
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/consulta/consulta/internal/embedded"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: storehelper DATA_DIR HOST:PORT")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	srv, err := embedded.Open(ctx, os.Args[1], os.Args[2], logger)
	if err != nil {
		fmt.Fprintln(os.Stderr, "storehelper:", err)
		os.Exit(1)
	}
	fmt.Println(srv.URI())
	<-ctx.Done()
	if err := srv.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "storehelper:", err)
		os.Exit(1)
	}
}
