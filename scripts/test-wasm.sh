#!/usr/bin/env bash
# Builds and tests the npm package (bindings/wasm) from a fresh machine: installs the
# tools it needs, installs the package's dev dependencies from its lockfile, builds the
# WebAssembly package and runs its node:test suite.
# CARGO_TARGET_DIR: where cargo builds (default: <repo>/target).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

bash "$ROOT/scripts/install-wasm-tools.sh"

cd "$ROOT/bindings/wasm"
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi
npm run build
npm test
