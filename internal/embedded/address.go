package embedded

import (
	"fmt"
	"net"
	"net/url"
	"path/filepath"
)

// sqliteURL is FerretDB's SQLite URI for the existing directory dir. FerretDB wants a
// "file:" URI whose path ends with "/".
func sqliteURL(dir string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(dir) + "/"}
	return u.String()
}

// clientURI turns FerretDB's URI into one that clients can dial: a listener on an
// unspecified address ("0.0.0.0", "::") is reached through the loopback interface.
func clientURI(ferretURI string) (string, error) {
	u, err := url.Parse(ferretURI)
	if err != nil {
		return "", fmt.Errorf("parse FerretDB URI %q: %w", ferretURI, err)
	}
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		return "", fmt.Errorf("parse FerretDB address %q: %w", u.Host, err)
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	u.Host = net.JoinHostPort(host, port)
	return u.String(), nil
}

// isLoopback reports whether the store at uri is reachable only from this machine.
func isLoopback(uri string) bool {
	u, err := url.Parse(uri)
	if err != nil {
		return false
	}
	ip := net.ParseIP(u.Hostname())
	return ip != nil && ip.IsLoopback()
}

// hostPort returns the "host:port" that uri points at.
func hostPort(uri string) (string, error) {
	u, err := url.Parse(uri)
	if err != nil {
		return "", err
	}
	if u.Scheme != "mongodb" || u.Port() == "" {
		return "", fmt.Errorf("not a mongodb://host:port/ URI: %q", uri)
	}
	return u.Host, nil
}
