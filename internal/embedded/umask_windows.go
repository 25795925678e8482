//go:build windows

package embedded

// restrictUmask does nothing on Windows, which has no umask: the data directory's
// access control list decides who may read the store.
func restrictUmask() {}
