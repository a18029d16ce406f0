#!/usr/bin/env bash
# Times `cidrplan overlaps` on a 10^6-line file (release build), the CLI target of
# issue 4 (< 2 s). Lines are `NAME CIDR`, random IPv4 prefixes of realistic lengths
# spread over the unicast space, like a routing table export. Usage:
#   bash scripts/bench-cli-overlaps.sh [LINES]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LINES="${1:-1000000}"
cd "$ROOT"
cargo build -q --release -p cidrplan-cli
INPUT="$(mktemp -t cidrplan-overlaps-XXXXXX.txt)"
trap 'rm -f "$INPUT"' EXIT
python3 - "$LINES" > "$INPUT" <<'PY'
import random, sys
random.seed(42)
lens = [16, 18, 20, 22, 23, 24, 24, 24, 24, 24, 25, 26, 27, 28, 30, 32]
out = []
for i in range(int(sys.argv[1])):
    n = random.choice(lens)
    addr = random.randrange(1 << 24, 224 << 24) & ~((1 << (32 - n)) - 1)
    out.append(f"net{i} {addr >> 24}.{(addr >> 16) & 255}.{(addr >> 8) & 255}.{addr & 255}/{n}")
print("\n".join(out))
PY
echo "input: $(wc -l < "$INPUT") lines, $(du -h "$INPUT" | cut -f1)"
for format in table json; do
  flag=""; [ "$format" = json ] && flag="--json"
  for run in 1 2 3; do
    start=$(date +%s%N)
    status=0
    ./target/release/cidrplan overlaps $flag "$INPUT" > /dev/null || status=$?
    end=$(date +%s%N)
    [ "$status" -le 1 ] || { echo "overlaps failed with exit $status" >&2; exit 1; }
    elapsed_ms=$(( (end - start) / 1000000 ))
    printf 'overlaps %-5s run %d: %d.%03d s\n' "$format" "$run" $((elapsed_ms / 1000)) $((elapsed_ms % 1000))
  done
done
