#!/usr/bin/env bash
# Runs the cargo-fuzz targets of fuzz/ for SECONDS each, one after the other, and reports
# the executions and crashes of each. Installs cargo-fuzz and the nightly toolchain when
# missing (idempotently). Exits non-zero when any target crashed, leaked, timed out or ran
# out of memory; the failing inputs are in fuzz/artifacts/TARGET/.
#
#   bash scripts/fuzz.sh SECONDS [TARGET...]      # default: every target
#   bash scripts/fuzz.sh 20                       # the smoke the test command runs
#   bash scripts/fuzz.sh 600 carve plan_json      # a long run of two targets
#
# Environment: FUZZ_RSS_MB (memory limit per target, default 2048), FUZZ_TIMEOUT (seconds
# one input may take, default 30). Corpora grow in fuzz/corpus/TARGET (not committed);
# seeds come from tests/vectors.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

ALL_TARGETS=(prefix_parse set_ops carve plan_json previous_plan import)
if [ $# -lt 1 ] || ! [[ "$1" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 SECONDS [TARGET...]   (targets: ${ALL_TARGETS[*]})" >&2
  exit 2
fi
SECONDS_EACH="$1"
shift
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=("${ALL_TARGETS[@]}")
for t in "${TARGETS[@]}"; do
  [[ " ${ALL_TARGETS[*]} " == *" $t "* ]] || { echo "unknown fuzz target: $t" >&2; exit 2; }
done
RSS_MB="${FUZZ_RSS_MB:-2048}"
TIMEOUT="${FUZZ_TIMEOUT:-30}"

if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

# Sanitizer builds must not mix with the workspace's; keep them in fuzz/target.
export CARGO_TARGET_DIR="$ROOT/fuzz/target"
# -a: debug assertions, so an arithmetic overflow is a crash rather than a wrong answer.
FUZZ_FLAGS=(-a)
echo "== cargo +nightly fuzz build ${TARGETS[*]}"
for t in "${TARGETS[@]}"; do
  (cd fuzz && cargo +nightly fuzz build "${FUZZ_FLAGS[@]}" "$t")
done

SEEDS="$ROOT/fuzz/seeds"
python3 fuzz/seeds.py "$SEEDS"

failed=0
summary=()
for t in "${TARGETS[@]}"; do
  corpus="$ROOT/fuzz/corpus/$t"
  artifacts="$ROOT/fuzz/artifacts/$t"
  mkdir -p "$corpus" "$artifacts" "$SEEDS/$t"
  dict=()
  [ -f "fuzz/dicts/$t.dict" ] && dict=("-dict=$ROOT/fuzz/dicts/$t.dict")
  log="$ROOT/fuzz/artifacts/$t.log"
  echo "== $t: ${SECONDS_EACH}s (rss limit ${RSS_MB} MB, ${TIMEOUT}s per input)"
  set +e
  (cd fuzz && cargo +nightly fuzz run "${FUZZ_FLAGS[@]}" "$t" "$corpus" "$SEEDS/$t" -- \
    -max_total_time="$SECONDS_EACH" -rss_limit_mb="$RSS_MB" -malloc_limit_mb="$RSS_MB" \
    -timeout="$TIMEOUT" -print_final_stats=1 "${dict[@]}") >"$log" 2>&1
  rc=$?
  set -e
  execs="$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1)"
  corpus_size="$(find "$corpus" -type f | wc -l)"
  if [ "$rc" -eq 0 ]; then
    summary+=("ok     $t: ${execs:-?} execs in ${SECONDS_EACH}s, corpus $corpus_size")
  else
    failed=$((failed + 1))
    grep -E 'panicked|ERROR: libFuzzer|SUMMARY|Test unit written|==[0-9]+==' "$log" | head -20 >&2 || true
    summary+=("CRASH  $t: ${execs:-?} execs, exit $rc; see $log and $artifacts")
  fi
done

echo "== fuzz summary"
printf '%s\n' "${summary[@]}"
[ "$failed" -eq 0 ]
