package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-co-op/gocron/v2"
)

type parseFunc = func(c *Config, v string) error

func str(field func(*Config) *string) parseFunc {
	return func(c *Config, v string) error { *field(c) = v; return nil }
}

func nonEmpty(field func(*Config) *string) parseFunc {
	return func(c *Config, v string) error {
		if strings.TrimSpace(v) == "" {
			return errors.New("must not be empty")
		}
		*field(c) = v
		return nil
	}
}

func oneOf(field func(*Config) *string, allowed ...string) parseFunc {
	return func(c *Config, v string) error {
		for _, a := range allowed {
			if v == a {
				*field(c) = v
				return nil
			}
		}
		return fmt.Errorf("must be one of %s", strings.Join(allowed, ", "))
	}
}

func boolean(field func(*Config) *bool) parseFunc {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return errors.New("must be true or false")
		}
		*field(c) = b
		return nil
	}
}

func nonNegativeInt(field func(*Config) *int) parseFunc {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return errors.New("must be a whole number, 0 or more")
		}
		*field(c) = n
		return nil
	}
}

func positiveDuration(field func(*Config) *time.Duration) parseFunc {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return errors.New("must be a positive duration such as 5s, 10m or 720h")
		}
		*field(c) = d
		return nil
	}
}

func nonNegativeDuration(field func(*Config) *time.Duration) parseFunc {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return errors.New("must be a duration such as 0s, 2s or 1m")
		}
		*field(c) = d
		return nil
	}
}

// parseCron checks a report's cron spec with gocron's own parser, the one the
// scheduler runs it with (internal/schedule), so that a bad spec stops the
// start with the setting's name; "-" turns the report off.
func parseCron(field func(*Config) *string) parseFunc {
	return func(c *Config, v string) error {
		if v != "-" {
			if err := gocron.NewDefaultCron(false).IsValid(v, time.UTC, time.Now()); err != nil {
				detail := strings.ReplaceAll(err.Error(), "\n", ": ") // one line
				return fmt.Errorf("must be a five-field cron spec such as \"0 6 1 * *\", or - for none (%s)", detail)
			}
		}
		*field(c) = v
		return nil
	}
}

func parseBaseURL(c *Config, v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return errors.New("must be an absolute http(s) URL without a path, such as https://consulta.example.org")
	}
	c.BaseURL = strings.TrimSuffix(v, "/")
	return nil
}

func parseMongoURI(c *Config, v string) error {
	if v != "" && !strings.HasPrefix(v, "mongodb://") && !strings.HasPrefix(v, "mongodb+srv://") {
		return errors.New("must start with mongodb:// or mongodb+srv://")
	}
	c.MongoURI = v
	return nil
}

// parseMongoPassword takes the password of the user that MongoURI (parsed
// before it) names. The URI may then be shown and written in a compose file
// while the password comes from a secret file, CONSULTA_MONGODB_PASSWORD_FILE.
func parseMongoPassword(c *Config, v string) error {
	c.MongoPassword = ""
	if v == "" {
		return nil
	}
	if c.MongoURI == "" {
		return errors.New("needs CONSULTA_MONGODB_URI: the embedded store has no users")
	}
	rest := strings.TrimPrefix(strings.TrimPrefix(c.MongoURI, "mongodb+srv://"), "mongodb://")
	authority, _, _ := strings.Cut(rest, "/")
	authority, _, _ = strings.Cut(authority, "?")
	at := strings.LastIndex(authority, "@")
	switch user := authority[:max(at, 0)]; {
	case at <= 0:
		return errors.New("CONSULTA_MONGODB_URI names no user: write it as mongodb://USER@host:27017/?replicaSet=rs0")
	case strings.Contains(user, ":"):
		return errors.New("CONSULTA_MONGODB_URI has a password too: keep it in one of the two")
	}
	c.MongoPassword = v
	return nil
}

func parseDatabase(c *Config, v string) error {
	if v == "" || strings.ContainsAny(v, "/\\. \"$") || len(v) > 63 {
		return errors.New("must be a MongoDB database name (no spaces, dots, slashes or $)")
	}
	c.Database = v
	return nil
}

func parseStoreAddr(c *Config, v string) error {
	if v == "" {
		c.StoreAddr = ""
		return nil
	}
	host, port, err := net.SplitHostPort(v)
	if err != nil {
		return errors.New("must be host:port, such as 127.0.0.1:27018")
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return errors.New("must be a loopback address: the embedded store has no authentication")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return errors.New("port must be a number from 0 to 65535")
	}
	c.StoreAddr = v
	return nil
}

func parseTimezone(c *Config, v string) error {
	loc, err := time.LoadLocation(v)
	if err != nil {
		return errors.New("must be an IANA time zone such as America/Guatemala")
	}
	c.TimezoneName, c.Timezone = v, loc
	return nil
}

func parseSecret(c *Config, v string) error {
	if v != "" && len(v) < 32 {
		return errors.New("must be at least 32 characters")
	}
	c.SecretKey = v
	return nil
}

func parseBodyLimit(c *Config, v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1024 || n > 64<<20 {
		return errors.New("must be a number of bytes from 1024 to 67108864")
	}
	c.BodyLimit = n
	return nil
}

// parseK parses a suppression threshold into field: a whole number from lo
// to 100.
func parseK(lo int, field func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > 100 {
			return fmt.Errorf("must be a whole number from %d to 100", lo)
		}
		*field(c) = n
		return nil
	}
}

func kebab(name string) string { return strings.ReplaceAll(name, "_", "-") }
func upper(name string) string { return strings.ToUpper(name) }

func parseProxies(c *Config, v string) error {
	c.TrustedProxies = nil
	for _, p := range strings.Split(v, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			return fmt.Errorf("%q is neither an IP address nor a CIDR such as 10.0.0.0/8", p)
		}
		c.TrustedProxies = append(c.TrustedProxies, p)
	}
	return nil
}

// parsePageHosts reads a comma-separated list of hosts, each a host name or
// address with an optional port, as in a URL (lower-cased).
func parsePageHosts(c *Config, v string) error {
	c.PageHosts = nil
	for _, h := range strings.Split(v, ",") {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" {
			continue
		}
		u, err := url.Parse("http://" + h)
		if err != nil || u.Host != h || u.Hostname() == "" || u.User != nil {
			return fmt.Errorf("%q is not a host such as www.mineduc.gob.gt or localhost:8080 (no scheme, no path)", h)
		}
		c.PageHosts = append(c.PageHosts, h)
	}
	return nil
}

// parseListenAddr accepts "" (off) or host:port.
func parseListenAddr(field func(*Config) *string) parseFunc {
	return func(c *Config, v string) error {
		if v != "" {
			if _, port, err := net.SplitHostPort(v); err != nil || port == "" {
				return errors.New("must be host:port, such as 127.0.0.1:9090, or empty")
			}
		}
		*field(c) = v
		return nil
	}
}

// optionalDuration accepts "" (0: the default of the code that uses it) or a
// positive duration.
func optionalDuration(field func(*Config) *time.Duration) parseFunc {
	return func(c *Config, v string) error {
		if v == "" {
			*field(c) = 0
			return nil
		}
		return positiveDuration(field)(c, v)
	}
}
