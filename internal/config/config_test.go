package config

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

func source(env map[string]string, files map[string]string) Source {
	return Source{
		Getenv: func(k string) string { return env[k] },
		ReadFile: func(p string) ([]byte, error) {
			if s, ok := files[p]; ok {
				return []byte(s), nil
			}
			return nil, &os.PathError{Op: "open", Path: p, Err: os.ErrNotExist}
		},
	}
}

func load(t *testing.T, args []string, env, files map[string]string) (*Config, error) {
	t.Helper()
	fs := FlagSet("test", io.Discard)
	if err := fs.Parse(args); err != nil {
		t.Fatalf("parse flags: %v", err)
	}
	return Load(fs, source(env, files))
}

func TestDefaults(t *testing.T) {
	cfg, err := load(t, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != ":8080" || cfg.DataDir != "./data" || cfg.FormsDir != "./forms" || cfg.RateLimit != 30 ||
		cfg.TimezoneName != "America/Guatemala" || cfg.BodyLimit != 65536 || cfg.SuppressionK != 5 || !cfg.Embedded() {
		t.Fatalf("unexpected defaults: %+v", cfg)
	}
	if cfg.Timezone.String() != "America/Guatemala" || cfg.OpTimeout != 5*time.Second {
		t.Fatalf("timezone/op timeout: %v %v", cfg.Timezone, cfg.OpTimeout)
	}
	if cfg.TokenMaxAge != 2*time.Hour || len(cfg.KeptPageHosts()) != 0 {
		t.Fatalf("token max age %v, kept page hosts %v", cfg.TokenMaxAge, cfg.KeptPageHosts())
	}
	// The reports' schedules: these defaults are the only ones (README, docs/reports.md).
	if cfg.MonthlyCron != "0 6 1 * *" || cfg.BiannualCron != "0 7 1 1,7 *" {
		t.Fatalf("report schedules %q, %q", cfg.MonthlyCron, cfg.BiannualCron)
	}
}

// TestReportOff: "-" turns a scheduled report off.
func TestReportOff(t *testing.T) {
	cfg, err := load(t, nil, map[string]string{"CONSULTA_MONTHLY_CRON": "-", "CONSULTA_BIANNUAL_CRON": "30 5 2 1,7 *"}, nil)
	if err != nil || cfg.MonthlyCron != "-" || cfg.BiannualCron != "30 5 2 1,7 *" {
		t.Fatalf("%v: %q %q", err, cfg.MonthlyCron, cfg.BiannualCron)
	}
}

func TestPageHosts(t *testing.T) {
	cfg, err := load(t, nil, map[string]string{"CONSULTA_PAGE_HOSTS": " Portal.Mineduc.gob.gt, localhost:8080 ,",
		"CONSULTA_BASE_URL": "https://Consulta.Mineduc.gob.gt"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"portal.mineduc.gob.gt", "localhost:8080", "consulta.mineduc.gob.gt"}
	if got := cfg.KeptPageHosts(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("kept page hosts %q, want %q", got, want)
	}
}

func TestPrecedence(t *testing.T) {
	files := map[string]string{
		"/etc/consulta.yaml": "addr: \":7000\"\nrate_limit: 10\ndatabase: filedb\n",
		"/run/secrets/key":   "0123456789abcdef0123456789abcdef\n",
	}
	env := map[string]string{
		"CONSULTA_CONFIG":          "/etc/consulta.yaml",
		"CONSULTA_RATE_LIMIT":      "20",
		"CONSULTA_SECRET_KEY_FILE": "/run/secrets/key",
	}
	cfg, err := load(t, []string{"--rate-limit", "0"}, env, files)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.RateLimit != 0 {
		t.Errorf("flag must win over env: rate limit %d", cfg.RateLimit)
	}
	if cfg.Addr != ":7000" || cfg.Database != "filedb" {
		t.Errorf("config file values not used: %q %q", cfg.Addr, cfg.Database)
	}
	if cfg.SecretKey != "0123456789abcdef0123456789abcdef" {
		t.Errorf("secret from _FILE: %q", cfg.SecretKey)
	}
}

func TestBadValues(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string // substring of the one-line error
	}{
		{"rate limit", map[string]string{"CONSULTA_RATE_LIMIT": "many"}, "CONSULTA_RATE_LIMIT"},
		{"negative rate", map[string]string{"CONSULTA_RATE_LIMIT": "-1"}, "CONSULTA_RATE_LIMIT"},
		{"timezone", map[string]string{"CONSULTA_TIMEZONE": "Mars/Olympus"}, "CONSULTA_TIMEZONE"},
		{"mongo uri", map[string]string{"CONSULTA_MONGODB_URI": "postgres://x"}, "CONSULTA_MONGODB_URI"},
		{"short secret", map[string]string{"CONSULTA_SECRET_KEY": "short"}, "CONSULTA_SECRET_KEY"},
		{"base url", map[string]string{"CONSULTA_BASE_URL": "consulta.example.org"}, "CONSULTA_BASE_URL"},
		{"store addr public", map[string]string{"CONSULTA_STORE_ADDR": "0.0.0.0:27018"}, "loopback"},
		{"body limit", map[string]string{"CONSULTA_BODY_LIMIT": "10"}, "CONSULTA_BODY_LIMIT"},
		{"k", map[string]string{"CONSULTA_SUPPRESSION_K": "0"}, "CONSULTA_SUPPRESSION_K"},
		{"cron", map[string]string{"CONSULTA_MONTHLY_CRON": "every month"}, "CONSULTA_MONTHLY_CRON"},
		{"cron hour", map[string]string{"CONSULTA_BIANNUAL_CRON": "0 25 1 1,7 *"}, "CONSULTA_BIANNUAL_CRON"},
		{"cron that never fires", map[string]string{"CONSULTA_MONTHLY_CRON": "0 6 30 2 *"}, "CONSULTA_MONTHLY_CRON"},
		{"log level", map[string]string{"CONSULTA_LOG_LEVEL": "loud"}, "CONSULTA_LOG_LEVEL"},
		{"missing secret file", map[string]string{"CONSULTA_SECRET_KEY_FILE": "/nope"}, "CONSULTA_SECRET_KEY_FILE"},
		{"missing config file", map[string]string{"CONSULTA_CONFIG": "/nope.yaml"}, "CONSULTA_CONFIG"},
		{"proxies", map[string]string{"CONSULTA_TRUSTED_PROXIES": "10.0.0.0/8, proxy.local"}, "CONSULTA_TRUSTED_PROXIES"},
		{"page host with a scheme", map[string]string{"CONSULTA_PAGE_HOSTS": "https://www.mineduc.gob.gt"}, "CONSULTA_PAGE_HOSTS"},
		{"page host with a path", map[string]string{"CONSULTA_PAGE_HOSTS": "www.mineduc.gob.gt/portal"}, "CONSULTA_PAGE_HOSTS"},
		{"token max age", map[string]string{"CONSULTA_TOKEN_MAX_AGE": "0s"}, "CONSULTA_TOKEN_MAX_AGE"},
		{"token max age within the fill time", map[string]string{"CONSULTA_TOKEN_MAX_AGE": "2s", "CONSULTA_MIN_FILL_TIME": "3s"}, "CONSULTA_TOKEN_MAX_AGE"},
		{"mongo without secret", map[string]string{"CONSULTA_MONGODB_URI": "mongodb://db:27017/"}, "CONSULTA_SECRET_KEY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(t, nil, tt.env, nil)
			if err == nil {
				t.Fatal("want an error")
			}
			if !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q: want one line naming %s", err, tt.want)
			}
		})
	}
}

func TestSecretNotEchoed(t *testing.T) {
	_, err := load(t, nil, map[string]string{"CONSULTA_SECRET_KEY": "tooshort-secret"}, nil)
	if err == nil || strings.Contains(err.Error(), "tooshort-secret") {
		t.Fatalf("a bad secret must not be printed: %v", err)
	}
}

func TestUnknownFileKey(t *testing.T) {
	_, err := load(t, nil, map[string]string{"CONSULTA_CONFIG": "/c.yaml"}, map[string]string{"/c.yaml": "adr: x\n"})
	if err == nil || !strings.Contains(err.Error(), `"adr"`) {
		t.Fatalf("want unknown setting error, got %v", err)
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		t.Fatalf("unexpected path error %v", err)
	}
}
