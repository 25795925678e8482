package embedded

import (
	"errors"
	"fmt"
	"os"
	"strconv"
)

// errLocked means that another process holds the data directory's lock.
var errLocked = errors.New("locked by another process")

// lockFile is an exclusive advisory lock held through an open file. The operating
// system releases it when the process dies, however it dies.
type lockFile struct {
	f *os.File
}

// tryLock takes the exclusive lock on path without waiting; it returns errLocked if
// another process (or another open of the same file) holds it.
func tryLock(path string) (*lockFile, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, fileMode)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	if err := lockExclusive(f); err != nil {
		_ = f.Close()
		return nil, err
	}
	// The PID only helps a person find the owner; the lock itself is what counts.
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &lockFile{f: f}, nil
}

// release unlocks and closes the lock file. The file stays: deleting it would let a
// process that opened it just before lock a file that no longer exists.
func (l *lockFile) release() error {
	return errors.Join(unlock(l.f), l.f.Close())
}
