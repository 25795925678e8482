// Package embedded runs FerretDB (SQLite backend) inside the consulta process, so that
// Consulta works with no MongoDB to install. The store listens on a loopback TCP port:
// other consulta commands started while a server runs (report, export, seed...) reach
// the same data through that port instead of opening the SQLite files themselves, which
// FerretDB does not support (two processes on one directory disagree about which
// collections exist).
//
// One process per data directory is enforced with an advisory lock on
// <dataDir>/consulta.lock. The lock dies with its process, so a killed server never
// blocks the next start.
package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// File names inside the data directory.
const (
	lockFileName = "consulta.lock"
	uriFileName  = "store.uri"
	storeDirName = "store"
)

// Server is a handle on an embedded store. An owning Server runs FerretDB in this
// process; a non-owning one points at the store of another consulta process that
// owns the same data directory.
type Server struct {
	uri   string
	owner bool
	// storeDir holds the SQLite files ("" in memory); the store reads them
	// directly (docs/storage.md).
	storeDir string

	// Set only on an owning Server.
	lock    *lockFile // nil for an in-memory server: nothing on disk to protect
	uriPath string    // "" for an in-memory server
	stop    context.CancelFunc
	done    chan struct{} // closed when FerretDB's Run returns

	closeOnce sync.Once
	closeErr  error
}

// Open opens the embedded store of dataDir (created with mode 0750 if missing).
//
// If no other process holds <dataDir>/consulta.lock, Open takes it, starts FerretDB on
// listenAddr (for example "127.0.0.1:27018", or "127.0.0.1:0" for any free port) with
// its SQLite files under <dataDir>/store/, writes the store's URI to <dataDir>/store.uri
// and returns an owning Server.
//
// If another process holds the lock, Open reads <dataDir>/store.uri, checks that the
// store answers there and returns a non-owning Server pointing at it.
func Open(ctx context.Context, dataDir, listenAddr string, logger *slog.Logger) (*Server, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("embedded store: create data directory: %w", err)
	}

	lock, err := tryLock(filepath.Join(dataDir, lockFileName))
	if errors.Is(err, errLocked) {
		return attach(ctx, dataDir, logger)
	}
	if err != nil {
		return nil, fmt.Errorf("embedded store: %w", err)
	}

	s, err := startOwner(dataDir, listenAddr, lock, logger)
	if err != nil {
		_ = lock.release()
		return nil, err
	}
	return s, nil
}

// OpenMemory starts an owning FerretDB that keeps everything in memory, on a free
// loopback port. Nothing touches the disk; it is meant for tests.
func OpenMemory(ctx context.Context, logger *slog.Logger) (*Server, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return start("file:./?mode=memory", "127.0.0.1:0", logger)
}

// startOwner starts FerretDB on the data directory whose lock the caller holds, and
// publishes its URI for other processes.
func startOwner(dataDir, listenAddr string, lock *lockFile, logger *slog.Logger) (*Server, error) {
	storeDir, err := filepath.Abs(filepath.Join(dataDir, storeDirName))
	if err != nil {
		return nil, fmt.Errorf("embedded store: %w", err)
	}
	if err := os.MkdirAll(storeDir, 0o750); err != nil {
		return nil, fmt.Errorf("embedded store: create store directory: %w", err)
	}

	s, err := start(sqliteURL(storeDir), listenAddr, logger)
	if err != nil {
		return nil, err
	}
	s.lock = lock
	s.uriPath = filepath.Join(dataDir, uriFileName)
	s.storeDir = storeDir

	if err := writeFileAtomic(s.uriPath, []byte(s.uri+"\n")); err != nil {
		s.uriPath = "" // nothing to remove
		_ = s.Close()
		return nil, fmt.Errorf("embedded store: publish URI: %w", err)
	}
	if !isLoopback(s.uri) {
		logger.Warn("embedded store listens beyond loopback: it has no authentication",
			slog.String("uri", s.uri))
	}
	logger.Info("embedded store started", slog.String("uri", s.uri), slog.String("dir", storeDir))
	return s, nil
}

// start runs FerretDB on sqliteURL and listenAddr until the Server is closed.
func start(sqliteURL, listenAddr string, logger *slog.Logger) (*Server, error) {
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: listenAddr},
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
		Logger:    quietLogger(logger),
	})
	if err != nil {
		return nil, fmt.Errorf("embedded store: start FerretDB on %s: %w", listenAddr, err)
	}

	// Run must outlive the caller's context: it stops only when the Server is closed.
	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := f.Run(runCtx); err != nil {
			logger.Error("embedded store stopped", slog.Any("error", err))
		}
	}()

	// FerretDB binds its listener in New, so the address (and a port chosen by the
	// kernel for ":0") is known now.
	uri, err := clientURI(f.MongoDBURI())
	if err != nil {
		stop()
		<-done
		return nil, fmt.Errorf("embedded store: %w", err)
	}
	return &Server{uri: uri, owner: true, stop: stop, done: done}, nil
}

// URI is the MongoDB connection string of the store.
func (s *Server) URI() string { return s.uri }

// StoreDir is the directory of the store's SQLite files, one per database
// ("" for an in-memory store). A process attached to another's store gets the
// same directory: SQLite lets several processes read one file.
func (s *Server) StoreDir() string { return s.storeDir }

// Owner reports whether this process runs the store (true) or uses the store of
// another consulta process (false).
func (s *Server) Owner() bool { return s.owner }

// Close stops FerretDB and waits for it to finish if this process owns it, then
// releases the data directory. Close on a non-owning Server does nothing. Client
// connections still open get a few seconds (FerretDB's grace period) to finish, so
// close stores connected to it first.
func (s *Server) Close() error {
	s.closeOnce.Do(func() { s.closeErr = s.close() })
	return s.closeErr
}

func (s *Server) close() error {
	if !s.owner {
		return nil
	}
	var errs []error
	// Withdraw the URI before releasing the lock: once the lock is free, a new owner
	// may write its own store.uri, which must not be deleted.
	if s.uriPath != "" {
		if err := os.Remove(s.uriPath); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	s.stop()
	<-s.done
	if s.lock != nil {
		errs = append(errs, s.lock.release())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("embedded store: close: %w", err)
	}
	return nil
}
