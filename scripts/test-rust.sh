#!/usr/bin/env bash
# Rust: formatting, lints, every workspace test, and the core built for a target
# without std (with and without serde). Installs the pieces it needs, idempotently.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

NO_STD_TARGET=x86_64-unknown-none
for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    rustup component add "$component"
  fi
done
if ! rustup target list --installed | grep -qx "$NO_STD_TARGET"; then
  rustup target add "$NO_STD_TARGET"
fi

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== cargo test --workspace"
cargo test --workspace --locked
echo "== no_std build of the core ($NO_STD_TARGET)"
cargo build -p cidrplan --no-default-features --target "$NO_STD_TARGET" --locked
cargo build -p cidrplan --no-default-features --features serde --target "$NO_STD_TARGET" --locked
cargo build -p cidrplan --no-default-features --features import --target "$NO_STD_TARGET" --locked
cargo build -p cidrplan --no-default-features --features schema --target "$NO_STD_TARGET" --locked
echo "== rustdoc (broken links and missing docs are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc -p cidrplan --no-deps --features serde,import,schema --locked
echo "== benchmarks compile"
cargo bench -p cidrplan --no-run --locked
