#!/usr/bin/env bash
# Builds the tutorial (the WebAssembly engine and the static site) and serves it on localhost
# under the same strict Content-Security-Policy the browser tests use. PORT (default 8000).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

export NODE_PATH=/usr/share/nodejs   # Emscripten's optimizer needs Debian's node modules
emcmake cmake -S . -B build-wasm -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null
cmake --build build-wasm -j"$(nproc)" >/dev/null
exec node scripts/static-server.mjs build-wasm/site "${PORT:-8000}"
