# The README's two commands: `make demo` and `make test`. Each installs missing Debian
# packages (scripts/deps.sh), builds with CMake, then does its job.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
DEMO_DB ?= demo/yilian.db
DEMO_PORT ?= 8080
FUZZ_SECONDS ?= 20

.PHONY: all deps build test test-unit test-asan test-fuzz demo lint clean

all: build

deps:
	@sh scripts/deps.sh

build: deps
	cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DYL_WERROR=ON >/dev/null
	cmake --build build -j $(JOBS)

# Every test: the suite, the suite again under ASan+UBSan, the fuzz targets briefly, lint.
test: lint test-unit test-asan test-fuzz
	@echo "make test: all passed"

test-unit: build
	cd build && ctest --output-on-failure -j $(JOBS)

test-asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DYL_WERROR=ON -DYL_SANITIZE=ON >/dev/null
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS)

test-fuzz: deps
	CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DYL_FUZZ=ON >/dev/null
	cmake --build build-fuzz -j $(JOBS)
	sh scripts/fuzz.sh build-fuzz $(FUZZ_SECONDS)

lint:
	@sh scripts/lint.sh

demo: build
	@mkdir -p $(dir $(DEMO_DB))
	./build/yilian demo --db $(DEMO_DB) --serve --port $(DEMO_PORT)

clean:
	rm -rf build build-asan build-fuzz
