# Consulta: the everyday commands. `make test` is what CI runs (.ci/run).
GO      ?= go
PKGS    ?= ./...
BIN     ?= bin/consulta
TAGS    ?= ferretdb_no_postgresql
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
GOVULNCHECK ?= golang.org/x/vuln/cmd/govulncheck@v1.1.4
# The vulnerability database is built offline from the golang.org/x/vulndb module
# (fetched through the Go module proxy), since vuln.go.dev is not reachable here.
# Bump the version to pick up newer advisories.
VULNDB_VERSION ?= v0.0.0-20261105234957-e22db6528018
VULNDB  = golang.org/x/vulndb@$(VULNDB_VERSION)

# Build with the toolchain go.mod names (go1.26.10: security fixes over 1.26.8),
# downloaded through the module proxy when the installed Go is older.
export GOTOOLCHAIN := auto
# Each fuzz target runs this long in `make test` (4 targets: about 1.5 minutes).
FUZZTIME ?= 15s
FUZZ_TARGETS = ./internal/forms:FuzzParse ./internal/forms:FuzzValidate \
               ./internal/server:FuzzDecodeSubmit ./internal/importer:FuzzParse

.PHONY: all build run test test-go test-browser lint bench fuzz vulncheck clean

all: build

build:
	$(GO) build -tags $(TAGS) -trimpath -o $(BIN) ./cmd/consulta

run:
	$(GO) run -tags $(TAGS) ./cmd/consulta

# Every test: Go packages (against the embedded store over the wire) and, when the
# browser tools are installed (.ci/run installs them), the Chromium tests.
test: test-go fuzz test-browser

test-go:
	$(GO) vet -tags $(TAGS) $(PKGS)
	$(GO) test -tags $(TAGS) -count=1 -timeout 20m $(PKGS)

# Skipped, with a warning, on a machine without Chromium or Node.js (.ci/run
# installs Chromium, so CI always runs them).
test-browser:
	@if [ ! -x "$${CHROMIUM:-/usr/bin/chromium}" ] || ! command -v npm >/dev/null; then \
	  echo "WARNING: browser tests skipped: install chromium and nodejs (apt-get install chromium nodejs npm) or run .ci/run"; \
	else $(MAKE) -C test/browser test; fi

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet -tags $(TAGS) $(PKGS)
	$(GO) run $(STATICCHECK) -tags $(TAGS) $(PKGS)

vulncheck:
	@db=$$(mktemp -d) && trap 'rm -rf $$db' EXIT && \
	$(GO) mod download $(VULNDB) && \
	$(GO) run golang.org/x/vulndb/cmd/indexdb@$(VULNDB_VERSION) -out $$db/db \
	  -vulns "$$($(GO) env GOMODCACHE)/$(VULNDB)/data/osv" && \
	$(GO) run $(GOVULNCHECK) -db file://$$db/db -tags $(TAGS) $(PKGS)

# A bounded run of every fuzz target (go test -fuzz takes one target at a time).
fuzz:
	@for t in $(FUZZ_TARGETS); do pkg=$${t%%:*}; fn=$${t##*:}; \
	  echo "fuzz $$fn in $$pkg for $(FUZZTIME)"; \
	  $(GO) test -tags $(TAGS) -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	done

bench:
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem -timeout 60m $(PKGS)

clean:
	rm -rf bin
