package deploy_test

import (
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// compose is what the tests read of a compose file.
type compose struct {
	Services map[string]service           `yaml:"services"`
	Networks map[string]map[string]any    `yaml:"networks"`
	Volumes  map[string]any               `yaml:"volumes"`
	Secrets  map[string]map[string]string `yaml:"secrets"`
}

type service struct {
	Image       string            `yaml:"image"`
	Build       any               `yaml:"build"`
	PullPolicy  string            `yaml:"pull_policy"`
	User        string            `yaml:"user"`
	Restart     string            `yaml:"restart"`
	NetworkMode string            `yaml:"network_mode"`
	Entrypoint  []string          `yaml:"entrypoint"`
	Command     []string          `yaml:"command"`
	Environment map[string]string `yaml:"environment"`
	Secrets     []string          `yaml:"secrets"`
	Volumes     []string          `yaml:"volumes"`
	Ports       []string          `yaml:"ports"`
	Networks    []string          `yaml:"networks"`
	Privileged  bool              `yaml:"privileged"`
	Healthcheck *struct {
		Test    []string `yaml:"test"`
		Disable bool     `yaml:"disable"`
	} `yaml:"healthcheck"`
	DependsOn map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
}

func load(t *testing.T, file string) compose {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var c compose
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return c
}

// The services of compose.yaml by what they run.
func (c compose) mongods() []string { return c.named(func(s service) bool { return s.isMongod() }) }
func (c compose) consultas() []string {
	return c.named(func(s service) bool { return s.Image == "consulta:latest" })
}

func (c compose) named(keep func(service) bool) []string {
	var out []string
	for name, s := range c.Services {
		if keep(s) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

func (s service) isMongod() bool {
	return strings.HasPrefix(s.Image, "mongo:") && slices.Contains(s.Entrypoint, "mongod")
}

// flag returns the value after name in args, and whether name is there.
func flag(args []string, name string) (string, bool) {
	i := slices.Index(args, name)
	if i < 0 {
		return "", false
	}
	if i+1 < len(args) {
		return args[i+1], true
	}
	return "", true
}

func TestComposeServices(t *testing.T) {
	c := load(t, "compose.yaml")
	if got := c.mongods(); !slices.Equal(got, []string{"mongo1", "mongo2", "mongo3"}) {
		t.Errorf("mongod services %v, want mongo1, mongo2, mongo3", got)
	}
	if got := c.consultas(); !slices.Equal(got, []string{"backup", "consulta1", "consulta2"}) {
		t.Errorf("consulta services %v, want backup, consulta1, consulta2", got)
	}
	for _, name := range []string{"mongo-init", "proxy"} {
		if _, ok := c.Services[name]; !ok {
			t.Errorf("no %s service", name)
		}
	}
}

// Every mongod runs with internal authentication (the keyfile, which turns
// on client authentication too), from a secret copied to a file of mode 0400,
// and is reached only on the internal network.
func TestComposeMongoAuthentication(t *testing.T) {
	c := load(t, "compose.yaml")
	for _, name := range c.mongods() {
		s := c.Services[name]
		keyFile, ok := flag(s.Command, "--keyFile")
		if !ok || keyFile == "" {
			t.Errorf("%s: mongod without --keyFile: no internal authentication, no users required (%v)", name, s.Command)
		}
		for _, off := range []string{"--noauth", "--transitionToAuth", "--tlsMode=disabled"} {
			if slices.ContainsFunc(s.Command, func(a string) bool { return strings.HasPrefix(a, off) }) {
				t.Errorf("%s: %s weakens authentication", name, off)
			}
		}
		script := strings.Join(s.Entrypoint, " ")
		if !strings.Contains(script, "install -m 0400 /run/secrets/mongo_keyfile "+keyFile+" ") || !strings.Contains(script, "exec mongod") {
			t.Errorf("%s: the entrypoint does not copy the keyfile secret to %s with mode 0400 before mongod: %q", name, keyFile, script)
		}
		if !slices.Contains(s.Secrets, "mongo_keyfile") {
			t.Errorf("%s: the keyfile secret is not mounted", name)
		}
		if len(s.Ports) > 0 {
			t.Errorf("%s publishes %v: MongoDB must not be reachable from outside the backend network", name, s.Ports)
		}
		if !slices.Equal(s.Networks, []string{"backend"}) {
			t.Errorf("%s is on networks %v, want backend only", name, s.Networks)
		}
	}
	if c.Networks["backend"]["internal"] != true {
		t.Error("the backend network is not internal")
	}
}

// The replica set's users: an administrator and an application user with
// readWrite on Consulta's database only, both with passwords from secrets;
// created from mongo1's localhost, the one place MongoDB allows it before a
// user exists.
func TestComposeMongoUsers(t *testing.T) {
	c := load(t, "compose.yaml")
	s := c.Services["mongo-init"]
	if s.NetworkMode != "service:mongo1" || !slices.Contains(s.Entrypoint, "localhost") {
		t.Errorf("mongo-init must reach mongo1 on its localhost: network_mode %q, entrypoint %v", s.NetworkMode, s.Entrypoint)
	}
	for _, secret := range []string{"mongo_admin_password", "mongo_app_password"} {
		if !slices.Contains(s.Secrets, secret) {
			t.Errorf("mongo-init does not mount %s", secret)
		}
	}
	for _, dep := range []string{"mongo1", "mongo2", "mongo3"} {
		if s.DependsOn[dep].Condition != "service_healthy" {
			t.Errorf("mongo-init does not wait for %s to be healthy", dep)
		}
	}
	if !slices.Contains(s.Volumes, "./mongo-init.js:/mongo-init.js:ro") || !slices.Contains(s.Entrypoint, "/mongo-init.js") {
		t.Errorf("mongo-init does not run mongo-init.js: volumes %v, entrypoint %v", s.Volumes, s.Entrypoint)
	}
	js, err := os.ReadFile("mongo-init.js")
	if err != nil {
		t.Fatal(err)
	}
	script := string(js)
	for _, want := range []string{
		"secret('mongo_admin_password')", "secret('mongo_app_password')",
		"const appRoles = [{role: 'readWrite', db: database}];",
		"admin.updateUser(appUser, {pwd: appPassword, roles: appRoles})",
		"admin.createUser({user: appUser, pwd: appPassword, roles: appRoles})",
		"rs.initiate(",
	} {
		if !strings.Contains(script, want) {
			t.Errorf("mongo-init.js lacks %q", want)
		}
	}
	if strings.Count(script, "roles:") != 3 || strings.Contains(script, "AnyDatabase") {
		t.Error("mongo-init.js grants roles other than root to the administrator and readWrite on one database to Consulta")
	}
	if appUser := s.Environment["MONGO_APP_USER"]; appUser == "" {
		t.Error("mongo-init does not name the application user")
	}
}

// The health check of every service, but a one-shot job's, whose exit
// status is its health: it must say so (disable) and be waited for by
// service_completed_successfully.
func TestComposeHealthChecks(t *testing.T) {
	c := load(t, "compose.yaml")
	for name, s := range c.Services {
		h := s.Healthcheck
		if h != nil && !h.Disable && len(h.Test) > 1 && h.Test[0] == "CMD" {
			continue
		}
		if h != nil && h.Disable && s.Restart == "no" && completionAwaited(c, name) {
			continue
		}
		t.Errorf("%s has no health check (a one-shot job needs restart: \"no\", healthcheck: {disable: true} and a service waiting for it to complete)", name)
	}
}

func completionAwaited(c compose, job string) bool {
	for _, s := range c.Services {
		if s.DependsOn[job].Condition == "service_completed_successfully" {
			return true
		}
	}
	return false
}

// No service runs as root: each names a user other than root.
func TestComposeUsers(t *testing.T) {
	c := load(t, "compose.yaml")
	for name, s := range c.Services {
		uid, _, _ := strings.Cut(s.User, ":")
		if uid == "" || uid == "0" || uid == "root" {
			t.Errorf("%s runs as %q: give it a non-root user:", name, s.User)
		}
		if s.Privileged {
			t.Errorf("%s is privileged", name)
		}
	}
	for _, name := range c.consultas() {
		if s := c.Services[name]; s.User != "65532:65532" || s.PullPolicy != "build" {
			t.Errorf("%s: user %q, pull_policy %q; want the image's nonroot user and an image built here, never pulled", name, s.User, s.PullPolicy)
		}
	}
}

var uriUser = regexp.MustCompile(`^mongodb://([^@/:]+)@`)

// Consulta reaches MongoDB as the application user, the password from a
// secret file, never written in the compose file; its secret key too.
func TestComposeConsultaCredentials(t *testing.T) {
	c := load(t, "compose.yaml")
	appUser := c.Services["mongo-init"].Environment["MONGO_APP_USER"]
	for _, name := range c.consultas() {
		checkConsultaEnv(t, name, c.Services[name], appUser)
	}
	schedulers := 0
	for _, name := range c.consultas() {
		if c.Services[name].Environment["CONSULTA_SCHEDULER"] == "true" {
			schedulers++
		}
	}
	if schedulers != 1 {
		t.Errorf("%d services run the scheduler, want 1", schedulers)
	}
	for _, name := range []string{"consulta1", "consulta2"} {
		env := c.Services[name].Environment
		if env["CONSULTA_TRUSTED_PROXIES"] == "" || env["CONSULTA_METRICS_ADDR"] == "" {
			t.Errorf("%s lacks the proxy or metrics settings (an environment that replaced the shared one?)", name)
		}
	}
	for file, secret := range c.Secrets {
		if f := secret["file"]; !strings.HasPrefix(f, "./secrets/") {
			t.Errorf("secret %s is read from %q, not from ./secrets/ (make-secrets.sh)", file, f)
		}
	}
}

func checkConsultaEnv(t *testing.T, name string, s service, appUser string) {
	t.Helper()
	env := s.Environment
	uri := env["CONSULTA_MONGODB_URI"]
	m := uriUser.FindStringSubmatch(uri)
	if m == nil || m[1] != appUser {
		t.Errorf("%s: CONSULTA_MONGODB_URI %q does not name the application user %q (and no password)", name, uri, appUser)
	}
	if u, err := url.Parse(strings.Replace(uri, ",mongo2:27017,mongo3:27017", "", 1)); err == nil {
		if _, set := u.User.Password(); set {
			t.Errorf("%s: a password in CONSULTA_MONGODB_URI", name)
		}
	}
	for _, inline := range []string{"CONSULTA_MONGODB_PASSWORD", "CONSULTA_SECRET_KEY"} {
		if env[inline] != "" {
			t.Errorf("%s: %s written in the compose file", name, inline)
		}
	}
	for setting, secret := range map[string]string{
		"CONSULTA_MONGODB_PASSWORD_FILE": "mongo_app_password", "CONSULTA_SECRET_KEY_FILE": "secret_key"} {
		if env[setting] != "/run/secrets/"+secret || !slices.Contains(s.Secrets, secret) {
			t.Errorf("%s: %s = %q, secrets %v; want the %s secret", name, setting, env[setting], s.Secrets, secret)
		}
	}
}

// interpolate resolves ${VAR:-default} as compose does when VAR is unset.
func interpolate(s string) string {
	return regexp.MustCompile(`\$\{[A-Z_]+:-([^}]*)\}`).ReplaceAllString(s, "$1")
}

// The backup service makes an archive on a schedule into a volume, deletes
// old ones by age, and is unhealthy when the newest is too old.
func TestComposeBackup(t *testing.T) {
	c := load(t, "compose.yaml")
	s, ok := c.Services["backup"]
	if !ok || len(s.Command) == 0 || s.Command[0] != "backup" {
		t.Fatalf("no backup service running consulta backup: %+v", s.Command)
	}
	dir, _ := flag(s.Command, "--dir")
	for _, f := range []string{"--every", "--keep"} {
		v, _ := flag(s.Command, f)
		if d, err := time.ParseDuration(interpolate(v)); err != nil || d <= 0 {
			t.Errorf("backup %s %q: want a positive duration", f, v)
		}
	}
	mounted := slices.ContainsFunc(s.Volumes, func(v string) bool {
		name, target, _ := strings.Cut(v, ":")
		_, named := c.Volumes[name]
		return named && target == dir
	})
	if dir == "" || !mounted {
		t.Errorf("the backup --dir %q is not a named volume (volumes %v)", dir, s.Volumes)
	}
	if check := strings.Join(s.Healthcheck.Test, " "); !strings.Contains(check, "backup check --dir "+dir) {
		t.Errorf("the backup service's health check %q does not check its archives", check)
	}
	if slices.Contains(c.Services["consulta1"].Volumes, "backups:"+dir) {
		t.Error("the replicas facing the Internet mount the backups")
	}
}
