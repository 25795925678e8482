//go:build unix

package embedded

import "syscall"

// restrictUmask makes every file and directory this process creates from now on
// owner-only (umask 077). It is process-wide on purpose: SQLite creates the store's
// files, and their -wal and -shm companions, with the default mode less the umask,
// and Consulta has no other way to reach into those creations.
func restrictUmask() { syscall.Umask(0o077) }
