#!/usr/bin/env bash
# Robustness and security (issue 8), after the other suites have built their packages:
#   1. supply chain: cargo-deny (licences, bans, sources; RustSec advisories from a local
#      copy of the database in $CARGO_HOME/advisory-dbs, or fetched when
#      CIDRPLAN_FETCH_ADVISORIES=1 on a machine that reaches it; otherwise this says so
#      loudly instead of pretending);
#   2. the slow limit tests (10^6 allocations in a plan) that the rust suite skips;
#   3. the differential test: the same 3500 random cases through the core's wire
#      functions, the CLI --json, the npm package and the Python module (a surface whose
#      build is missing is skipped with a loud notice);
#   4. a fuzz smoke: every cargo-fuzz target for FUZZ_SMOKE_SECONDS (default 20) each.
# Installs cargo-deny, cargo-fuzz and the nightly toolchain when missing (idempotently).
# Runs every step even when one fails; exits non-zero if any failed.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

failed=()
step() {
  local name="$1"
  shift
  echo
  echo "== $name"
  local start=$SECONDS
  if "$@"; then
    echo "-- $name: ok ($((SECONDS - start))s)"
  else
    echo "-- $name: FAILED ($((SECONDS - start))s)"
    failed+=("$name")
  fi
}

supply_chain() {
  if ! command -v cargo-deny >/dev/null 2>&1; then
    cargo install cargo-deny --locked || return 1
  fi
  cargo deny --locked check licenses bans sources || return 1
  local db="${CARGO_HOME:-$HOME/.cargo}/advisory-dbs"
  if compgen -G "$db/*/crates" >/dev/null; then
    echo "advisories: local RustSec database in $db (not fetched; it may be stale)"
    cargo deny --locked check --disable-fetch advisories
  elif [ "${CIDRPLAN_FETCH_ADVISORIES:-0}" = 1 ] && timeout 120 cargo deny --locked check advisories; then
    echo "advisories: fetched the RustSec database; no unaddressed advisory"
  else
    if compgen -G "$db/*/crates" >/dev/null; then
      return 1 # the database came, so the failure is an advisory
    fi
    echo "!!!!!!!! ADVISORIES NOT CHECKED: the RustSec database (github.com/RustSec/advisory-db)"
    echo "!!!!!!!! cannot be fetched from this machine and no local copy is in $db."
    echo "!!!!!!!! Copy a clone there to check offline: git clone <advisory-db> $db/advisory-db"
  fi
}

slow_limits() {
  cargo test --locked -p cidrplan --test limits -- --ignored
}

differential() {
  cargo build --locked -p cidrplan-cli -p cidrplan --examples || return 1
  local py=python3
  [ -x "$ROOT/.venv/bin/python" ] && py="$ROOT/.venv/bin/python"
  "$py" tests/differential/run.py --count "${DIFFERENTIAL_CASES:-3500}" --require core,cli
}

fuzz_smoke() {
  bash scripts/fuzz.sh "${FUZZ_SMOKE_SECONDS:-20}"
}

step "supply chain (cargo deny)" supply_chain
step "limits at scale (ignored in the rust suite)" slow_limits
step "differential test across surfaces" differential
step "fuzz smoke" fuzz_smoke

echo
if [ ${#failed[@]} -eq 0 ]; then
  echo "robustness: every step passed"
else
  echo "robustness: FAILED: ${failed[*]}"
  exit 1
fi
