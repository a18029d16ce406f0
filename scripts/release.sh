#!/usr/bin/env bash
# The release command: builds every artifact users install into dist/, checks each the way
# its registry or its users would, and prints their sizes.
#
#   dist/cidrplan-VERSION.tar.gz                           Python sdist
#   dist/cidrplan-VERSION-cp310-abi3-manylinux*.whl        Python wheel (abi3, manylinux 2.17,
#                                                          built with zig; auditwheel, abi3audit)
#   dist/cidrplan-VERSION.tgz                              npm package (npm pack)
#   dist/cidrplan-VERSION.crate, cidrplan-cli-VERSION.crate  crates (cargo package)
#   dist/cidrplan-cli-VERSION-x86_64-unknown-linux-gnu.tar.gz  the CLI: bin/, man pages, shell
#                                                          completions under share/; licences
#   dist/SHA256SUMS
#
# Every artifact carries LICENSE-MIT and LICENSE-APACHE. Idempotent on a fresh machine: the
# Python tools go into .venv-release (maturin, ziglang, auditwheel, abi3audit from PyPI), the
# wasm tools come from scripts/install-wasm-tools.sh. Publishing is not done here; see
# .github/workflows/release.yml.
# Environment: CARGO_TARGET_DIR (default <repo>/target).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
export PIP_DISABLE_PIP_VERSION_CHECK=1
DIST="$ROOT/dist"
TOOLS="$ROOT/.venv-release"
VERSION="$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' Cargo.toml)"
TRIPLE="$(rustc -vV | sed -n 's/^host: //p')"
start=$(date +%s)

step() { echo; echo "== release: $*"; }
fail() { echo "release: $*" >&2; exit 1; }

step "tools (.venv-release)"
if [ ! -x "$TOOLS/bin/python" ]; then
  "${PYTHON:-python3}" -m venv "$TOOLS"
fi
if ! "$TOOLS/bin/python" -c "import maturin, ziglang, auditwheel, abi3audit" 2>/dev/null; then
  "$TOOLS/bin/pip" install --quiet "maturin>=1.9.4,<2" "ziglang>=0.13" "auditwheel>=6" "abi3audit>=0.0.20"
fi
bash "$ROOT/scripts/install-wasm-tools.sh"

rm -rf "$DIST"
mkdir -p "$DIST"

step "Python sdist and abi3 wheel (maturin --zig, manylinux 2.17)"
# An extension left in the source tree by `maturin develop` must not ship in the sdist.
rm -f "$ROOT"/bindings/python/python/cidrplan/_native*.so
"$TOOLS/bin/maturin" sdist --out "$DIST"
# zig links against glibc 2.17's symbols, so the wheel runs on any manylinux2014 system
# whatever the build machine's glibc; no Docker image is needed.
PATH="$TOOLS/bin:$PATH" "$TOOLS/bin/maturin" build --release --locked --zig \
  --compatibility manylinux2014 --out "$DIST"
WHEEL="$(ls "$DIST"/cidrplan-"$VERSION"-cp310-abi3-manylinux*.whl)"
audit="$("$TOOLS/bin/auditwheel" show "$WHEEL")"
echo "$audit"
# auditwheel wraps its text at the file name's length: read it as one line.
grep -q 'is consistent with the following platform tag: "manylinux_2_17_x86_64"' <<<"$(tr -s '\n ' '  ' <<<"$audit")" \
  || fail "auditwheel: the wheel is not manylinux_2_17"
"$TOOLS/bin/abi3audit" --strict --summary "$WHEEL"
# Listings are read whole first: `grep -q` closing a pipe early fails it under pipefail.
has() { grep -qx -- "$2" <<<"$1" || fail "$3"; }
wheel_files="$("$TOOLS/bin/python" -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$WHEEL")"
sdist_files="$(tar -tzf "$DIST/cidrplan-$VERSION.tar.gz")"
for lic in LICENSE-MIT LICENSE-APACHE; do
  has "$wheel_files" "cidrplan-$VERSION.dist-info/licenses/$lic" "$lic missing from the wheel"
  has "$sdist_files" "cidrplan-$VERSION/$lic" "$lic missing from the sdist"
done

step "npm package (bindings/wasm: build, npm pack)"
(
  cd bindings/wasm
  npm ci --no-audit --no-fund
  npm run build
  npm pack --pack-destination "$DIST"
)
npm_files="$(tar -tzf "$DIST/cidrplan-$VERSION.tgz")"
for f in LICENSE-MIT LICENSE-APACHE pkg/web/cidrplan_bg.wasm pkg/node/index.cjs; do
  has "$npm_files" "package/$f" "$f missing from the npm tarball"
done

step "crates (cargo package; cargo publish --dry-run for the core)"
# Packaging both at once lets the CLI's package resolve the core it has not published yet;
# the CLI is built from the workspace below, so its package is not built a second time.
cargo package -p cidrplan -p cidrplan-cli --locked --allow-dirty --no-verify
# The core's dry run verifies what crates.io would receive; it reads the registry's index.
cargo publish -p cidrplan --dry-run --locked --allow-dirty
for crate in cidrplan cidrplan-cli; do
  file="$CARGO_TARGET_DIR/package/$crate-$VERSION.crate"
  crate_files="$(tar -tzf "$file")"
  for lic in LICENSE-MIT LICENSE-APACHE; do
    has "$crate_files" "$crate-$VERSION/$lic" "$lic missing from $crate's crate"
  done
  cp "$file" "$DIST/"
done

step "CLI release binary, man pages, completions"
cargo build --release --locked -p cidrplan-cli
BIN="$CARGO_TARGET_DIR/release/cidrplan"
STAGE="$DIST/.stage/cidrplan-cli-$VERSION-$TRIPLE"
rm -rf "$DIST/.stage"
mkdir -p "$STAGE/bin" "$STAGE/share/man/man1" "$STAGE/share/bash-completion/completions" \
  "$STAGE/share/zsh/site-functions" "$STAGE/share/fish/vendor_completions.d" \
  "$STAGE/share/doc/cidrplan"
cp "$BIN" "$STAGE/bin/cidrplan"
# Symbols are a third of the binary and no use to operators (panics keep their messages).
if command -v strip >/dev/null 2>&1; then strip "$STAGE/bin/cidrplan"; fi
"$BIN" __man-pages "$STAGE/share/man/man1"
"$BIN" completions bash >"$STAGE/share/bash-completion/completions/cidrplan"
"$BIN" completions zsh >"$STAGE/share/zsh/site-functions/_cidrplan"
"$BIN" completions fish >"$STAGE/share/fish/vendor_completions.d/cidrplan.fish"
cp README.md LICENSE-MIT LICENSE-APACHE "$STAGE/share/doc/cidrplan/"
cp LICENSE-MIT LICENSE-APACHE "$STAGE/"
tar -C "$DIST/.stage" -czf "$DIST/cidrplan-cli-$VERSION-$TRIPLE.tar.gz" "cidrplan-cli-$VERSION-$TRIPLE"
rm -rf "$DIST/.stage"

(cd "$DIST" && sha256sum -- * >SHA256SUMS)

step "artifacts ($(($(date +%s) - start))s)"
(cd "$DIST" && for f in *; do printf '%10s  %s\n' "$(stat -c %s "$f")" "$f"; done)
