// Package embedded runs FerretDB (SQLite backend) inside the consulta process, so that
// Consulta works with no MongoDB to install. FerretDB has no authentication of its own,
// so the store listens only on a Unix socket inside the data directory
// (<dataDir>/run/store.sock, in a directory of mode 0700, the socket 0600): only the
// user that owns the data directory can connect. Other consulta commands started while a
// server runs (report, export, seed...) reach the same data through that socket instead
// of opening the SQLite files themselves, which FerretDB does not support (two processes
// on one directory disagree about which collections exist). A loopback TCP listener is
// opened besides only when asked for (CONSULTA_STORE_ADDR, deprecated).
//
// Everything the owner writes under the data directory is owner-only: directories
// 0700, files 0600 (the process umask is set to 077, so the files SQLite creates, its
// -wal and -shm included, are born 0600; files left by earlier releases are narrowed
// at start).
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
	runDirName   = "run"
	socketName   = "store.sock"
)

// Modes of what the owner creates: nobody but the owning user may read the store.
const (
	dirMode    = 0o700
	socketMode = 0o600
	fileMode   = 0o600
)

// Server is a handle on an embedded store. An owning Server runs FerretDB in this
// process; a non-owning one points at the store of another consulta process that
// owns the same data directory.
type Server struct {
	uri   string
	owner bool
	// storeDir holds the SQLite files; the store reads them directly
	// (docs/storage.md).
	storeDir string

	// Set only on an owning Server.
	lock    *lockFile // the data directory's lock
	uriPath string    // the store.uri file that tells other processes the URI
	stop    context.CancelFunc
	done    chan struct{} // closed when FerretDB's Run returns

	closeOnce sync.Once
	closeErr  error
}

// Open opens the embedded store of dataDir (created with mode 0700 if missing).
//
// If no other process holds <dataDir>/consulta.lock, Open takes it, starts FerretDB on
// the Unix socket <dataDir>/run/store.sock (and, when listenAddr is not empty, on that
// loopback TCP address too, for example "127.0.0.1:0"), with its SQLite files under
// <dataDir>/store/, writes the socket's URI to <dataDir>/store.uri and returns an owning
// Server.
//
// If another process holds the lock, Open reads <dataDir>/store.uri, checks that the
// store answers there and returns a non-owning Server pointing at it.
func Open(ctx context.Context, dataDir, listenAddr string, logger *slog.Logger) (*Server, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	restrictUmask()
	if err := ownerOnlyDir(dataDir); err != nil {
		return nil, fmt.Errorf("embedded store: data directory: %w", err)
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

// startOwner starts FerretDB on the data directory whose lock the caller holds, and
// publishes its URI for other processes.
func startOwner(dataDir, listenAddr string, lock *lockFile, logger *slog.Logger) (*Server, error) {
	storeDir, err := filepath.Abs(filepath.Join(dataDir, storeDirName))
	if err != nil {
		return nil, fmt.Errorf("embedded store: %w", err)
	}
	if err := ownerOnlyDir(storeDir); err != nil {
		return nil, fmt.Errorf("embedded store: store directory: %w", err)
	}
	if err := ownerOnlyFiles(storeDir); err != nil {
		return nil, fmt.Errorf("embedded store: store files: %w", err)
	}
	sock, err := socketPath(dataDir)
	if err != nil {
		return nil, fmt.Errorf("embedded store: %w", err)
	}

	s, err := start(sqliteURL(storeDir), ferretdb.ListenerConfig{Unix: sock, TCP: listenAddr}, logger)
	if err != nil {
		return nil, err
	}
	s.lock = lock
	s.uriPath = filepath.Join(dataDir, uriFileName)
	s.storeDir = storeDir
	if err := os.Chmod(sock, socketMode); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("embedded store: socket: %w", err)
	}

	if err := writeFileAtomic(s.uriPath, []byte(s.uri+"\n")); err != nil {
		s.uriPath = "" // nothing to remove
		_ = s.Close()
		return nil, fmt.Errorf("embedded store: publish URI: %w", err)
	}
	if listenAddr != "" {
		logger.Warn("embedded store also listens on TCP, which has no authentication: any local user can read and change it",
			slog.String("addr", listenAddr))
	}
	logger.Info("embedded store started", slog.String("uri", s.uri), slog.String("dir", storeDir))
	return s, nil
}

// socketPath prepares <dataDir>/run (0700) and returns the absolute path of the
// store's socket there, removing a socket left by a killed owner: the caller holds
// the lock, so no live process listens on it.
func socketPath(dataDir string) (string, error) {
	runDir, err := filepath.Abs(filepath.Join(dataDir, runDirName))
	if err != nil {
		return "", err
	}
	if err := ownerOnlyDir(runDir); err != nil {
		return "", fmt.Errorf("socket directory: %w", err)
	}
	sock := filepath.Join(runDir, socketName)
	if len(sock) > maxSocketPath {
		return "", fmt.Errorf("socket path %s is longer than %d bytes, the limit of Unix sockets: use a shorter CONSULTA_DATA_DIR", sock, maxSocketPath)
	}
	if err := os.Remove(sock); err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("remove stale socket: %w", err)
	}
	return sock, nil
}

// maxSocketPath is the longest socket path every Unix accepts (sun_path holds 104
// bytes on the BSDs and macOS, 108 on Linux, with the final NUL).
const maxSocketPath = 103

// ownerOnlyDir creates dir (and its parents) if missing and makes it 0700, also when
// an earlier release created it with a wider mode.
func ownerOnlyDir(dir string) error {
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return err
	}
	return os.Chmod(dir, dirMode)
}

// ownerOnlyFiles narrows the files directly in dir to 0600 (SQLite files of an
// earlier release, born 0644).
func ownerOnlyFiles(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		if err := os.Chmod(filepath.Join(dir, e.Name()), fileMode); err != nil {
			return err
		}
	}
	return nil
}

// start runs FerretDB on sqliteURL with the listeners of l until the Server is closed.
func start(sqliteURL string, l ferretdb.ListenerConfig, logger *slog.Logger) (*Server, error) {
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  l,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
		Logger:    quietLogger(logger),
	})
	if err != nil {
		return nil, fmt.Errorf("embedded store: start FerretDB on %s: %w", describe(l), err)
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

	// FerretDB binds its listeners in New, so the address (and a port chosen by the
	// kernel for ":0") is known now. Clients use the socket when there is one.
	uri := socketURI(l.Unix)
	if l.Unix == "" {
		uri, err = clientURI(f.MongoDBURI())
	}
	if err != nil {
		stop()
		<-done
		return nil, fmt.Errorf("embedded store: %w", err)
	}
	return &Server{uri: uri, owner: true, stop: stop, done: done}, nil
}

// URI is the MongoDB connection string of the store.
func (s *Server) URI() string { return s.uri }

// StoreDir is the directory of the store's SQLite files, one per database.
// A process attached to another's store gets the
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
