#!/usr/bin/env bash
# Robustness and security (issue 8), after the other suites have built their packages:
#   1. supply chain: cargo-deny (licences, bans, sources; RustSec advisories from the
#      snapshot in ../shared/advisory-db, offline; a loud notice where ../shared is absent);
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
  advisories
}

# Advisories from the RustSec snapshot in ../shared/advisory-db (SNAPSHOT.md there says how
# cargo-deny 0.20 reads it: a git repository named advisory-db-3157b0e258782691 under
# db-path, checked with --offline). The snapshot is upstream data: copied to a scratch
# place for the run, never into the repo. Fails on any unaddressed advisory.
advisories() {
  local snapshot="$ROOT/../shared/advisory-db"
  if [ ! -f "$snapshot/SNAPSHOT.md" ]; then
    echo "!!!!!!!! ADVISORIES NOT CHECKED: $snapshot is absent (the RustSec snapshot lives in"
    echo "!!!!!!!! ../shared beside the repo); nothing else here fetches the database."
    return 0
  fi
  local scratch
  scratch="$(mktemp -d)"
  local db="$scratch/dbs/advisory-db-3157b0e258782691"
  mkdir -p "$db"
  cp -R "$snapshot/." "$db/"
  chmod -R u+w "$db"
  (cd "$db" && git init -q && git add -A &&
    GIT_AUTHOR_NAME=snapshot GIT_AUTHOR_EMAIL=snapshot@localhost \
    GIT_COMMITTER_NAME=snapshot GIT_COMMITTER_EMAIL=snapshot@localhost \
    GIT_AUTHOR_DATE="2026-08-21T00:00:00Z" GIT_COMMITTER_DATE="2026-08-21T00:00:00Z" \
    git -c commit.gpgsign=false commit -q -m "RustSec snapshot") || { rm -rf "$scratch"; return 1; }
  sed "s|^db-path = .*|db-path = \"$scratch/dbs\"|" "$ROOT/deny.toml" >"$scratch/deny.toml"
  local rc=0
  cargo deny --offline --locked --config "$scratch/deny.toml" check advisories || rc=$?
  rm -rf "$scratch"
  if [ "$rc" -eq 0 ]; then
    echo "advisories: checked against the RustSec snapshot in ../shared/advisory-db; none unaddressed"
  fi
  return "$rc"
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
