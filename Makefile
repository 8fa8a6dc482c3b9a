# The two set-up commands of README.md: `make demo` and `make test`.
# Both install what is missing (Debian's chromium), build, and run.

CHROME     ?= /usr/bin/chromium
BIN        := bin/observatoire
GO         ?= go
AXE_VERSION := $(shell cat scanner/axe/VERSION)
# sha512 integrity of axe-core's npm tarball, as the registry publishes it.
AXE_INTEGRITY := sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all build demo test vet fmt deps chromium axe bench bench-real fuzz clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/observatoire

# Chromium from Debian's package when it is absent: nothing here downloads
# a browser of its own.
chromium:
	@if [ ! -x "$(CHROME)" ]; then \
		echo "Installing Debian's chromium package (absent at $(CHROME))"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; \
	fi
	@"$(CHROME)" --version

deps: chromium
	@command -v $(GO) >/dev/null || { echo "Go is missing: install Go 1.26 or newer"; exit 1; }
	$(GO) mod download

demo: deps build
	./$(BIN) demo

vet:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
		if [ -n "$$out" ]; then echo "gofmt would change: $$out"; exit 1; fi

test: deps vet
	$(GO) test -count=1 -timeout 30m ./...

# Fetches axe-core again from the npm registry and checks that the embedded
# file is the published one, byte for byte.
axe:
	@tmp=$$(mktemp -d) && cd $$tmp && \
		npm pack --silent axe-core@$(AXE_VERSION) >/dev/null && \
		got=$$(echo "sha512-$$(openssl dgst -sha512 -binary axe-core-$(AXE_VERSION).tgz | base64 -w0)") && \
		[ "$$got" = "$(AXE_INTEGRITY)" ] || { echo "axe-core tarball integrity mismatch: $$got"; exit 1; } && \
		tar xzf axe-core-$(AXE_VERSION).tgz && \
		cmp package/axe.min.js $(CURDIR)/scanner/axe/axe.min.js && \
		cmp package/LICENSE $(CURDIR)/scanner/axe/LICENSE && \
		echo "axe-core $(AXE_VERSION): embedded file matches the npm package" && rm -rf $$tmp

# The benchmark: the whole demo catalogue against the generator's expected
# verdicts, then bench/main.go (scanner vs pa11y-ci and Lighthouse on the
# same pages and the same Chromium); writes bench/results.json and
# docs/benchmarks.md. BENCH_FLAGS passes flags to it. Then, when the
# real-page corpus is there (REAL_PAGES), the real-page run (bench-real).
REAL_PAGES ?= ../shared/data/real-pages
bench: deps bench/node_modules
	OBSERVATOIRE_DEMO_LONG=1 $(GO) test -count=1 -timeout 120m -run TestDemoVerdicts ./fixtures/
	$(GO) run ./bench $(BENCH_FLAGS)
	@if [ -f $(REAL_PAGES)/pages.json ]; then $(MAKE) bench-real; else echo "no real-page corpus at $(REAL_PAGES): real-page run skipped"; fi

# The real-page benchmark alone: the corpus's pages served on 127.0.0.1,
# repeated to 100 URLs, scanner vs pa11y-ci vs Lighthouse; added to
# bench/results.json and docs/benchmarks.md beside the demo figures.
bench-real: bench/node_modules
	$(GO) run ./bench -real-pages $(REAL_PAGES) $(REAL_BENCH_FLAGS)

# pa11y-ci and Lighthouse at the versions pinned in bench/package-lock.json,
# without the browser puppeteer would download: they use $(CHROME).
bench/node_modules: bench/package.json bench/package-lock.json
	cd bench && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund
	@touch $@

# Every Fuzz target of the tree (listed by go test -list), one after
# another, FUZZTIME each, on one core. A failing input is written under its
# package's testdata/fuzz/FuzzXxx/, which `make test` then replays; see
# docs/fuzzing.md.
FUZZTIME ?= 1m
fuzz:
	@list=$$($(GO) test -list '^Fuzz' ./...) || { echo "$$list"; exit 1; }; \
	echo "$$list" | \
		awk '/^Fuzz/ { t[n++] = $$1 } /^ok / { for (i = 0; i < n; i++) print $$2, t[i]; n = 0 }' | \
		while read -r pkg target; do \
			echo "== $$pkg $$target ($(FUZZTIME))"; \
			$(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) -parallel 1 $$pkg || exit 1; \
		done

clean:
	rm -rf bin public
