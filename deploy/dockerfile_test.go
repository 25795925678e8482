package deploy_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// The image builds with the toolchain go.mod names and, like every command
// of the README and the Makefile, without build tags: the binary in the
// image is the one the tests ran.
func TestDockerfileBuildsLikeTheReadme(t *testing.T) {
	read := func(file string) string {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	gomod, dockerfile := read("../go.mod"), read("../Dockerfile")
	m := regexp.MustCompile(`(?m)^toolchain go(\S+)$`).FindStringSubmatch(gomod)
	if m == nil {
		t.Fatal("go.mod names no toolchain")
	}
	from := regexp.MustCompile(`(?m)^FROM golang:(\S+?)(-\S+)? AS build$`).FindStringSubmatch(dockerfile)
	if from == nil || from[1] != m[1] {
		t.Errorf("the Dockerfile's builder is not golang:%s (go.mod's toolchain): %q", m[1], from)
	}
	build := regexp.MustCompile(`(?m)go build [^\n]*\./cmd/consulta`).FindString(dockerfile)
	if build == "" {
		t.Fatal("the Dockerfile does not build ./cmd/consulta")
	}
	for file, text := range map[string]string{"Dockerfile": dockerfile, "Makefile": read("../Makefile"), "README.md": read("../README.md")} {
		if regexp.MustCompile(`go (build|run|test)[^\n]*-tags`).MatchString(text) {
			t.Errorf("%s builds with tags", file)
		}
	}
	if !strings.Contains(dockerfile, "--chown=nonroot:nonroot /out/backups /app/backups") ||
		!strings.Contains(dockerfile, "USER nonroot:nonroot") {
		t.Error("the image does not give the backup directory (compose.yaml's backups volume) to its nonroot user")
	}
}
