// Package config parses Consulta's settings once, from defaults, an optional config
// file, CONSULTA_* environment variables (with *_FILE variants for secrets) and
// command-line flags, in increasing order of precedence, and validates them into a
// Config. A bad value yields one error line that names the setting.
package config

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/consulta/consulta/internal/consulta"
)

// Config is the validated configuration of every consulta command.
type Config struct {
	Addr     string // HTTP listen address
	BaseURL  string // public URL of the service (links, QR codes); "" = derived from requests
	MongoURI string // "" = embedded FerretDB under DataDir
	// MongoPassword is the password of the user MongoURI names, kept apart
	// so that it can come from a secret file ("" = the URI's own, if any).
	MongoPassword string
	Database      string // MongoDB database name
	DataDir       string // embedded store files, lock, generated secret
	StoreAddr     string // optional loopback TCP listener of the embedded store ("" = Unix socket only)
	FormsDir      string // form definitions (*.yaml)
	LocalesDir    string // "" = the translations built into the binary

	TimezoneName string
	Timezone     *time.Location

	SecretKey     string        // keys abuse-control hashes and CSRF tokens
	WriteMajority bool          // write concern majority on a real MongoDB
	OpTimeout     time.Duration // deadline of one database operation
	StreamTimeout time.Duration // deadline of one long read (export, report, open data)

	// OrgName is the organisation that runs the service, named on every
	// public page; OrgLogoFile an optional PNG or SVG logo shown beside it.
	OrgName     string
	OrgLogoFile string

	RateLimit   int           // submissions per minute per client; 0 = off
	MinFillTime time.Duration // a human needs at least this long to fill a form
	TokenMaxAge time.Duration // a page-load token is accepted this long after its page load
	BodyLimit   int           // bytes

	// PageHosts are hosts (host or host:port), besides those of each form's
	// origins and of BaseURL, whose pages may be kept as a response's
	// embedding page (see KeptPageHosts).
	PageHosts []string

	TrustedProxies []string // reverse proxies whose X-Forwarded-For is believed

	MetricsAddr string        // listener of /metrics, apart from Addr ("" = no metrics endpoint)
	SessionIdle time.Duration // workspace sessions end this long after their last request (0 = auth's default)
	SessionMax  time.Duration // and this long after sign-in (0 = auth's default)

	SuppressionK     int           // published counts under K are suppressed
	SessionK         int           // and in focus-group session summaries, under SessionK (docs/reports.md)
	ContactRetention time.Duration // contact data older than this is deleted
	MonthlyCron      string        // report schedules (cron, in Timezone)
	BiannualCron     string
	Scheduler        bool // run scheduled jobs in this replica

	LogLevel  string
	LogFormat string        // "text" or "json"
	LogSlow   time.Duration // requests slower than this are always logged (0 = none for being slow)
	LogSample int           // one ordinary request in LogSample is logged (1 = all, 0 = none)

	// Integrations are the e-mail and webhook settings (integrations.go).
	Integrations
}

// Embedded reports whether the embedded store is used.
func (c *Config) Embedded() bool { return c.MongoURI == "" }

// KeptPageHosts are the hosts whose pages are stored and reported as a
// response's embedding page besides those of the form's own origins:
// CONSULTA_PAGE_HOSTS and the host of CONSULTA_BASE_URL (Consulta's own
// pages, such as /demo). The request's Host header is never one of them: any
// client can send any Host.
func (c *Config) KeptPageHosts() []string {
	hosts := slices.Clone(c.PageHosts)
	if u, err := url.Parse(c.BaseURL); err == nil && u.Host != "" {
		hosts = append(hosts, strings.ToLower(u.Host))
	}
	return hosts
}

// setting describes one configuration value: its name (flag "--kebab-name", env
// "CONSULTA_UPPER_NAME", file key "snake_name"), default, help and how to parse it.
type setting struct {
	name   string
	def    string
	help   string
	secret bool // also read from CONSULTA_<NAME>_FILE
	parse  func(c *Config, v string) error
}

func (s setting) flagName() string { return kebab(s.name) }
func (s setting) envName() string  { return "CONSULTA_" + upper(s.name) }

// settings lists every setting, in the order --help shows them.
func settings() []setting {
	return append([]setting{
		{name: "addr", def: ":8080", help: "HTTP listen address", parse: str(func(c *Config) *string { return &c.Addr })},
		{name: "base_url", help: "public URL of the service, e.g. https://consulta.mineduc.gob.gt", parse: parseBaseURL},
		{name: "mongodb_uri", help: "MongoDB URI; empty runs the embedded store", secret: true, parse: parseMongoURI},
		{name: "mongodb_password", help: "password of the user named in the MongoDB URI (mongodb://USER@host/...), kept out of the URI", secret: true, parse: parseMongoPassword},
		{name: "database", def: "consulta", help: "MongoDB database name", parse: parseDatabase},
		{name: "data_dir", def: "./data", help: "directory of the embedded store", parse: nonEmpty(func(c *Config) *string { return &c.DataDir })},
		{name: "store_addr", help: "deprecated: also open the embedded store on this loopback TCP address, which has no authentication (empty: only the owner-only Unix socket in the data directory)", parse: parseStoreAddr},
		{name: "forms_dir", def: "./forms", help: "directory of form definitions", parse: nonEmpty(func(c *Config) *string { return &c.FormsDir })},
		{name: "locales_dir", help: "directory of translations; empty uses the built-in ones", parse: str(func(c *Config) *string { return &c.LocalesDir })},
		{name: "timezone", def: consulta.DefaultTimeZone, help: "time zone of schedules and report periods", parse: parseTimezone},
		{name: "secret_key", help: "secret for keyed hashes and CSRF (at least 32 characters); empty: generated and kept in the data directory", secret: true, parse: parseSecret},
		{name: "write_majority", def: "true", help: "write concern majority on MongoDB", parse: boolean(func(c *Config) *bool { return &c.WriteMajority })},
		{name: "op_timeout", def: "5s", help: "deadline of each database operation", parse: positiveDuration(func(c *Config) *time.Duration { return &c.OpTimeout })},
		{name: "stream_timeout", def: "30m", help: "deadline of each long database read (exports, reports, open data)", parse: positiveDuration(func(c *Config) *time.Duration { return &c.StreamTimeout })},
		{name: "org_name", def: "Ministerio de Educación", help: "the organisation that runs the service, named in the header of every public page", parse: nonEmpty(func(c *Config) *string { return &c.OrgName })},
		{name: "org_logo_file", help: "PNG or SVG file of the organisation's logo, shown beside its name (empty: no logo)", parse: str(func(c *Config) *string { return &c.OrgLogoFile })},
		{name: "rate_limit", def: "30", help: "submissions per minute per client; 0 turns it off", parse: nonNegativeInt(func(c *Config) *int { return &c.RateLimit })},
		{name: "min_fill_time", def: "2s", help: "submissions faster than this after the page loaded are refused as automated", parse: nonNegativeDuration(func(c *Config) *time.Duration { return &c.MinFillTime })},
		{name: "token_max_age", def: "2h", help: "a form page's token is accepted this long after the page loaded; older ones are refused as expired", parse: positiveDuration(func(c *Config) *time.Duration { return &c.TokenMaxAge })},
		{name: "page_hosts", help: "comma-separated hosts (host or host:port) whose pages may be stored as the embedding page, besides the hosts of each form's origins and of the base URL", parse: parsePageHosts},
		{name: "body_limit", def: "65536", help: "maximum request body in bytes", parse: parseBodyLimit},
		{name: "trusted_proxies", help: "comma-separated IPs or CIDRs of reverse proxies whose X-Forwarded-For names the client", parse: parseProxies},
		{name: "metrics_addr", help: "address of a separate listener for /metrics, e.g. 127.0.0.1:9090 (empty: no metrics endpoint)", parse: parseListenAddr(func(c *Config) *string { return &c.MetricsAddr })},
		{name: "session_idle", help: "workspace sessions end after this long without a request (empty: 30m)", parse: optionalDuration(func(c *Config) *time.Duration { return &c.SessionIdle })},
		{name: "session_max", help: "workspace sessions end this long after sign-in (empty: 12h)", parse: optionalDuration(func(c *Config) *time.Duration { return &c.SessionMax })},
		{name: "suppression_k", def: "5", help: "published counts under this are suppressed", parse: parseK(1, func(c *Config) *int { return &c.SuppressionK })},
		{name: "session_k", def: "3", help: "counts under this are suppressed in focus-group session summaries (2 or more)", parse: parseK(2, func(c *Config) *int { return &c.SessionK })},
		{name: "contact_retention", def: "8760h", help: "contact data older than this is deleted", parse: positiveDuration(func(c *Config) *time.Duration { return &c.ContactRetention })},
		{name: "monthly_cron", def: "0 6 1 * *", help: "when the monthly report runs (cron, in the time zone; - for never)", parse: parseCron(func(c *Config) *string { return &c.MonthlyCron })},
		{name: "biannual_cron", def: "0 7 1 1,7 *", help: "when the biannual review report runs (cron; - for never)", parse: parseCron(func(c *Config) *string { return &c.BiannualCron })},
		{name: "scheduler", def: "true", help: "run scheduled jobs in this process", parse: boolean(func(c *Config) *bool { return &c.Scheduler })},
		{name: "log_level", def: "info", help: "debug, info, warn or error", parse: oneOf(func(c *Config) *string { return &c.LogLevel }, "debug", "info", "warn", "error")},
		{name: "log_format", def: "text", help: "text or json", parse: oneOf(func(c *Config) *string { return &c.LogFormat }, "text", "json")},
		// A form page takes about a millisecond and a submission a few: a second means trouble.
		{name: "log_slow", def: "1s", help: "requests slower than this are always logged (0: never for being slow)", parse: nonNegativeDuration(func(c *Config) *time.Duration { return &c.LogSlow })},
		// A line per request cost the heaviest form page a quarter of its throughput (docs/performance.md).
		{name: "log_sample", def: "100", help: "log one in this many ordinary requests (fast, status under 400); errors and slow requests are always logged, every request is counted in /metrics; 1 logs every request, 0 none", parse: nonNegativeInt(func(c *Config) *int { return &c.LogSample })},
	}, integrationSettings()...)
}

// errSetting formats the one-line error that names a bad setting.
func errSetting(s setting, source, value, problem string) error {
	if s.secret {
		value = "***"
	}
	return fmt.Errorf("config: %s (%s) = %q: %s", s.envName(), source, value, problem)
}
