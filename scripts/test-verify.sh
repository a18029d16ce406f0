#!/usr/bin/env bash
# `cidrplan verify`: builds replicas of plans in network namespaces (root only). Installs
# iproute2 and nftables when missing, builds the CLI, verifies the built-in example under
# each of the five models (each must take under 30 s), verifies an archipelago with
# shared groups, checks that deliberately wrong plans are caught (exit 1, failing claim
# named), that Ctrl-C removes the replica, and that the root namespace is left unchanged.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export NO_COLOR=1

if [ "$(id -u)" -ne 0 ]; then
  echo "test-verify: verify builds network namespaces, which needs root; run as root (CI does)" >&2
  exit 1
fi

missing=()
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v nft >/dev/null 2>&1 || missing+=(nftables)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "== cargo build -p cidrplan-cli"
cargo build -q -p cidrplan-cli --locked
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/cidrplan"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

root_state() {
  ip addr
  ip route show table all
  ip rule
  ip link
  nft list ruleset 2>/dev/null || true
}
helpers_running() { # any `cidrplan __verify-helper` process (no procps needed)
  local f
  for f in /proc/[0-9]*/cmdline; do
    case "$(tr '\0' ' ' <"$f" 2>/dev/null)" in *__verify-helper*) return 0 ;; esac
  done
  return 1
}
cpv_namespaces() { ip netns list 2>/dev/null | awk '{print $1}' | grep '^cpv-' | sort || true; }

root_state >"$WORK/root-before"
cpv_namespaces >"$WORK/ns-before"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

echo "== the built-in example under every model"
for model in flat island isolated mapped archipelago; do
  start=$(date +%s%N)
  if "$BIN" verify --model "$model" >"$WORK/$model.txt" 2>&1; then code=0; else code=$?; fi
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  summary="$(grep -E '^[0-9]+ claims:' "$WORK/$model.txt" || true)"
  printf '  %-12s exit %d  %5d ms  %s\n' "$model" "$code" "$ms" "$summary"
  [ "$code" -eq 0 ] || { cat "$WORK/$model.txt"; fail "$model: exit $code"; }
  [ "$ms" -lt 30000 ] || fail "$model: took $ms ms (limit 30 s)"
done

echo "== the root namespace sees no link, address, route or rule event during a run"
ip monitor link address route rule >"$WORK/monitor.txt" 2>&1 &
monitor=$!
sleep 0.3
"$BIN" verify --model mapped >/dev/null 2>&1 || fail "mapped (monitored run)"
sleep 0.3
kill "$monitor" 2>/dev/null || true
wait "$monitor" 2>/dev/null || true
if [ -s "$WORK/monitor.txt" ]; then
  cat "$WORK/monitor.txt"; fail "root namespace events during a run"
else
  echo "  none"
fi

echo "== archipelago with shared groups (request file)"
if "$BIN" verify tests/verify/archipelago-groups.json >"$WORK/groups.txt" 2>&1; then
  grep -E '^[0-9]+ claims:' "$WORK/groups.txt" | sed 's/^/  /'
else
  cat "$WORK/groups.txt"; fail "archipelago groups"
fi

# A wrong plan must exit 1 and name the failing claim.
expect_caught() { # name, expected FAILED line, verify args...
  local name="$1" line="$2"; shift 2
  local code=0
  "$BIN" verify "$@" >"$WORK/$name.txt" 2>&1 || code=$?
  if [ "$code" -eq 1 ] && grep -qF "$line" "$WORK/$name.txt"; then
    echo "  $name: caught ($line)"
  else
    cat "$WORK/$name.txt"; fail "$name: exit $code, expected 1 with '$line'"
  fi
}
# Hand-edit a plan with sed: the JSON is pretty-printed, one key a line.
"$BIN" plan --model island --json >"$WORK/island.json"
"$BIN" plan --model flat --json >"$WORK/flat.json"
echo "== wrong plans"
# 1. An island range that shadows a reachable allocation (other, 10.128.1.1).
sed '0,/"pod_cidr": "10.0.0.0\/16"/s//"pod_cidr": "10.128.0.0\/16"/' "$WORK/island.json" >"$WORK/shadow.json"
expect_caught shadow "FAILED: pod:cluster-1 -> allocation:other (snat)" \
  "$WORK/shadow.json" --allocation other=10.128.1.1/32
# 2. A flat plan whose second cluster reuses the first one's range: its routes cannot
#    be installed, so the network cannot reach its pods.
sed 's/"pod_cidr": "10.1.0.0\/16"/"pod_cidr": "10.0.0.0\/16"/' "$WORK/flat.json" >"$WORK/missing-route.json"
expect_caught missing-route "FAILED: network -> pod:cluster-2 (direct)" \
  "$WORK/missing-route.json" --allocation other=10.128.1.1/32
# 3. A negative claim that is false: the flat network does reach cluster-1's pods.
awk '/"from": "network"/ {n=1} n==1 && /"how": "direct"/ {sub(/"direct"/, "\"none\""); n=2} {print}' \
  "$WORK/flat.json" >"$WORK/false-none.json"
expect_caught false-none "FAILED: network -> pod:cluster-1 (none)" \
  "$WORK/false-none.json" --allocation other=10.128.1.1/32

echo "== Ctrl-C removes the replica"
"$BIN" verify --model isolated --timeout-ms 5000 >"$WORK/int.txt" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  [ "$(cpv_namespaces | wc -l)" -gt "$(wc -l <"$WORK/ns-before")" ] && break
  sleep 0.05
done
sleep 0.3
kill -INT "$pid"
code=0; wait "$pid" || code=$?
sleep 0.3
if [ "$code" -eq 130 ] && grep -q "interrupted; removed the replica" "$WORK/int.txt" \
  && ! helpers_running; then
  echo "  interrupted: exit 130, replica removed, no helper left running"
else
  cat "$WORK/int.txt"; fail "SIGINT: exit $code"
fi

echo "== integration tests (root tests included)"
cargo test -q -p cidrplan-cli --locked --test verify || fail "cargo test --test verify"

echo "== nothing left behind, root namespace unchanged"
sleep 0.2
cpv_namespaces >"$WORK/ns-after"
if ! diff -u "$WORK/ns-before" "$WORK/ns-after"; then fail "namespaces left behind"; fi
root_state >"$WORK/root-after"
if diff -u "$WORK/root-before" "$WORK/root-after"; then
  echo "  root namespace unchanged (ip addr, routes of all tables, rules, links, nft ruleset)"
else
  fail "the root namespace changed"
fi

if [ "$failures" -gt 0 ]; then
  echo "test-verify: $failures failure(s)" >&2
  exit 1
fi
echo "test-verify: ok"
