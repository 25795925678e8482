package cli

import (
	"io"
	"os"
	"path/filepath"
)

// writeAtomic runs write into a temporary file next to out (named by
// pattern, as os.CreateTemp takes it) and renames it to out once complete,
// so that a failure never leaves half a file under out's name, nor replaces
// the one there; the temporary file is removed whatever happens.
func writeAtomic(out, pattern string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(out), pattern)
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	err = write(tmp)
	if err == nil {
		err = tmp.Chmod(0o644) // CreateTemp makes it private; an output is not
	}
	if err == nil {
		err = tmp.Sync() // the content is on disk before the name points to it
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}
