#!/usr/bin/env bash
# Builds everything and runs every test:
#   native   core + CLI unit tests, CLI end to end, conformance against the real Flask-Limiter
#   asan     the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   fuzz     the rate-string parser, the scenario reader and the log parser under libFuzzer, for a bounded time
#   wasm     the WebAssembly module in Node, and the site in headless Chromium under a strict CSP
#   bench    scripts/bench.sh with tiny workloads (BENCH_QUICK): every benchmark still runs and
#            prints every figure; no timing is judged
# FUZZ_SECONDS (default 30) sets the time per fuzz target.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

export NODE_PATH=/usr/share/nodejs   # Emscripten's optimizer needs Debian's node modules
export TMPDIR="${TMPDIR:-/tmp}"
jobs=$(nproc)
step() { printf '\n==> %s\n' "$*"; }

step "native build and tests"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure --no-tests=error -j"$jobs"

step "AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DRATELIMIT_SANITIZE=ON -DBUILD_TESTING=ON >/dev/null
cmake --build build-asan -j"$jobs"
ctest --test-dir build-asan --output-on-failure --no-tests=error -j"$jobs"

step "fuzzing (libFuzzer, ${FUZZ_SECONDS:-30} s per target)"
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DRATELIMIT_FUZZ=ON \
  -DBUILD_TESTING=OFF >/dev/null
cmake --build build-fuzz -j"$jobs" --target fuzz_rate_parser fuzz_scenario_reader fuzz_access_log
for target in fuzz_rate_parser fuzz_scenario_reader fuzz_access_log; do
  corpus="build-fuzz/corpus/$target"
  mkdir -p "$corpus"
  "build-fuzz/$target" "$corpus" "tests/fuzz/seeds/$target" -max_total_time="${FUZZ_SECONDS:-30}" \
    -max_len=4096 -print_final_stats=1 2>&1 | tail -n 3
done

step "WebAssembly build, Node and browser tests"
emcmake cmake -S . -B build-wasm -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON \
  -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null
cmake --build build-wasm -j"$jobs"
ctest --test-dir build-wasm --output-on-failure --no-tests=error

step "benchmarks, smoke run (tiny workloads; figures not judged)"
BENCH_QUICK=1 ./scripts/bench.sh

step "all tests passed"
