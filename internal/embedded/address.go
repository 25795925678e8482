package embedded

import (
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/FerretDB/FerretDB/ferretdb"
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

// socketURI is the MongoDB URI of the Unix socket at path: the driver wants the
// path, percent-encoded, as the host.
func socketURI(path string) string {
	return "mongodb://" + strings.ReplaceAll(url.PathEscape(path), "/", "%2F") + "/"
}

// dialAddress returns the network ("unix" or "tcp") and address that uri points at.
func dialAddress(uri string) (network, addr string, err error) {
	rest, ok := strings.CutPrefix(uri, "mongodb://")
	if !ok {
		return "", "", fmt.Errorf("not a mongodb:// URI: %q", uri)
	}
	host, _, _ := strings.Cut(rest, "/")
	if path, err := url.PathUnescape(host); err == nil && strings.HasPrefix(path, "/") && strings.HasSuffix(path, ".sock") {
		return "unix", path, nil
	}
	u, err := url.Parse(uri)
	if err != nil || u.Port() == "" {
		return "", "", fmt.Errorf("not a mongodb://host:port/ or socket URI: %q", uri)
	}
	return "tcp", u.Host, nil
}

// describe names the listeners of l for errors.
func describe(l ferretdb.ListenerConfig) string {
	var parts []string
	if l.Unix != "" {
		parts = append(parts, l.Unix)
	}
	if l.TCP != "" {
		parts = append(parts, l.TCP)
	}
	return strings.Join(parts, " and ")
}
