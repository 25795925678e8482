package cli

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"time"
)

// healthcheckTimeout stays under the Dockerfile's HEALTHCHECK --timeout (3s).
const healthcheckTimeout = 2 * time.Second

// runHealthcheck asks the server running in this container or host whether it is
// alive (GET /healthz on CONSULTA_ADDR, or /readyz with --ready) and exits 0 if so,
// 1 otherwise: the Docker image's HEALTHCHECK. Liveness is the default because an
// unreachable MongoDB should make replicas report unready, not get them restarted.
func runHealthcheck(ctx context.Context, args []string, io IO) error {
	var ready bool
	cfg, _, err := parse("healthcheck", args, io, func(fs *flag.FlagSet) {
		fs.BoolVar(&ready, "ready", false, "check /readyz (the store answers) instead of /healthz")
	})
	if err != nil {
		return err
	}
	path := "/healthz"
	if ready {
		path = "/readyz"
	}
	url, err := localURL(cfg.Addr, path)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, healthcheckTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s", path, resp.Status)
	}
	fmt.Fprintln(io.Stdout, "ok")
	return nil
}

// localURL turns a listen address (":8080", "0.0.0.0:8080", "[::]:80") into a URL
// on the loopback interface.
func localURL(addr, path string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("config: CONSULTA_ADDR = %q: %v", addr, err)
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + path, nil
}
