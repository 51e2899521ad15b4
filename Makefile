# endstate: the two commands a fresh Debian 12 machine needs are `make demo`
# and `make test` (README). Everything else here is for development.

BUILD      ?= build/release
JOBS       ?= $(shell nproc)
CTEST_ARGS ?=
DEMO_OUT   ?= demo-out
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
empty :=
space := $(empty) $(empty)

.PHONY: demo test deps configure build bench dev format tidy lint clean docs fuzz serve serve-bench

deps:
	@scripts/install-deps

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DENDSTATE_BUILD_TESTS=ON -DENDSTATE_BUILD_BENCH=OFF -DENDSTATE_TEST_POSTGRESQL=ON

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# The demo never writes over an earlier demo's database (it holds an audit
# history): an existing $(DEMO_OUT) is moved aside first, and the move is said.
demo: build
	@if [ -e $(DEMO_OUT) ]; then prev=$(DEMO_OUT).$$(date +%Y%m%dT%H%M%S); mv $(DEMO_OUT) $$prev; \
	  echo "make demo: moved the previous $(DEMO_OUT) to $$prev"; fi
	@$(BUILD)/apps/endstate/endstate demo --out $(DEMO_OUT)

test: build
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) $(CTEST_ARGS)

# The HTTP API and dashboard on the Carana demo (docs/server.md): the demo
# database is written into $(SERVE_OUT) once, with one user per role
# (password <name>-password, for the demo only), then served on SERVE_LISTEN.
SERVE_OUT    ?= demo-serve
SERVE_LISTEN ?= 127.0.0.1:8080
serve: build
	@if [ ! -e $(SERVE_OUT)/endstate.db ]; then \
	  $(BUILD)/apps/endstate/endstate demo --out $(SERVE_OUT) > /dev/null && \
	  for u in analyst:analyst planner:planner signatory-un:signatory:un public:public admin:admin; do \
	    name=$${u%%:*}; role=$${u#*:}; \
	    echo "$$name-password" | $(BUILD)/apps/endstate/endstate --db $(SERVE_OUT)/endstate.db users add \
	      --name $$name --role $$role --password-file - > /dev/null || exit 1; \
	  done; \
	  echo "make serve: demo database in $(SERVE_OUT)/; users analyst, planner, signatory-un, public, admin (password <name>-password)"; \
	fi
	@$(BUILD)/apps/endstate/endstate --db $(SERVE_OUT)/endstate.db serve --listen $(SERVE_LISTEN)

# Load benchmark of the server (wrk, loopback, 64 connections) against the CLI; docs/performance.md.
serve-bench: build
	@bench/server_load.sh $(BUILD)

# Benchmarks (Google Benchmark + the pandas/geopandas comparison); see docs/performance.md.
bench: deps
	@cmake -S . -B build/bench -DCMAKE_BUILD_TYPE=Release -DENDSTATE_BUILD_TESTS=OFF -DENDSTATE_BUILD_BENCH=ON
	@cmake --build build/bench -j $(JOBS)
	@scripts/run-benchmarks build/bench

# libFuzzer harnesses (clang, ASan + UBSan, libraries instrumented) in build/fuzz:
# replays tests/fuzz/corpus/<reader>/ and fuzzes each reader for FUZZ_SECONDS
# (default 60; FUZZ_TARGETS="framework ucdp_geojson" for a subset). The working
# corpus grows in build/fuzz/fuzz-corpus/, crashes land in build/fuzz/fuzz-artifacts/.
fuzz: deps
	@cmake -DMODE=fuzz -DSOURCE_DIR=$(CURDIR) -DBUILD_DIR=$(CURDIR)/build/fuzz -DJOBS=$(JOBS) \
	  -DSECONDS=$(FUZZ_SECONDS) $(if $(FUZZ_TARGETS),"-DTARGETS=$(subst $(space),;,$(strip $(FUZZ_TARGETS)))") \
	  -P cmake/ci_sanitizers.cmake

# Development build: RelWithDebInfo, ccache, tests and benchmarks.
dev: deps
	@cmake --preset dev
	@cmake --build build/dev -j $(JOBS)

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.hpp')

tidy: dev
	@run-clang-tidy -p build/dev -quiet $$(git ls-files 'src/*.cpp' 'apps/*.cpp')

# Fails when a file is not formatted or clang-tidy warns (scripts/lint).
lint: dev
	@scripts/lint format
	@scripts/lint tidy build/dev

# Regenerates docs/cli.md from the binary of $(BUILD) (build it first: make build, or make dev BUILD=build/dev).
docs:
	@$(BUILD)/apps/endstate/endstate help --markdown > docs/cli.md

clean:
	@rm -rf build
