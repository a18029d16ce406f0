#!/usr/bin/env bash
# Installs what `npm run build` in bindings/wasm needs: the wasm32 target, the
# wasm-bindgen CLI at exactly the version bindings/wasm/Cargo.toml pins, wasm-opt
# (binaryen) when the system package manager can provide it, and the nightly toolchain's
# rust-src, with which the build recompiles the standard library for size (without it
# the build still works, on stable, and the module is about 20 KB larger).
# Idempotent: each step is skipped when its tool is already there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The CLI must match the wasm-bindgen crate exactly, so read the pin from the manifest.
WB_VERSION="$(sed -n 's/^wasm-bindgen *= *{[^}]*version *= *"=\([0-9.]*\)".*/\1/p; s/^wasm-bindgen *= *"=\([0-9.]*\)".*/\1/p' \
  "$ROOT/bindings/wasm/Cargo.toml" | head -n1)"
if [ -z "$WB_VERSION" ]; then
  echo "install-wasm-tools: no '=X.Y.Z' wasm-bindgen pin found in bindings/wasm/Cargo.toml" >&2
  exit 1
fi

if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "install-wasm-tools: wasm32-unknown-unknown target present"
else
  rustup target add wasm32-unknown-unknown
fi

# rust-src for nightly: `-Zbuild-std` with immediate-abort panics drops the standard
# library's panic and formatting machinery from the module.
if rustup toolchain list | grep -q '^nightly' \
  && rustup component list --toolchain nightly --installed 2>/dev/null | grep -qx rust-src; then
  echo "install-wasm-tools: nightly rust-src present"
elif rustup toolchain list | grep -q '^nightly'; then
  rustup component add rust-src --toolchain nightly \
    || echo "install-wasm-tools: WARNING: no rust-src for nightly; the module is built on stable (larger)" >&2
else
  rustup toolchain install nightly --profile minimal --component rust-src \
    || echo "install-wasm-tools: WARNING: no nightly toolchain; the module is built on stable (larger)" >&2
fi

have_wb="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have_wb" = "$WB_VERSION" ]; then
  echo "install-wasm-tools: wasm-bindgen $WB_VERSION present"
else
  echo "install-wasm-tools: installing wasm-bindgen-cli $WB_VERSION (found '${have_wb:-none}')"
  # No --locked: the CLI's lockfile pins crates this mirror may not serve.
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

if command -v wasm-opt >/dev/null 2>&1; then
  echo "install-wasm-tools: wasm-opt present ($(wasm-opt --version))"
else
  SUDO=""
  if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
  if command -v apt-get >/dev/null 2>&1 \
    && $SUDO apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq binaryen; then
    echo "install-wasm-tools: wasm-opt installed ($(wasm-opt --version))"
  else
    echo "install-wasm-tools: WARNING: could not install binaryen; builds skip wasm-opt" >&2
  fi
fi
