# Our Voice — the two commands are `make run` and `make test` (see README.md).
# Everything is built by Meson and Ninja; this file only strings the steps together.

BUILD      ?= build
ASAN_BUILD ?= build-asan
DB         ?= var/demo.db
PORT       ?= 8080
BIND       ?= 127.0.0.1

.PHONY: all build asan deps deps-test run demo-db test test-unit test-api bench format \
        format-check clean

all: build

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

build: $(BUILD)/build.ninja
	ninja -C $(BUILD)

asan: $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)

deps:
	@tools/install-deps.sh

deps-test:
	@tools/install-deps.sh --test

demo-db: build
	@mkdir -p $(dir $(DB))
	@if [ ! -f $(DB) ]; then $(BUILD)/ourvoice init --db $(DB) --demo; \
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
	rm -rf $(BUILD) $(ASAN_BUILD)
