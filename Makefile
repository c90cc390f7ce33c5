# Our Voice — the two commands are `make run` and `make test` (see README.md).
# Everything is built by Meson and Ninja; this file only strings the steps together.

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 120
FUZZERS    := router jsonf receipt
DB         ?= var/demo.db
PORT       ?= 8080
BIND       ?= 127.0.0.1

.PHONY: all build asan deps deps-test run demo-db test test-unit test-api bench format \
        format-check clean fuzz

all: build

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

build: $(BUILD)/build.ninja
	ninja -C $(BUILD)

asan: $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)

$(FUZZ_BUILD)/build.ninja:
	CC=clang meson setup $(FUZZ_BUILD) -Dfuzz=true

# libFuzzer, FUZZ_SECONDS per driver (tests/fuzz/README.md). New inputs go to
# $(FUZZ_BUILD)/corpus/<name>, crashes to artifacts/fuzz-<name>-*.
fuzz:
	@tools/install-deps.sh --fuzz
	@$(MAKE) --no-print-directory $(FUZZ_BUILD)/build.ninja
	ninja -C $(FUZZ_BUILD)
	@mkdir -p artifacts
	@for f in $(FUZZERS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$f; \
	  echo "== fuzz_$$f ($(FUZZ_SECONDS) s)"; \
	  dict=""; [ -f tests/fuzz/$$f.dict ] && dict="-dict=tests/fuzz/$$f.dict"; \
	  $(FUZZ_BUILD)/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 $$dict \
	    -artifact_prefix=artifacts/fuzz-$$f- $(FUZZ_BUILD)/corpus/$$f tests/fuzz/corpus/$$f \
	    >artifacts/fuzz-$$f.log 2>&1 || { tail -n 40 artifacts/fuzz-$$f.log; exit 1; }; \
	  grep -h '^Done' artifacts/fuzz-$$f.log; \
	done

deps:
	@tools/install-deps.sh

deps-test:
	@tools/install-deps.sh --test

# A new demo database also gets DEMO_CASES synthetic cases, so the public dashboard has
# figures to show (docs/statistics.md).
DEMO_CASES ?= 5000

demo-db: build
	@mkdir -p $(dir $(DB))
	@if [ ! -f $(DB) ]; then $(BUILD)/ourvoice init --db $(DB) --demo && \
	   $(BUILD)/ourvoice seed --db $(DB) --synthetic $(DEMO_CASES); \
	 else $(BUILD)/ourvoice init --db $(DB) --demo >/dev/null; fi

run: deps
	@$(MAKE) --no-print-directory demo-db
	$(BUILD)/ourvoice serve --db $(DB) --port $(PORT) --bind $(BIND)

test: deps-test
	@$(MAKE) --no-print-directory build asan
	@tests/run.sh

bench:
	@tools/install-deps.sh --bench
	@$(MAKE) --no-print-directory build
	@bench/run.sh

format:
	clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c')

format-check:
	clang-format --dry-run --Werror $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
