package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// serveBareArg, as the only argument, makes the load tool the bare server:
// it prints the address it listens on and serves until its standard input
// closes (the parent load tool exits or stops it).
const serveBareArg = "-serve-bare"

// bareServer is Fiber with one handler that does nothing: the ceiling of any
// Fiber service on this machine.
type bareServer struct {
	addr string
	stop func()
}

// startBare starts the bare server in a process of its own, as Consulta runs
// in its own: served from the load tool's process, its goroutines and the
// client's switch within one Go scheduler instead of between two processes,
// which made it 15 to 25 % faster here and every ratio to it that much
// smaller (docs/performance.md). inProcess keeps that older arrangement for
// comparison.
func startBare(ctx context.Context, inProcess bool) (*bareServer, error) {
	if inProcess {
		ln, err := freeLoopback()
		if err != nil {
			return nil, err
		}
		app := bareApp()
		go func() { _ = app.Listener(ln) }()
		return &bareServer{addr: ln.Addr().String(), stop: func() { _ = app.Shutdown() }}, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, exe, serveBareArg)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	stop := func() { _ = stdin.Close(); _ = cmd.Wait() }
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		stop()
		return nil, fmt.Errorf("bare server: %w", err)
	}
	return &bareServer{addr: strings.TrimSpace(line), stop: stop}, nil
}

// Shutdown stops the bare server.
func (b *bareServer) Shutdown() { b.stop() }

// serveBare is the child process of startBare.
func serveBare() error {
	ln, err := freeLoopback()
	if err != nil {
		return err
	}
	fmt.Println(ln.Addr().String())
	app := bareApp()
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		_ = app.Shutdown()
	}()
	return app.Listener(ln)
}

func bareApp() *fiber.App {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/", func(c *fiber.Ctx) error { return c.SendStatus(fiber.StatusOK) })
	return app
}
