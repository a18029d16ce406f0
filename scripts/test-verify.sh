#!/usr/bin/env bash
# `cidrplan verify`: builds replicas of plans in network namespaces (root only). Installs
# iproute2 and nftables when missing, builds the CLI, verifies the built-in example under
# each of the five models with each of the three CNIs' exports (15 runs, each under 30 s),
# verifies an archipelago with shared groups, checks that deliberately wrong plans and
# deliberately inconsistent exports are caught (exit 1, failing claim named), that Ctrl-C
# removes the replica, and that the root namespace is left unchanged.
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

echo "== the built-in example under every model, with each CNI's exports"
for cni in ip-masq-agent calico cilium; do
  for model in flat island isolated mapped archipelago; do
    out="$WORK/$cni-$model.txt"
    start=$(date +%s%N)
    if "$BIN" verify --model "$model" --cni "$cni" >"$out" 2>&1; then code=0; else code=$?; fi
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    summary="$(grep -E '^[0-9]+ claims:' "$out" || true)"
    printf '  %-13s %-12s exit %d  %5d ms  %s\n' "$cni" "$model" "$code" "$ms" "$summary"
    [ "$code" -eq 0 ] || { cat "$out"; fail "$cni $model: exit $code"; }
    [ "$ms" -lt 30000 ] || fail "$cni $model: took $ms ms (limit 30 s)"
  done
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
sed '0,/"pod_cidr": "10.1.0.0\/16"/s//"pod_cidr": "10.128.0.0\/16"/' "$WORK/island.json" >"$WORK/shadow.json"
if cmp -s "$WORK/island.json" "$WORK/shadow.json"; then fail "shadow edit: nothing changed (did placement move the range?)"; fi
expect_caught shadow "FAILED: pod:cluster-1 -> allocation:other (snat)" \
  "$WORK/shadow.json" --allocation other=10.128.1.1/32
# 2. A flat plan whose second cluster reuses the first one's range: its routes cannot
#    be installed, so the network cannot reach its pods.
sed 's/"pod_cidr": "10.2.0.0\/16"/"pod_cidr": "10.1.0.0\/16"/' "$WORK/flat.json" >"$WORK/missing-route.json"
if cmp -s "$WORK/flat.json" "$WORK/missing-route.json"; then fail "missing-route edit: nothing changed (did placement move the range?)"; fi
expect_caught missing-route "FAILED: network -> pod:cluster-2 (direct)" \
  "$WORK/missing-route.json" --allocation other=10.128.1.1/32
# 3. A negative claim that is false: the flat network does reach cluster-1's pods.
awk '/"from": "network"/ {n=1} n==1 && /"how": "direct"/ {sub(/"direct"/, "\"none\""); n=2} {print}' \
  "$WORK/flat.json" >"$WORK/false-none.json"
expect_caught false-none "FAILED: network -> pod:cluster-1 (none)" \
  "$WORK/false-none.json" --allocation other=10.128.1.1/32

echo "== inconsistent exports"
# 4. Calico for flat without the disabled pool that keeps the source toward 10.128.0.0/9:
#    natOutgoing now masquerades cluster-1's pods toward the allocation `other`.
"$BIN" plan --model flat --format calico >"$WORK/calico-flat.yaml"
awk 'BEGIN { RS = "---\n"; ORS = "" }
     !(/name: "cluster-1-ipv4-no-nat/ && /cidr: "10\.128\.0\.0\/9"/) { printf "%s%s", (n++ ? "---\n" : ""), $0 }' \
  "$WORK/calico-flat.yaml" >"$WORK/calico-flat-dropped.yaml"
if cmp -s "$WORK/calico-flat.yaml" "$WORK/calico-flat-dropped.yaml"; then fail "calico edit: no pool dropped"; fi
expect_caught calico-dropped-pool "FAILED: pod:cluster-1 -> allocation:other (direct)" \
  --model flat --cni calico --export "$WORK/calico-flat-dropped.yaml"
# 5. Calico for flat with the pod pool's natOutgoing off: the internet sees pod addresses.
sed '0,/natOutgoing: true/s//natOutgoing: false/' "$WORK/calico-flat.yaml" >"$WORK/calico-flat-nonat.yaml"
expect_caught calico-no-nat "FAILED: pod:cluster-1 -> internet (snat)" \
  --model flat --cni calico --export "$WORK/calico-flat-nonat.yaml"
# 6. Cilium for island with masquerading off: the network sees pod addresses.
"$BIN" plan --model island --format cilium \
  | sed 's/enableIPv4Masquerade: true/enableIPv4Masquerade: false/' >"$WORK/cilium-island-off.yaml"
expect_caught cilium-no-masquerade "FAILED: pod:cluster-1 -> network (snat)" \
  --model island --cni cilium --export "cilium=$WORK/cilium-island-off.yaml"
# 7. node-nat for mapped with cluster-2's DNAT pointing at the wrong range: the network
#    no longer reaches cluster-2's pods at their mapped addresses.
"$BIN" plan --model mapped --format node-nat \
  | sed '/cluster "cluster-2"/,$ s/map { 10.3.0.0\/16 : 10.1.0.0\/16 }/map { 10.3.0.0\/16 : 10.9.0.0\/16 }/' \
  >"$WORK/node-nat-wrong.nft"
if ! grep -q '10.9.0.0/16' "$WORK/node-nat-wrong.nft"; then fail "node-nat edit: nothing changed (did placement move the range?)"; fi
expect_caught node-nat-wrong-dnat "FAILED: network -> pod:cluster-2 (nat)" \
  --model mapped --export "$WORK/node-nat-wrong.nft"
# 8. Policies for isolated whose gateway policy selects a label no pod carries.
"$BIN" plan --model isolated --format policy \
  | sed 's/cidrplan.io\/gateway: "true"/cidrplan.io\/gateway: "yes"/' >"$WORK/policy-no-gateway.yaml"
expect_caught policy-no-gateway "FAILED: network -> pod:cluster-1 (gateway)" \
  --model isolated --export "$WORK/policy-no-gateway.yaml"

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
