#!/usr/bin/env bash
# Installs what the build and tests need on a fresh Debian 12 machine. Idempotent and quiet:
# a machine that already has everything only pays for a few dpkg queries.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: the toolchain (Emscripten, doctest, clang + its sanitizer/fuzzer runtimes),
# the JSON and zlib libraries the CLI uses, the real Flask-Limiter the conformance tests compare
# against, pyflakes (the playground's generated app.py must have no unused import or undefined name),
# terser (minifies the scripts the site ships), and Chromium for the browser tests (no recommends:
# headless needs none of them).
apt_packages=(emscripten doctest-dev nlohmann-json3-dev zlib1g-dev clang libclang-rt-14-dev
              python3-flask-limiter python3-pyflakes node-terser cmake g++ nodejs npm)
browser_packages=(chromium chromium-driver)

missing() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || echo "$p"
  done
}

install_missing() {
  local -a want
  mapfile -t want < <(missing "${@:2}")
  [ ${#want[@]} -eq 0 ] && return 0
  echo "setup: installing ${want[*]}" >&2
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ -z "${SETUP_APT_UPDATED:-}" ]; then
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    SETUP_APT_UPDATED=1
  fi
  # shellcheck disable=SC2086
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $1 "${want[@]}" >/dev/null
}

# nodejs/npm may come from nodesource rather than Debian; only ask apt for them when absent.
command -v node >/dev/null && command -v npm >/dev/null &&
  apt_packages=("${apt_packages[@]/nodejs}") && apt_packages=("${apt_packages[@]/npm}")
apt_packages=(${apt_packages[@]})

install_missing "" "${apt_packages[@]}"
install_missing "--no-install-recommends" "${browser_packages[@]}"

# npm dev dependencies, pinned exactly in package.json / package-lock.json (no browser download):
# `npm ci` unless every one is installed at its pinned version.
npm_stale=$(node -p 'const d = require("./package.json").devDependencies;
  Object.keys(d).some((n) => { try { return require(`./node_modules/${n}/package.json`).version !== d[n]; }
                               catch { return true; } })')
if [ "$npm_stale" = "true" ]; then
  echo "setup: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi
