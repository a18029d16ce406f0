#!/usr/bin/env bash
# Everything CI runs, on a fresh machine: installs what is missing (idempotently) and
# runs every suite: Rust (workspace + no_std core), WASM + Node, the web demo in headless
# Chromium, Python, the release artifacts in their users' clients (clients: builds dist/
# with scripts/release.sh when missing), the verify replica, and last robustness (cargo
# deny, the differential test across the surfaces the suites before it built, a fuzz smoke). Runs every suite even when one
# fails; exits non-zero if any failed.
#
#   bash scripts/test-all.sh            # all suites
#   bash scripts/test-all.sh rust wasm  # some of them
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

ALL_SUITES=(rust wasm web python clients verify robustness)
SUITES=("$@")
[ ${#SUITES[@]} -eq 0 ] && SUITES=("${ALL_SUITES[@]}")

script_of() {
  case "$1" in
    rust) echo scripts/test-rust.sh ;;
    wasm) echo scripts/test-wasm.sh ;;
    web) echo scripts/test-web.sh ;;
    python) echo scripts/test-python.sh ;;
    clients) echo scripts/test-clients.sh ;;
    robustness) echo scripts/test-robustness.sh ;;
    verify) echo scripts/test-verify.sh ;;
    *) return 1 ;;
  esac
}

passed=0
failed=0
summary=()
for suite in "${SUITES[@]}"; do
  script="$(script_of "$suite")" || { echo "unknown suite: $suite" >&2; exit 2; }
  if [ ! -f "$script" ]; then
    echo "!! $suite: $script is missing" >&2
    failed=$((failed + 1))
    summary+=("FAIL  $suite (missing $script)")
    continue
  fi
  echo
  echo "################ $suite ($script)"
  start=$(date +%s)
  if bash "$script" </dev/null; then
    passed=$((passed + 1))
    summary+=("ok    $suite ($(( $(date +%s) - start ))s)")
  else
    failed=$((failed + 1))
    summary+=("FAIL  $suite ($(( $(date +%s) - start ))s)")
  fi
done

echo
echo "################ summary"
printf '%s\n' "${summary[@]}"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
