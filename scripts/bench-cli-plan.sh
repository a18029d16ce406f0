#!/usr/bin/env bash
# Times `cidrplan plan` around a large inventory (release build), the target of issue 17:
# under 1 s end to end for 10^6 allocations. The network is 10.0.0.0/8 with 10^6 distinct
# random /32s in 10.128.0.0/9 and 20 clusters to place, given three ways:
#   listed-json  the allocations listed in a JSON request
#   listed-yaml  the same request as YAML
#   imported     a JSON request whose network.import names a NetBox prefix list
# Each is planned to a table and to the JSON lock file (--json); wall time and peak memory
# (maximum resident set) come from GNU time where it is installed. Usage:
#   bash scripts/bench-cli-plan.sh [ALLOCATIONS] [RUNS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COUNT="${1:-1000000}"
RUNS="${2:-3}"
cd "$ROOT"
cargo build -q --release -p cidrplan-cli
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/cidrplan"
DIR="$(mktemp -d -t cidrplan-plan-XXXXXX)"
trap 'rm -rf "$DIR"' EXIT
python3 - "$COUNT" "$DIR" <<'PY'
import json, random, sys
count, out = int(sys.argv[1]), sys.argv[2]
random.seed(17)
base = 10 << 24 | 128 << 16
hosts = sorted(random.sample(range(1 << 23), count))
def dotted(a):
    return f"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}"
cidrs = [dotted(base + h) + "/32" for h in hosts]
clusters = [{"name": f"c{i:02}", "nodes": 20, "max_nodes": 100} for i in range(20)]
listed = {
    "network": {
        "pools": ["10.0.0.0/8"],
        "allocations": [{"name": f"h{i}", "cidr": c} for i, c in enumerate(cidrs)],
    },
    "clusters": clusters,
    "model": "flat",
}
with open(f"{out}/listed.json", "w") as f:
    json.dump(listed, f)
with open(f"{out}/listed.yaml", "w") as f:
    f.write("network:\n  pools: [10.0.0.0/8]\n  allocations:\n")
    f.writelines(f"    - {{name: h{i}, cidr: {c}}}\n" for i, c in enumerate(cidrs))
    f.write("clusters:\n")
    f.writelines(f"  - {{name: {c['name']}, nodes: 20, max_nodes: 100}}\n" for c in clusters)
    f.write("model: flat\n")
with open(f"{out}/prefixes.json", "w") as f:
    json.dump({"count": count, "next": None, "previous": None,
               "results": [{"prefix": c, "status": "active"} for c in cidrs]}, f)
imported = {
    "network": {"pools": ["10.0.0.0/8"],
                "import": [{"from": "netbox-prefixes", "file": "prefixes.json"}]},
    "clusters": clusters,
    "model": "flat",
}
with open(f"{out}/imported.json", "w") as f:
    json.dump(imported, f)
PY
echo "$COUNT allocations: listed.json $(du -h "$DIR/listed.json" | cut -f1)," \
  "listed.yaml $(du -h "$DIR/listed.yaml" | cut -f1), prefixes.json $(du -h "$DIR/prefixes.json" | cut -f1)"
TIME=""
[ -x /usr/bin/time ] && /usr/bin/time -f '' true 2>/dev/null && TIME=/usr/bin/time
# measure LABEL COMMAND...: wall time, CPU time (user + system: what the wall time is on an
# idle machine; on a loaded one the wall time also counts waiting for a core), peak memory.
measure() {
  local label="$1"; shift
  local start end ms status=0
  start=$(date +%s%N)
  if [ -n "$TIME" ]; then
    "$TIME" -f '%U %S %M' -o "$DIR/rss" "$@" > "$DIR/out" || status=$?
  else
    "$@" > "$DIR/out" || status=$?
  fi
  end=$(date +%s%N)
  # Exit 1 is a finding (warnings, overlaps); 2 and up an error.
  [ "$status" -le 1 ] || { echo "$label: exit $status" >&2; exit 1; }
  ms=$(( (end - start) / 1000000 ))
  local detail="(no /usr/bin/time: CPU time and peak memory not measured)"
  if [ -n "$TIME" ]; then
    read -r user sys rss < <(tail -n 1 "$DIR/rss")
    detail="cpu $(python3 -c "print(f'{$user + $sys:.2f}')") s, peak $((rss / 1024)) MB"
  fi
  printf '%-40s wall %d.%03d s, %s, output %s\n' "$label" $((ms / 1000)) $((ms % 1000)) \
    "$detail" "$(du -h "$DIR/out" | cut -f1)"
}
for input in listed.json listed.yaml imported.json; do
  for output in table json; do
    flag=""; [ "$output" = json ] && flag="--json"
    for run in $(seq 1 "$RUNS"); do
      measure "plan $input $output run $run" "$BIN" plan $flag "$DIR/$input"
    done
  done
done
# `cidrplan import` of one 10^5-entry file (issue 17: importing 10^5 subnets under 1 s).
python3 - "$DIR" <<'PY'
import json, sys
out = sys.argv[1]
subnets = [{"SubnetId": f"subnet-{i:08x}", "VpcId": f"vpc-{i // 200:04x}",
            "CidrBlock": f"10.{i >> 12}.{(i >> 4) & 255}.{(i & 15) << 4}/28",
            "AvailabilityZone": "us-east-1a", "State": "available",
            "Tags": [{"Key": "Name", "Value": f"subnet {i}"}]} for i in range(100000)]
json.dump({"Subnets": subnets}, open(f"{out}/subnets.json", "w"))
PY
for run in $(seq 1 "$RUNS"); do
  measure "import aws-subnets 1e5 yaml run $run" "$BIN" import "$DIR/subnets.json"
  measure "import aws-subnets 1e5 json run $run" "$BIN" import --json "$DIR/subnets.json"
done
