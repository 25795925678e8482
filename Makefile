# Consulta: the everyday commands. `make test` is what CI runs (.ci/run).
GO      ?= go
PKGS    ?= ./...
BIN     ?= bin/consulta
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
GOVULNCHECK ?= golang.org/x/vuln/cmd/govulncheck@v1.1.4
# The vulnerability database is built offline from the golang.org/x/vulndb module
# (fetched through the Go module proxy), since vuln.go.dev is not reachable here.
# Bump the version to pick up newer advisories.
VULNDB_VERSION ?= v0.0.0-20261105234957-e22db6528018
VULNDB  = golang.org/x/vulndb@$(VULNDB_VERSION)

# One build for every command: make builds with the same toolchain, tags and flags
# as a plain `go run ./cmd/consulta` or `go test`, so that each reuses what the
# others compiled (no -tags, no -trimpath here; the Dockerfile's release build has
# its own cache). The toolchain is the one the go command picks under the
# machine's GOTOOLCHAIN: with Go's default (auto) that is go1.26.10, named in
# go.mod for its security fixes and downloaded through the module proxy. Forcing
# auto here alone made make and `go run` build with two toolchains on machines
# set to local, so make only warns there (.ci/run sets auto for CI).
TOOLCHAIN := $(shell sed -n 's/^toolchain //p' go.mod)
GOVERSION := $(shell $(GO) env GOVERSION)
ifneq ($(GOVERSION),$(TOOLCHAIN))
$(warning building with $(GOVERSION), not $(TOOLCHAIN) (go.mod: security fixes); GOTOOLCHAIN=auto lets Go download it (README, Set up))
endif
# Each fuzz target runs this long in `make test` (4 targets: about 1.5 minutes).
FUZZTIME ?= 15s
# A worker that finds a new input minimizes it before reporting back, for up
# to 60 s by default: longer than FUZZTIME, so the run sat in minimization
# and, when the time ran out there, failed with "context deadline exceeded"
# (CI, FuzzValidate). Minimizing for a few seconds keeps the run fuzzing.
FUZZMINIMIZETIME ?= 3s
FUZZ_TARGETS = ./internal/forms:FuzzParse ./internal/forms:FuzzValidate \
               ./internal/server:FuzzDecodeSubmit ./internal/importer:FuzzParse

.PHONY: all build run check test test-go test-browser lint bench fuzz vulncheck clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/consulta

run:
	$(GO) run ./cmd/consulta

# The everyday loop: go vet and the Go tests in short mode, which skip the
# slow suites (the fault tests on the real binary, the Chromium tests, the
# store tests that wait out deadlines, the two longest attack tests; each skip
# says why). make test, what CI runs, runs everything. CHECKFLAGS=-count=1
# reruns tests whose results are cached (README, Tests, has the time it takes).
CHECKFLAGS ?=
check:
	$(GO) vet $(PKGS)
	$(GO) test -short $(CHECKFLAGS) $(PKGS)

# Every test: Go packages (against the embedded store over the wire) and, when the
# browser tools are installed (.ci/run installs them), the Chromium tests.
test: test-go fuzz test-browser

test-go:
	$(GO) vet $(PKGS)
	$(GO) test -count=1 -timeout 20m $(PKGS)

# Skipped, with a warning, on a machine without Chromium or Node.js (.ci/run
# installs Chromium, so CI always runs them).
test-browser:
	@if [ ! -x "$${CHROMIUM:-/usr/bin/chromium}" ] || ! command -v npm >/dev/null; then \
	  echo "WARNING: browser tests skipped: install chromium and nodejs (apt-get install chromium nodejs npm) or run .ci/run"; \
	else $(MAKE) -C test/browser test; fi

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) run $(STATICCHECK) $(PKGS)

vulncheck:
	@db=$$(mktemp -d) && trap 'rm -rf $$db' EXIT && \
	$(GO) mod download $(VULNDB) && \
	$(GO) run golang.org/x/vulndb/cmd/indexdb@$(VULNDB_VERSION) -out $$db/db \
	  -vulns "$$($(GO) env GOMODCACHE)/$(VULNDB)/data/osv" && \
	$(GO) run $(GOVULNCHECK) -db file://$$db/db $(PKGS)

# A bounded run of every fuzz target (go test -fuzz takes one target at a time).
# Go's fuzzer can still end a healthy run with "context deadline exceeded" when
# its time runs out while a worker minimizes (seen in CI under load, with no
# failing input written): such a run is tried once more; a real failure,
# which writes its input under testdata/fuzz, is not.
FUZZ_RUN = $(GO) test -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME) $$pkg
fuzz:
	@for t in $(FUZZ_TARGETS); do pkg=$${t%%:*}; fn=$${t##*:}; \
	  echo "fuzz $$fn in $$pkg for $(FUZZTIME)"; out=$$(mktemp); \
	  if $(FUZZ_RUN) >$$out 2>&1; then cat $$out; rm -f $$out; continue; fi; cat $$out; \
	  if grep -q 'context deadline exceeded' $$out && ! grep -q 'Failing input written' $$out; then \
	    rm -f $$out; echo "fuzz $$fn: the fuzzer timed out while minimizing; running it again"; \
	    $(FUZZ_RUN) || exit 1; \
	  else rm -f $$out; exit 1; fi; \
	done

bench:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m $(PKGS)

clean:
	rm -rf bin
