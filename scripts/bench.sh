#!/usr/bin/env bash
# Builds what the benchmarks need and runs them all in one go, printing one table: ns per
# decision of the native core, the WebAssembly batch engine in Node and the libraries people
# would otherwise use (npm limiter, rate-limiter-flexible, express-rate-limit; Python limits
# 2.8.0), then the site in headless Chromium, sizes and memory. Tests never assert timings;
# this is where they are measured. BUILD_DIR and WASM_BUILD_DIR (default build, build-wasm)
# choose the build directories. Takes about four minutes; BENCH_QUICK=1 runs tiny workloads
# instead (scripts/test.sh's smoke run: every figure still printed, none meaningful).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

export NODE_PATH=/usr/share/nodejs   # Emscripten's optimizer needs Debian's node modules
native="${BUILD_DIR:-build}"
wasm="${WASM_BUILD_DIR:-build-wasm}"
jobs=$(nproc)
cmake -S . -B "$native" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$native" -j"$jobs" --target bench_native >/dev/null
emcmake cmake -S . -B "$wasm" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null
cmake --build "$wasm" -j"$jobs" >/dev/null

results=$(mktemp)
trap 'rm -f "$results"' EXIT
echo "bench: native core" >&2
"$native/bench_native" >>"$results"
echo "bench: WebAssembly and npm limiters in Node" >&2
node bench/node_bench.mjs "$wasm/engine" >>"$results"
echo "bench: Python limits 2.8.0" >&2
/usr/bin/python3 bench/limits_bench.py >>"$results"
echo "bench: Chromium" >&2
SITE_DIR="$wasm/site" node bench/browser_bench.mjs "$wasm/engine" >>"$results"
node bench/report.mjs <"$results"
