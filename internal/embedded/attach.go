package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

const (
	// attachWait bounds how long Open waits for the owner of a locked data directory
	// to publish a store that answers: an owner that has just taken the lock needs a
	// few milliseconds to start FerretDB and write store.uri.
	attachWait = 2 * time.Second
	// attachPoll is the pause between two attempts.
	attachPoll = 50 * time.Millisecond
	// dialTimeout bounds one check that the owner's listener answers.
	dialTimeout = 500 * time.Millisecond
)

// attach returns a non-owning Server on the store of the process that holds dataDir's
// lock.
func attach(ctx context.Context, dataDir string, logger *slog.Logger) (*Server, error) {
	ctx, cancel := context.WithTimeout(ctx, attachWait)
	defer cancel()

	uriPath := filepath.Join(dataDir, uriFileName)
	var lastErr error
	for {
		uri, err := reachableURI(ctx, uriPath)
		if err == nil {
			logger.Info("using the embedded store of another consulta process", slog.String("uri", uri))
			storeDir, err := filepath.Abs(filepath.Join(dataDir, storeDirName))
			if err != nil {
				return nil, err
			}
			return &Server{uri: uri, storeDir: storeDir}, nil
		}
		lastErr = err

		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("data directory %s is locked by another consulta process but its store does not answer: %w",
				dataDir, lastErr)
		case <-time.After(attachPoll):
		}
	}
}

// reachableURI reads the URI published in uriPath and checks that a connection to it
// (the owner's Unix socket, or a TCP address published by an earlier release)
// succeeds. Connecting to the socket needs the data directory's owner's rights.
func reachableURI(ctx context.Context, uriPath string) (string, error) {
	b, err := os.ReadFile(uriPath)
	if err != nil {
		return "", err
	}
	uri := strings.TrimSpace(string(b))
	network, addr, err := dialAddress(uri)
	if err != nil {
		return "", fmt.Errorf("%s: %w", uriPath, err)
	}

	dialer := net.Dialer{Timeout: dialTimeout}
	conn, err := dialer.DialContext(ctx, network, addr)
	if err != nil {
		return "", err
	}
	return uri, conn.Close()
}

// writeFileAtomic replaces path with data so that a reader sees either the old or the
// new content, never a partial file.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	_, writeErr := tmp.Write(data)
	syncErr := tmp.Sync()
	closeErr := tmp.Close()
	if err := errors.Join(writeErr, syncErr, closeErr); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	return nil
}
