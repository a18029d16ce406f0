#!/usr/bin/env bash
# Builds the web demo (and the cidrplan npm package under it when missing) and runs its
# browser test in Debian's Chromium. Idempotent on a fresh machine: installs Chromium with
# apt when missing, the wasm tools, and web-demo's npm dependencies from its lockfile.
# CARGO_TARGET_DIR: where cargo builds the WebAssembly (default: <repo>/target).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

if [ ! -x /usr/bin/chromium ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
  echo "test-web: installing Debian's chromium"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
fi

# The demo's build compiles bindings/wasm when its pkg/ is missing: that needs the tools.
if [ ! -f "$ROOT/bindings/wasm/pkg/web/cidrplan_bg.wasm" ]; then
  bash "$ROOT/scripts/install-wasm-tools.sh"
fi

cd "$ROOT/web-demo"
npm ci --no-audit --no-fund
npm run build
npm test
