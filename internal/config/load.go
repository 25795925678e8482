package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

// Source is where Load reads settings from: the environment (os.Getenv in
// production, a map in tests) and files (os.ReadFile).
type Source struct {
	Getenv   func(string) string
	ReadFile func(string) ([]byte, error)
}

// OSSource reads the real environment and file system.
func OSSource() Source { return Source{Getenv: os.Getenv, ReadFile: os.ReadFile} }

// FlagSet returns a flag set with one flag per setting plus --config, for a
// subcommand named name. Parse it, then pass it to Load.
func FlagSet(name string, output io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(output)
	fs.String("config", "", "YAML config file with snake_case keys (env CONSULTA_CONFIG)")
	for _, s := range settings() {
		help := fmt.Sprintf("%s (env %s", s.help, s.envName())
		if s.secret {
			help += ", or " + s.envName() + "_FILE"
		}
		fs.String(s.flagName(), s.def, help+")")
	}
	return fs
}

// Load resolves every setting from flags that were set explicitly, then the
// environment, then the config file, then the default, and validates it.
func Load(fs *flag.FlagSet, src Source) (*Config, error) {
	explicit := map[string]string{}
	fs.Visit(func(f *flag.Flag) { explicit[f.Name] = f.Value.String() })

	file, err := readConfigFile(explicit["config"], src)
	if err != nil {
		return nil, err
	}
	cfg := &Config{}
	for _, s := range settings() {
		value, source, err := resolve(s, explicit, file, src)
		if err != nil {
			return nil, err
		}
		if err := s.parse(cfg, value); err != nil {
			return nil, errSetting(s, source, value, err.Error())
		}
	}
	if cfg.TokenMaxAge <= cfg.MinFillTime {
		return nil, fmt.Errorf("config: CONSULTA_TOKEN_MAX_AGE = %s: must be longer than CONSULTA_MIN_FILL_TIME (%s), or no form could be sent", cfg.TokenMaxAge, cfg.MinFillTime)
	}
	if cfg.MongoURI != "" && cfg.SecretKey == "" {
		// Replicas must share the key: page tokens and CSRF tokens signed by one
		// are checked by another.
		return nil, fmt.Errorf("config: CONSULTA_SECRET_KEY is required when CONSULTA_MONGODB_URI is set (all replicas must share it)")
	}
	if err := cfg.checkIntegrations(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// resolve finds one setting's raw value and says where it came from.
func resolve(s setting, explicit, file map[string]string, src Source) (value, source string, err error) {
	if v, ok := explicit[s.flagName()]; ok {
		return v, "flag --" + s.flagName(), nil
	}
	if v := src.Getenv(s.envName()); v != "" {
		return v, "environment", nil
	}
	if s.secret {
		if path := src.Getenv(s.envName() + "_FILE"); path != "" {
			b, err := src.ReadFile(path)
			if err != nil {
				return "", "", fmt.Errorf("config: %s_FILE: cannot read %s: %v", s.envName(), path, errors.Unwrap(err))
			}
			return strings.TrimSpace(string(b)), "file " + path, nil
		}
	}
	if v, ok := file[s.name]; ok {
		return v, "config file", nil
	}
	return s.def, "default", nil
}

// readConfigFile reads the optional YAML config file into snake_case keys.
func readConfigFile(path string, src Source) (map[string]string, error) {
	if path == "" {
		path = src.Getenv("CONSULTA_CONFIG")
	}
	if path == "" {
		return nil, nil
	}
	b, err := src.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: CONSULTA_CONFIG: cannot read %s", path)
	}
	raw := map[string]any{}
	if err := yaml.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("config: %s: %v", path, err)
	}
	known := map[string]bool{}
	for _, s := range settings() {
		known[s.name] = true
	}
	out := map[string]string{}
	for k, v := range raw {
		if !known[k] {
			return nil, fmt.Errorf("config: %s: unknown setting %q", path, k)
		}
		out[k] = fmt.Sprint(v)
	}
	return out, nil
}
