# kamgo — build, run and test. `make test` is what CI runs (.ci/run).
GO       ?= go
STATICCHECK_VERSION ?= 0.8.2
BIN      := bin/kamgo
FUZZTIME ?= 10m
# fuzz targets as package:Target
FUZZ_TARGETS ?= ./lang/preproc:FuzzPreprocess ./lang/parser:FuzzParse ./pv:FuzzParse \
	./runtime/sip:FuzzParseMessage ./runtime/sip:FuzzURI ./runtime/sip:FuzzVia \
	./runtime/sip:FuzzNameAddr ./runtime/sip:FuzzFramer ./lang/posixre:FuzzTranslate \
	./runtime/rpc:FuzzServeRequest ./runtime/core:FuzzDispatch

.PHONY: build run test deps bench bench-sipp fuzz lint clean

build:
	$(GO) build -o $(BIN) ./cmd/kamgo

# run: the daemon in the foreground, logging to stderr, on the embedded
# default config (examples/default.cfg: a stateless responder on
# 127.0.0.1:5060). Stop it with Ctrl-C.
run: build
	./$(BIN) run -D -E

# deps installs what the tests need: Kamailio 5.6 (the reference parser for
# tests/) and SIPp.
deps:
	@if ! command -v kamailio >/dev/null 2>&1 || ! command -v sipp >/dev/null 2>&1; then \
		echo "installing kamailio and sip-tester"; \
		SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && $$SUDO DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kamailio sip-tester >/dev/null; \
	fi

test: deps lint
	$(GO) test -count=1 ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# bench-sipp: the same stateless SIPp OPTIONS load against kamgo and, when
# installed, Kamailio with an equivalent config; prints CPU seconds per
# 10,000 requests for each (figures in docs/PERFORMANCE.md).
bench-sipp: deps
	$(GO) run ./tests/bench/benchsipp

# Each fuzz target runs for FUZZTIME (make fuzz FUZZTIME=30s for a quick look).
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "== $$name ($$pkg) for $(FUZZTIME)"; \
		$(GO) test $$pkg -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 5s -timeout 0 -parallel 1 || exit 1; \
	done

# lint: gofmt, go vet and staticcheck (a pinned version, installed when missing).
lint:
	@out=$$(gofmt -l $$(find . -name '*.go' -not -path './.git/*')); [ -z "$$out" ] || { echo "gofmt would change:"; echo "$$out"; exit 1; }
	$(GO) vet ./...
	@sc=$$($(GO) env GOPATH)/bin/staticcheck; \
	if ! $$sc -version 2>/dev/null | grep -q "($(STATICCHECK_VERSION))"; then \
		echo "installing staticcheck $(STATICCHECK_VERSION)"; \
		$(GO) install honnef.co/go/tools/cmd/staticcheck@v$(STATICCHECK_VERSION) || exit 1; \
	fi; \
	$$sc ./...

clean:
	rm -rf bin
