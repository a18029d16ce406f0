"""Every export of every plan shape, checked against the upstream tools' own rules.

Builds plan requests programmatically (every model, dual-stack, IPv6-only, 40 clusters,
30 and 250 pods per node, 70 pools, awkward cluster names), runs
``cidrplan plan REQUEST.json --format FORMAT`` for every format the CLI lists, and asserts
that check_exports.py finds no FAIL. Negative tests prove the checker catches what it
should, by check id.

The CLI: $CIDRPLAN_BIN, else $CARGO_TARGET_DIR/debug/cidrplan, else target/debug/cidrplan.
The upstream data: ../shared/upstream-schemas (skipped, loudly, when absent).
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

import check_exports as ce

REPO = Path(__file__).resolve().parents[2]

try:
    CHECKER: ce.Checker | None = ce.Checker()
    MISSING = ""
except ce.SchemasMissing as e:
    CHECKER = None
    MISSING = str(e)
    ce.TALLY.notices.append(f"upstream checks NOT RUN: {e}")
    print("\n" + "=" * 78 + f"\nNOTICE: upstream checks NOT RUN: {e}\n" + "=" * 78)

pytestmark = pytest.mark.skipif(CHECKER is None, reason=f"NOTICE: upstream checks NOT RUN: {MISSING}")


def cli() -> Path:
    if os.environ.get("CIDRPLAN_BIN"):
        return Path(os.environ["CIDRPLAN_BIN"])
    target = Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target")
    return target / "debug" / "cidrplan"


def export_formats() -> list[str]:
    """The formats `cidrplan plan --help` lists (so a new format is picked up), else the
    Python module's EXPORT_FORMATS."""
    try:
        text = subprocess.run([str(cli()), "plan", "--help"], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        text = ""
    section = re.search(r"--format <FORMAT>(.*?)(?:\n {0,8}-{1,2}[a-z]|\Z)", text, re.S)
    if section:
        found = re.findall(r"^\s+-\s+([a-z0-9-]+):", section.group(1), re.M)
        if found:
            return found
    m = re.search(r"^\s*Formats:\s*([a-z0-9-]+(?:,\s*[a-z0-9-]+)*)\.?\s*$", text, re.M)
    if m:
        return [f.strip() for f in m.group(1).split(",")]
    try:
        import cidrplan  # type: ignore[import-not-found]

        return list(cidrplan.EXPORT_FORMATS)
    except ImportError:
        return []


FORMATS = export_formats()

# --------------------------------------------------------------------------------------
# Plan requests


def cluster(name: str, nodes: int = 2, **kw: Any) -> dict[str, Any]:
    c: dict[str, Any] = {"name": name, "nodes": nodes}
    c.update(kw)
    return c


def request(pools: list[str], clusters: list[dict[str, Any]], model: str, allocations: list[dict] | None = None,
            **requirements: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {"network": {"pools": pools}, "clusters": clusters, "model": model}
    if allocations:
        spec["network"]["allocations"] = allocations
    if requirements:
        spec["requirements"] = requirements
    return spec


MODELS = ["flat", "island", "isolated", "mapped", "archipelago"]
TALK_ALLOC = [{"name": "other", "cidr": "10.128.1.1/32", "reachable": True}]
AWKWARD = ["Prod_EU-West-1-payments-primary-cluster", "default", "team a", "team-a", "Team_A", "東京",
           "zürich-1", 'quote"and\\slash', "-x-", "a" * 70]


def groups(names: list[str], n_groups: int = 2) -> list[str]:
    return [f"group-{i % n_groups}" for i, _ in enumerate(names)]


def build_requests() -> dict[str, dict[str, Any]]:
    reqs: dict[str, dict[str, Any]] = {}
    for model in MODELS + ["auto"]:
        # the talk's example: two clusters of 250 nodes x 110 pods, 4096 services
        names = ["cluster-1", "cluster-2", "cluster-3", "cluster-4"]
        reqs[f"talk-{model}"] = request(
            ["10.0.0.0/8"],
            [cluster(n, 2, max_nodes=250, max_pods_per_node=110, services=4096,
                     **({"group": g} if model == "archipelago" else {}))
             for n, g in zip(names, groups(names))],
            model, TALK_ALLOC)
    for model in MODELS:
        extra = lambda i: {"group": f"g{i % 2}"} if model == "archipelago" else {}  # noqa: E731
        reqs[f"dual-{model}"] = request(
            ["10.0.0.0/8", "fd00::/48"],
            [cluster(f"d{i}", 3, max_nodes=100, family="dual", **extra(i)) for i in range(4)], model)
        reqs[f"ipv6-{model}"] = request(
            ["fd00::/48"], [cluster(f"v6-{i}", 3, max_nodes=500, family="ipv6", **extra(i)) for i in range(4)], model)
        reqs[f"mixed-families-{model}"] = request(
            ["10.0.0.0/8", "fd10::/48"],
            [cluster("four", 2, family="ipv4", **extra(0)), cluster("dual", 2, family="dual", **extra(1)),
             cluster("six", 2, family="ipv6", **extra(2))], model)
    forty = [f"c{i:02d}" for i in range(40)]
    for model in ("flat", "island", "mapped", "archipelago"):
        reqs[f"clusters40-{model}"] = request(
            ["10.0.0.0/8"],
            [cluster(n, 3, max_nodes=20, services=256, **({"group": f"g{i % 5}"} if model == "archipelago" else {}))
             for i, n in enumerate(forty)],
            model, allow_non_rfc1918=True)
    for pods in (30, 250):
        for model in ("flat", "island", "mapped"):
            reqs[f"maxpods{pods}-{model}"] = request(
                ["10.0.0.0/8"], [cluster("a", 10, max_nodes=60, max_pods_per_node=pods),
                                 cluster("b", 3, max_nodes=8, max_pods_per_node=pods)], model)
    # a small cluster whose pod range is smaller than a /24
    reqs["tiny-flat"] = request(["10.0.0.0/8"], [cluster("tiny", 1, max_nodes=2, max_pods_per_node=30)], "flat")
    # 70 pools that do not aggregate: more non-masquerade CIDRs than ip-masq-agent's default limit
    pools70 = [f"10.{2 * i}.0.0/16" for i in range(70)]
    for model in ("flat", "island", "archipelago"):
        reqs[f"pools70-{model}"] = request(
            pools70, [cluster(f"p{i}", 3, max_nodes=50, **({"group": f"g{i % 2}"} if model == "archipelago" else {}))
                      for i in range(3)], model)
    for model in MODELS:
        reqs[f"names-{model}"] = request(
            ["10.0.0.0/8"],
            [cluster(n, 2, max_nodes=30, **({"group": g} if model == "archipelago" else {}))
             for n, g in zip(AWKWARD, groups(AWKWARD))], model)
    # Cloud profiles (docs/clouds.md): pools per kind of range and each CNI mode. Pods on
    # node-subnet addresses (vpc_cni, azure_cni) take the cloud's IPAM, never a second one.
    def cloud(pools: list[str], clusters: list[dict[str, Any]], model: str, **network: Any) -> dict[str, Any]:
        spec = request(pools, clusters, model)
        spec["network"].update(network)
        return spec
    two = [cluster("app", 20, max_nodes=40, max_pods_per_node=30), cluster("batch", 5, max_nodes=10, max_pods_per_node=30)]
    reqs["cloud-eks-vpc-cni"] = cloud(["10.10.0.0/16"], two, "flat", cloud="aws", cni="vpc_cni",
                                      service_pools=["172.16.0.0/12"])
    reqs["cloud-eks-custom-networking"] = cloud(["10.20.0.0/16"], two, "flat", cloud="aws", cni="custom_networking",
                                                node_pools=["10.20.0.0/16"], pod_pools=["100.64.0.0/10"],
                                                service_pools=["172.16.0.0/12"])
    reqs["cloud-aks-azure-cni"] = cloud(["10.30.0.0/16"], [{**c, "surge_nodes": 2} for c in two], "flat",
                                        cloud="azure", cni="azure_cni", service_pools=["172.16.0.0/12"])
    reqs["cloud-aks-overlay"] = cloud(["10.40.0.0/16"], two, "island", cloud="azure", cni="overlay",
                                      node_pools=["10.40.0.0/16"], pod_pools=["192.168.0.0/16"],
                                      service_pools=["172.16.0.0/12"])
    reqs["cloud-gke-vpc-native"] = cloud(["10.50.0.0/16"], two, "flat", cloud="gcp", cni="vpc_native")
    reqs["scarce-island-non-rfc1918"] = request(
        ["10.0.0.0/16"], [cluster("a", 10, max_nodes=200), cluster("b", 10, max_nodes=200)], "island",
        allow_non_rfc1918=True)
    return reqs


REQUESTS = build_requests()

# Colliding plans: no export without --force; forced, the output still has to be read by
# every tool (the collisions travel as comments, or as a key in tfvars).
COLLIDING = {
    f"collision-forced-{model}": request(
        ["10.0.0.0/8"], [cluster("a", 2, max_nodes=250, pod_cidr="10.128.0.0/16"), cluster("b", 2, max_nodes=20)],
        model, TALK_ALLOC)
    for model in ("flat", "mapped", "isolated")
}


def write_request(spec: dict[str, Any]) -> Path:
    f = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8")
    json.dump(spec, f, ensure_ascii=False)
    f.close()
    return Path(f.name)


_cache: dict[tuple[str, str | None, bool], subprocess.CompletedProcess[str]] = {}


def run_plan(req_id: str, fmt: str | None, force: bool = False) -> subprocess.CompletedProcess[str]:
    key = (req_id, fmt, force)
    if key not in _cache:
        path = write_request({**REQUESTS, **COLLIDING}[req_id])
        try:
            argv = [str(cli()), "plan", str(path)] + (["--format", fmt] if fmt else ["--json"])
            argv += ["--force"] if force else []
            _cache[key] = subprocess.run(argv, capture_output=True, text=True, timeout=120, encoding="utf-8")
        finally:
            path.unlink()
    return _cache[key]


# --------------------------------------------------------------------------------------


def test_cli_is_built() -> None:
    assert cli().is_file(), f"no CLI at {cli()}: build it (cargo build -p cidrplan-cli) or set CIDRPLAN_BIN"
    assert FORMATS, "could not read the export formats from `cidrplan plan --help`"


def test_every_format_has_checks() -> None:
    unknown = [f for f in FORMATS if f not in ce.FORMATS]
    assert not unknown, f"the CLI writes formats the upstream checker does not know: {unknown}"


@pytest.mark.parametrize("req_id", sorted(REQUESTS))
def test_request_is_feasible(req_id: str) -> None:
    """Every request must plan (exit 0) in the model asked for; a shape that does not fit
    is a bad test parameter, not a reason to skip."""
    p = run_plan(req_id, None)
    assert p.returncode == 0, f"{req_id}: exit {p.returncode}: {p.stderr.strip()}"
    plan = json.loads(p.stdout)
    want = REQUESTS[req_id]["model"]
    if want != "auto":
        assert plan["model"] == want
    assert len(plan["clusters"]) == len(REQUESTS[req_id]["clusters"])


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("req_id", sorted(REQUESTS))
def test_export_passes_upstream_checks(req_id: str, fmt: str) -> None:
    assert CHECKER is not None
    p = run_plan(req_id, fmt)
    assert p.returncode == 0, f"{req_id} --format {fmt}: exit {p.returncode}: {p.stderr.strip()}"
    plan = run_plan(req_id, None)
    assert plan.returncode == 0, plan.stderr
    results, documents = CHECKER.check_text(fmt, p.stdout, json.loads(plan.stdout))
    ce.TALLY.record(req_id, fmt, results, documents)
    fails = [r.line() for r in results if r.status == "FAIL"]
    assert not fails, f"{req_id} --format {fmt}: {len(fails)} FAIL\n" + "\n".join(fails)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("req_id", sorted(COLLIDING))
def test_forced_export_of_a_colliding_plan_passes_upstream_checks(req_id: str, fmt: str) -> None:
    assert CHECKER is not None
    refused = run_plan(req_id, fmt)
    assert refused.returncode == 2 and "collision" in refused.stderr, (refused.returncode, refused.stderr)
    p = run_plan(req_id, fmt, force=True)
    assert p.returncode == 0, f"{req_id} --format {fmt} --force: exit {p.returncode}: {p.stderr.strip()}"
    results, documents = CHECKER.check_text(fmt, p.stdout, json.loads(run_plan(req_id, None).stdout))
    ce.TALLY.record(req_id, fmt, results, documents)
    fails = [r.line() for r in results if r.status == "FAIL"]
    assert not fails, f"{req_id} --format {fmt} --force: {len(fails)} FAIL\n" + "\n".join(fails)


# --------------------------------------------------------------------------------------
# The checker catches what it should (hand-edited exports), and passes the good versions.


def results_of(fmt: str, text: str) -> list[ce.Result]:
    assert CHECKER is not None
    return CHECKER.check_text(fmt, text)[0]


def statuses(fmt: str, text: str, check: str) -> set[str]:
    return {r.status for r in results_of(fmt, text) if r.check == check}


def assert_fails(fmt: str, text: str, check: str, contains: str = "") -> None:
    rs = [r for r in results_of(fmt, text) if r.check == check and r.status == "FAIL"]
    assert rs, f"{check} did not FAIL:\n" + "\n".join(r.line() for r in results_of(fmt, text))
    assert any(contains in r.detail for r in rs), [r.detail for r in rs]


def assert_passes(fmt: str, text: str, *checks: str) -> None:
    rs = results_of(fmt, text)
    for check in checks:
        got = {r.status for r in rs if r.check == check}
        assert got == {"PASS"}, f"{check}: {got}\n" + "\n".join(r.line() for r in rs)


CALICO_OK = """# cluster "a" (island model), generated by cidrplan
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: "a-ipv4"
spec:
  cidr: "10.0.0.0/16"
  blockSize: 24
  natOutgoing: true
  ipipMode: Never
  vxlanMode: Always
  nodeSelector: all()
"""


def calico(**spec: Any) -> str:
    doc = ce.load_yaml(CALICO_OK)
    for k, v in spec.items():
        if v is None:
            doc["spec"].pop(k, None)
        else:
            doc["spec"][k] = v
    return '# cluster "a" (island model)\n' + json.dumps(doc)


def test_a_grown_fleet_updates_its_calico_pools_and_cilium_list_as_upstream_allows(tmp_path: Path) -> None:
    """A re-plan that grows a pod range in place and adds a cluster: applying its Calico
    IPPools over the first plan's passes the CRD's transition rules (a pool's CIDR and
    block size never change), and Cilium's pod CIDR list keeps its entries and appends
    (Cilium's cluster-pool docs: never change an existing entry)."""
    assert CHECKER is not None
    first = {"network": {"pools": ["10.0.0.0/8"]}, "clusters": [
        {"name": "east", "nodes": 20, "max_nodes": 100, "growth_reserve": 4},
        {"name": "west", "nodes": 20, "max_nodes": 100}], "model": "flat"}
    grown = copy.deepcopy(first)
    grown["clusters"][0]["max_nodes"] = 400
    grown["clusters"].append({"name": "north", "nodes": 5})
    (tmp_path / "first.json").write_text(json.dumps(first))
    (tmp_path / "grown.json").write_text(json.dumps(grown))

    def plan(*argv: str) -> str:
        p = subprocess.run([str(cli()), "plan", *argv], capture_output=True, text=True, timeout=120, encoding="utf-8")
        assert p.returncode == 0, p.stderr
        return p.stdout

    (tmp_path / "lock.json").write_text(plan(str(tmp_path / "first.json"), "--json"))
    again = [str(tmp_path / "grown.json"), "--previous", str(tmp_path / "lock.json")]
    assert any(g["how"] == "in_place" for c in json.loads(plan(*again, "--json"))["clusters"] for g in c.get("growth", []))
    results = CHECKER.check_calico_update(plan(str(tmp_path / "first.json"), "--format", "calico"), plan(*again, "--format", "calico"))
    fails = [r.line() for r in results if r.status == "FAIL"]
    assert not fails and any(r.status == "PASS" for r in results), "\n".join(r.line() for r in results)

    def cilium_lists(text: str) -> dict[str, list[str]]:
        return {d["cluster"]["name"]: d["ipam"]["operator"]["clusterPoolIPv4PodCIDRList"]
                for d in (ce.load_yaml(doc.text) for doc in ce.split_yaml_documents(text)) if d}

    before = cilium_lists(plan(str(tmp_path / "first.json"), "--format", "cilium"))
    after = cilium_lists(plan(*again, "--format", "cilium"))
    for name, entries in before.items():
        assert after[name][: len(entries)] == entries, (name, entries, after[name])
    assert len(after["east"]) > len(before["east"])


def test_calico_update_check_catches_a_changed_cidr() -> None:
    assert CHECKER is not None
    pool = "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: a-ipv4\nspec:\n  cidr: {}\n  blockSize: 24\n"
    results = CHECKER.check_calico_update(pool.format("10.2.0.0/17"), pool.format("10.2.0.0/15"))
    assert [r.status for r in results] == ["FAIL"] and "spec.cidr" in results[0].line()


def test_a_second_ipam_for_pods_on_node_subnet_addresses_fails() -> None:
    """A cluster whose pods take node-subnet addresses from the cloud's CNI: an IP pool or
    Cilium's own cluster-pool IPAM would hand the same addresses out again."""
    assert CHECKER is not None
    plan = {"clusters": [{"name": "a", "pods_in_node_subnet": True}]}
    rs = CHECKER.check_text("calico", CALICO_OK, plan)[0]
    assert any(r.check == "calico.cloud-ipam" and r.status == "FAIL" for r in rs), [r.line() for r in rs]
    rs = CHECKER.check_text("cilium", CILIUM_OK, plan)[0]
    assert any(r.check == "cilium.chained" and r.status == "FAIL" for r in rs), [r.line() for r in rs]
    only_comment = '# cluster "a" (flat model), generated by cidrplan\n# no IP pool\n'
    rs = CHECKER.check_text("calico", only_comment, plan)[0]
    assert not [r for r in rs if r.status == "FAIL"], [r.line() for r in rs]


def test_calico_good_pool_passes() -> None:
    assert_passes("calico", CALICO_OK, "calico.type", "calico.crd-schema", "calico.name", "calico.cel",
                  "calico.cel-coverage", "calico.overlap")


def test_calico_block_size_33_fails_cel() -> None:
    assert_fails("calico", CALICO_OK.replace("blockSize: 24", "blockSize: 33"), "calico.cel",
                 "blockSize must be between 20 and 32")


@pytest.mark.parametrize("spec, message", [
    ({"ipipMode": "Always", "vxlanMode": "Always"}, "ipipMode and vxlanMode cannot both be enabled"),
    ({"allowedUses": ["LoadBalancer"], "vxlanMode": "Always"}, "LoadBalancer IP pool cannot have IPIP or VXLAN"),
    ({"allowedUses": ["LoadBalancer", "Workload"], "vxlanMode": "Never"}, "LoadBalancer cannot be combined"),
    ({"cidr": "fd00::/48", "blockSize": 122, "ipipMode": "CrossSubnet", "vxlanMode": "Never"},
     "IPIP is not supported on IPv6 pools"),
    ({"allowedUses": ["LoadBalancer"], "vxlanMode": "Never", "disableBGPExport": True},
     "LoadBalancer IP pools cannot disable BGP export"),
    ({"allowedUses": ["LoadBalancer"], "vxlanMode": "Never", "nodeSelector": "!all()"}, "must have nodeSelector"),
    ({"allowedUses": ["Tunnel"], "namespaceSelector": "a == 'b'"}, "Tunnel cannot have namespaceSelector"),
    ({"nodeSelector": "global()"}, "global() selector is not valid for IPPool nodeSelector"),
    ({"namespaceSelector": "global()"}, "global() selector is not valid for IPPool namespaceSelector"),
    ({"cidr": "10.0.0.1/16"}, "strictly masked"),
    ({"cidr": "169.254.0.0/16"}, "IPv4 link local"),
    ({"cidr": "0.0.0.0/0", "blockSize": 26}, "IPv4 link local"),
    ({"cidr": "fe80::/64", "blockSize": 122}, "IPv6 link local"),
    ({"blockSize": 19}, "blockSize must be between 20 and 32"),
    ({"cidr": "fd00::/64", "blockSize": 112}, "between 116 and 128 for IPv6"),
    ({"cidr": "10.0.0.0/27", "blockSize": None}, "IP pool size is too small"),
    ({"cidr": "10.0.0.0/25", "blockSize": 24}, "IP pool size is too small"),
])
def test_calico_each_cel_rule_is_enforced(spec: dict[str, Any], message: str) -> None:
    assert_fails("calico", calico(**spec), "calico.cel", message)


def test_calico_cel_rule_not_triggered_by_disabled_small_pool() -> None:
    assert "FAIL" not in statuses("calico", calico(cidr="10.0.0.0/25", blockSize=24, disabled=True), "calico.cel")


def test_calico_schema_rejects_unknown_fields_bad_cidr_and_enums() -> None:
    assert_fails("calico", calico(natOutgoin=True), "calico.crd-schema", "Additional properties")
    assert_fails("calico", calico(cidr="10.0.0.0/33"), "calico.crd-schema", "cidr")
    assert_fails("calico", calico(vxlanMode="Sometimes"), "calico.crd-schema", "Sometimes")
    assert_fails("calico", calico(blockSize=129), "calico.crd-schema", "129")


def test_calico_name_and_overlap() -> None:
    assert_fails("calico", CALICO_OK.replace('"a-ipv4"', '"A_ipv4"'), "calico.name", "nameRegex")
    two = CALICO_OK + "---\n" + CALICO_OK.split("\n", 1)[1].replace("10.0.0.0/16", "10.0.128.0/17")
    assert_fails("calico", two, "calico.name", "used twice")
    assert_fails("calico", two.replace('"a-ipv4"', '"b-ipv4"', 1), "calico.overlap", "overlaps")


def test_calico_cel_coverage_catches_a_new_rule() -> None:
    assert CHECKER is not None
    checker = ce.Checker()
    crd = copy.deepcopy(checker.calico_crd)
    spec = next(v for v in crd["spec"]["versions"] if v["name"] == "v3")["schema"]["openAPIV3Schema"]["properties"]["spec"]
    spec["x-kubernetes-validations"].append({"rule": "self.blockSize != 27", "message": "a rule from a newer CRD"})
    checker.set_calico_crd(crd)
    r = checker.calico_cel_coverage()
    assert r.status == "FAIL" and "self.blockSize != 27" in r.detail
    assert CHECKER.calico_cel_coverage().status == "PASS"
    assert "14 create-time rules" in CHECKER.calico_cel_coverage().detail


CILIUM_OK = """# cluster "a" (island model), generated by cidrplan
cluster:
  name: "a"
  id: 1
ipam:
  mode: cluster-pool
  operator:
    clusterPoolIPv4PodCIDRList:
      - "10.0.0.0/16"
    clusterPoolIPv4MaskSize: 24
ipv4:
  enabled: true
ipv6:
  enabled: false
routingMode: tunnel
tunnelProtocol: vxlan
enableIPv4Masquerade: true
"""


def test_cilium_good_values_pass() -> None:
    assert_passes("cilium", CILIUM_OK, "cilium.schema", "cilium.declared-keys", "cilium.cluster-name", "cilium.cluster-id",
                  "cilium.chart-rules", "cilium.cidr-values")


def test_cilium_cluster_name_rules() -> None:
    assert_fails("cilium", CILIUM_OK.replace('name: "a"', 'name: "Prod"'), "cilium.cluster-name", "invalid")
    assert_fails("cilium", CILIUM_OK.replace('name: "a"', f'name: "{"a" * 33}"'), "cilium.cluster-name", "32")
    assert_fails("cilium", CILIUM_OK.replace('name: "a"', 'name: "default"'), "cilium.cluster-name", "non-default")
    assert_fails("cilium", CILIUM_OK.replace('name: "a"', 'name: ""'), "cilium.cluster-name", "empty")
    # the chart's default name with id 0 is fine (values merged over values.yaml)
    assert_passes("cilium", CILIUM_OK.replace('  name: "a"\n  id: 1\n', "  id: 0\n"), "cilium.cluster-name")


def test_cilium_cluster_id() -> None:
    assert_passes("cilium", CILIUM_OK, "cilium.cluster-id")
    assert_fails("cilium", CILIUM_OK.replace("id: 1", "id: 256"), "cilium.cluster-id", "256")
    assert_passes("cilium", CILIUM_OK.replace("id: 1", "id: 300") + "clustermesh:\n  maxConnectedClusters: 511\n",
                  "cilium.cluster-id")


def test_cilium_schema_and_declared_keys() -> None:
    assert_fails("cilium", CILIUM_OK.replace("clusterPoolIPv4MaskSize: 24", "clusterPoolIPv4MaskSize: \"24\""),
                 "cilium.schema", "clusterPoolIPv4MaskSize")
    assert_fails("cilium", CILIUM_OK + "enableIPv6Masquerade: null\nipv4NativeRoutingCidr: 10.0.0.0/8\n",
                 "cilium.declared-keys", "ipv4NativeRoutingCidr")
    warn = CILIUM_OK + "ipMasqAgent:\n  enabled: true\n  config:\n    nonMasqueradeCIDRs: [10.0.0.0/8]\n"
    assert statuses("cilium", warn, "cilium.declared-keys") == {"WARN"}


def test_cilium_chart_rules() -> None:
    native = CILIUM_OK.replace("routingMode: tunnel\ntunnelProtocol: vxlan\n", "routingMode: native\n")
    assert_fails("cilium", native, "cilium.chart-rules", "ipv4NativeRoutingCIDR")
    # enableIPv4Masquerade defaults to true (null in values.yaml): still required
    assert_fails("cilium", native.replace("enableIPv4Masquerade: true\n", ""), "cilium.chart-rules", "ipv4NativeRoutingCIDR")
    assert_passes("cilium", native + "ipv4NativeRoutingCIDR: 10.0.0.0/8\n", "cilium.chart-rules")
    assert_passes("cilium", native.replace("enableIPv4Masquerade: true", "enableIPv4Masquerade: false"),
                  "cilium.chart-rules")
    assert_fails("cilium", CILIUM_OK.replace("routingMode: tunnel", "routingMode: direct"), "cilium.chart-rules",
                 "routingMode")
    assert_fails("cilium", CILIUM_OK.replace("tunnelProtocol: vxlan", "tunnelProtocol: gre"), "cilium.chart-rules",
                 "tunnelProtocol")


def test_cilium_cidr_values() -> None:
    assert_fails("cilium", CILIUM_OK.replace("clusterPoolIPv4MaskSize: 24", "clusterPoolIPv4MaskSize: 12"),
                 "cilium.cidr-values", "MaskSize")
    assert_fails("cilium", CILIUM_OK.replace('- "10.0.0.0/16"', '- "fd00::/48"'), "cilium.cidr-values", "not IPv4")


KUBEADM_OK = """# cluster "a" (flat model), generated by cidrplan
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
clusterName: "a"
networking:
  podSubnet: "10.0.0.0/16"
  serviceSubnet: "10.2.0.0/20"
controllerManager:
  extraArgs:
    - name: node-cidr-mask-size-ipv4
      value: "24"
"""


def test_kubeadm_good_config_passes() -> None:
    assert_passes("kubeadm", KUBEADM_OK, "kubeadm.type", "kubeadm.fields", "kubeadm.serviceSubnet", "kubeadm.podSubnet",
                  "kubeadm.podSubnet-nodeMask", "kubeadm.extraArgs", "kubeadm.kcm-startup")


def test_kubeadm_plain_node_mask_with_a_25_pod_subnet_fails() -> None:
    """kubeadm's ValidatePodSubnetNodeMask never reads plain node-cidr-mask-size: with a /25
    pod subnet it compares with the default /24 and rejects the config."""
    bad = KUBEADM_OK.replace("10.0.0.0/16", "10.0.0.0/25").replace("node-cidr-mask-size-ipv4", "node-cidr-mask-size") \
        .replace('"24"', '"26"')
    assert_fails("kubeadm", bad, "kubeadm.podSubnet-nodeMask", "mask 25 is smaller than the size of node subnet with mask 24")
    good = KUBEADM_OK.replace("10.0.0.0/16", "10.0.0.0/25").replace('"24"', '"26"')
    assert_passes("kubeadm", good, "kubeadm.podSubnet-nodeMask", "kubeadm.kcm-startup")


def test_kubeadm_rules() -> None:
    assert_fails("kubeadm", KUBEADM_OK.replace("kind: ClusterConfiguration", "kind: ClusterConfig"), "kubeadm.type")
    assert_fails("kubeadm", KUBEADM_OK.replace("v1beta4", "v1beta3"), "kubeadm.type")
    as_map = KUBEADM_OK.replace('    - name: node-cidr-mask-size-ipv4\n      value: "24"\n',
                                '    node-cidr-mask-size-ipv4: "24"\n')
    assert_fails("kubeadm", as_map, "kubeadm.fields", "extraArgs")
    assert_fails("kubeadm", KUBEADM_OK.replace('value: "24"', "value: 24"), "kubeadm.fields", "is not of type 'string'")
    assert_fails("kubeadm", KUBEADM_OK + "podSubnet: x\n", "kubeadm.fields", "podSubnet")
    assert_fails("kubeadm", KUBEADM_OK.replace("10.2.0.0/20", "10.0.0.0/8"), "kubeadm.serviceSubnet", "too large")
    assert_fails("kubeadm", KUBEADM_OK.replace("10.2.0.0/20", "10.2.0.0/29"), "kubeadm.serviceSubnet", "too small")
    assert_fails("kubeadm", KUBEADM_OK.replace("10.2.0.0/20", "10.2.0.0/20,10.3.0.0/20"), "kubeadm.serviceSubnet",
                 "each IP family")
    assert_fails("kubeadm", KUBEADM_OK.replace("10.0.0.0/16", "10.0.0.0/29"), "kubeadm.podSubnet", "too small")
    assert_fails("kubeadm", KUBEADM_OK.replace("10.0.0.0/16", "10.0.0.300/16"), "kubeadm.podSubnet", "couldn't parse")
    assert_fails("kubeadm", KUBEADM_OK.replace("10.0.0.0/16", "10.0.0.0/4"), "kubeadm.podSubnet-nodeMask",
                 "difference is greater than 16")
    assert_fails("kubeadm", KUBEADM_OK.replace("node-cidr-mask-size-ipv4", "max-pods"), "kubeadm.extraArgs",
                 "max-pods")
    assert_fails("kubeadm", KUBEADM_OK.replace('value: "24"', 'value: "24x"'), "kubeadm.extraArgs", "invalid argument")
    # dual-stack with the plain flag: kube-controller-manager refuses to start
    dual = KUBEADM_OK.replace('"10.0.0.0/16"', '"10.0.0.0/16,fd00::/56"').replace('"10.2.0.0/20"',
                                                                                 '"10.2.0.0/20,fd00:1::/112"') \
        .replace("node-cidr-mask-size-ipv4", "node-cidr-mask-size")
    assert_fails("kubeadm", dual, "kubeadm.kcm-startup", "not allowed with dual-stack")
    assert_fails("kubeadm", KUBEADM_OK.replace("node-cidr-mask-size-ipv4", "node-cidr-mask-size-ipv6"),
                 "kubeadm.kcm-startup", "single-stack IPv4")


def test_kubeadm_kubelet_configuration() -> None:
    doc = KUBEADM_OK + "---\napiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nmaxPods: 30\n"
    assert_passes("kubeadm", doc, "kubeadm.type", "kubeadm.kubelet")
    assert_fails("kubeadm", doc.replace("maxPods: 30", 'maxPods: "30"'), "kubeadm.kubelet")
    assert_fails("kubeadm", KUBEADM_OK + "---\n" + KUBEADM_OK.split("\n", 1)[1], "kubeadm.type",
                 "2 ClusterConfiguration")


KCM_OK = """# cluster "a" (flat model)
--allocate-node-cidrs=true
--cluster-cidr=10.0.0.0/16,fd00::/56
--node-cidr-mask-size-ipv4=24
--node-cidr-mask-size-ipv6=64
--service-cluster-ip-range=10.2.0.0/20,fd00:1::/112
"""


def test_kcm_flags() -> None:
    assert_passes("kcm-flags", KCM_OK, "kcm.flag-names", "kcm.values", "kcm.startup")
    assert_fails("kcm-flags", KCM_OK + "--max-pods=30\n", "kcm.flag-names", "max-pods")
    assert_fails("kcm-flags", KCM_OK.replace("=true", "=yes"), "kcm.values", "ParseBool")
    assert_fails("kcm-flags", KCM_OK.replace("ipv4=24", "ipv4=2x"), "kcm.values", "ParseInt")
    assert_fails("kcm-flags", KCM_OK + "--node-cidr-mask-size=24\n", "kcm.startup", "dual-stack")
    assert_fails("kcm-flags", KCM_OK.replace("fd00::/56", "fd00::/40"), "kcm.startup", "too big")
    assert_fails("kcm-flags", KCM_OK.replace("fd00::/56", "10.1.0.0/16"), "kcm.startup", "dual stack")
    assert_fails("kcm-flags", KCM_OK.replace(",fd00:1::/112", ",10.3.0.0/20"), "kcm.startup", "dualstack")
    assert_fails("kcm-flags", KCM_OK.replace("ipv4=24", "ipv4=12"), "kcm.startup", "[derived]")
    # with 0x and octal as strconv.ParseInt(s, 0, 32) reads them
    assert_passes("kcm-flags", KCM_OK.replace("ipv4=24", "ipv4=0x18"), "kcm.values", "kcm.startup")


MASQ_OK = """# cluster "a" (island model), generated by cidrplan
apiVersion: v1
kind: ConfigMap
metadata:
  name: ip-masq-agent
  namespace: kube-system
data:
  config: |
    nonMasqueradeCIDRs:
      - 10.0.0.0/16
    masqLinkLocal: false
    resyncInterval: 60s
"""


def test_ip_masq_agent() -> None:
    assert_passes("ip-masq-agent", MASQ_OK, "ip-masq-agent.configmap", "ip-masq-agent.fields", "ip-masq-agent.validate",
                  "ip-masq-agent.ipv6-flag")
    assert_fails("ip-masq-agent", MASQ_OK.replace("namespace: kube-system", "namespace: default"),
                 "ip-masq-agent.configmap", "kube-system")
    assert_fails("ip-masq-agent", MASQ_OK.replace("  config: |", "  agent-config: |"), "ip-masq-agent.configmap",
                 "data.config")
    assert_fails("ip-masq-agent", MASQ_OK.replace("masqLinkLocal:", "masqLinkLocalv4:"), "ip-masq-agent.fields",
                 "masqLinkLocalv4")
    case = MASQ_OK.replace("masqLinkLocal:", "MasqLinkLocal:")
    assert statuses("ip-masq-agent", case, "ip-masq-agent.key-case") == {"WARN"}
    assert "FAIL" not in statuses("ip-masq-agent", case, "ip-masq-agent.fields")
    assert_fails("ip-masq-agent", MASQ_OK.replace("10.0.0.0/16", "10.0.0.1/16"), "ip-masq-agent.validate", "aligned")
    assert_fails("ip-masq-agent", MASQ_OK.replace("60s", "60"), "ip-masq-agent.validate", "duration")
    many = MASQ_OK.replace("      - 10.0.0.0/16\n", "".join(f"      - 10.{i}.0.0/16\n" for i in range(65)))
    assert_fails("ip-masq-agent", many, "ip-masq-agent.validate", "more than 64")
    assert_passes("ip-masq-agent", many.replace("    masqLinkLocal", "    cidrLimit: 65\n    masqLinkLocal"),
                  "ip-masq-agent.validate")
    v6 = MASQ_OK.replace("      - 10.0.0.0/16\n", "      - 10.0.0.0/16\n      - fd00::/48\n")
    assert statuses("ip-masq-agent", v6, "ip-masq-agent.ipv6-flag") == {"WARN"}


def test_ip_masq_agent_upstream_example_config_passes() -> None:
    assert CHECKER is not None
    text = (CHECKER.dir / "ip-masq-agent" / "agent-config.config.yaml").read_text()
    rs = CHECKER.check_masq_config("upstream-example", text)
    assert {r.status for r in rs} == {"PASS"}, [r.line() for r in rs]


def test_tfvars() -> None:
    assert statuses("tfvars", '{"clusters": {}}', "tfvars.json") == {"PASS"}
    assert_fails("tfvars", "[1, 2]", "tfvars.json", "object")
    assert_fails("tfvars", '{"a": 1, "a": 2}', "tfvars.json", "duplicate")
    assert_fails("tfvars", '{"a": ', "tfvars.json", "not JSON")


def test_yaml_duplicate_keys_are_errors() -> None:
    assert_fails("calico", CALICO_OK + "kind: IPPool\n", "calico.parse", "duplicate key")


POLICY_OK = """# cluster "a" (isolated model), generated by cidrplan
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: cidrplan-isolate
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress:
    - from:
        - ipBlock:
            cidr: 10.0.0.0/16
        - ipBlock:
            cidr: 10.240.0.0/24
  egress:
    - to:
        - ipBlock:
            cidr: 10.0.0.0/16
            except: [10.0.1.0/24]
      ports:
        - protocol: UDP
          port: 53
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: cidrplan-gateways
spec:
  podSelector:
    matchLabels:
      cidrplan.io/gateway: "true"
  policyTypes: [Ingress]
  ingress:
    - {}
"""


def test_policy() -> None:
    assert_passes("policy", POLICY_OK, "policy.type", "policy.fields", "policy.name", "policy.selectors",
                  "policy.policyTypes", "policy.peers")
    assert_fails("policy", POLICY_OK.replace("cidr: 10.0.0.0/16\n            except", "cidr: 10.0.0/16\n            except"),
                 "policy.peers", "cidr")
    assert_fails("policy", POLICY_OK.replace("except: [10.0.1.0/24]", "except: [10.1.0.0/24]"), "policy.peers",
                 "strict subset")
    assert_fails("policy", POLICY_OK.replace("name: cidrplan-isolate", "name: Cidrplan_Isolate"), "policy.name")
    assert_fails("policy", POLICY_OK.replace("[Ingress, Egress]", "[Ingress, Outgress]"), "policy.policyTypes")
    assert_fails("policy", POLICY_OK.replace("  podSelector: {}\n", ""), "policy.fields", "podSelector")
    assert_fails("policy", POLICY_OK.replace("cidrplan.io/gateway", "cidrplan.io/gate way"), "policy.selectors")
    assert_fails("policy", POLICY_OK.replace("v1\nkind: NetworkPolicy", "v1beta1\nkind: NetworkPolicy", 1), "policy.type")
    assert_fails("policy", POLICY_OK.replace("protocol: UDP", "protocol: ICMP"), "policy.peers", "ICMP")


NFT_OK = """# cluster "a" (mapped model), generated by cidrplan
table ip cidrplan_a {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    ip saddr 10.0.0.0/24 ip daddr 10.0.0.0/8 snat ip prefix to ip saddr map { 10.0.0.0/24 : 10.1.1.0/24 }
  }
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    ip daddr 10.1.1.0/24 dnat ip prefix to ip daddr map { 10.1.1.0/24 : 10.0.0.0/24 }
  }
}
"""


def test_node_nat_structure() -> None:
    assert_passes("node-nat", NFT_OK, "node-nat.structure")
    assert_fails("node-nat", NFT_OK.replace("dnat ip prefix", "dnat ip"), "node-nat.structure", "dnat")
    assert_fails("node-nat", NFT_OK.replace("(mapped model)", "(flat model)"), "node-nat.structure", "flat")
    assert statuses("node-nat", NFT_OK, "node-nat.nft") <= {"PASS", "SKIP"}
    if statuses("node-nat", NFT_OK, "node-nat.nft") == {"PASS"}:
        assert_fails("node-nat", NFT_OK.replace("snat ip prefix to", "snat ip prefix too"), "node-nat.nft")


def test_cli_exit_codes_and_figures(tmp_path: Path) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(CALICO_OK.replace("blockSize: 24", "blockSize: 33"))
    p = subprocess.run([sys.executable, str(Path(ce.__file__)), "--format", "calico", str(f)], capture_output=True, text=True)
    assert p.returncode == 1
    assert re.search(r"^FAIL calico\.cel a/1 ", p.stdout, re.M)
    assert "documents checked: 1" in p.stdout and "checks run:" in p.stdout
    f.write_text(CALICO_OK)
    p = subprocess.run([sys.executable, str(Path(ce.__file__)), str(f)], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    p = subprocess.run([sys.executable, str(Path(ce.__file__)), "--schemas", str(tmp_path), str(f)], capture_output=True,
                       text=True)
    assert p.returncode == 3 and "NOT RUN" in p.stderr


def test_node_nat_without_nft_is_skipped_with_a_notice(monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    checker = ce.Checker()
    monkeypatch.setattr(ce.shutil, "which", lambda name: None)
    rs, _ = checker.check_text("node-nat", NFT_OK)
    assert {r.status for r in rs if r.check == "node-nat.nft"} == {"SKIP"}
    assert {r.status for r in rs if r.check == "node-nat.structure"} == {"PASS"}
    assert "NOTICE: node-nat.nft skipped: nft is not installed" in capsys.readouterr().err


def test_node_nat_sections_against_the_plan() -> None:
    assert CHECKER is not None
    empty = '# cluster "v6" (mapped model), generated by cidrplan\n# nothing to load\n'
    assert statuses("node-nat", empty, "node-nat.structure") == {"WARN"}
    v6_only = {"clusters": [{"name": "v6", "datapath": [{"family": "ipv6", "pod_cidr": "fd00::/56"}]}]}
    v4 = {"clusters": [{"name": "v6", "datapath": [{"family": "ipv4", "external_pod_cidr": "10.1.0.0/16"}]}]}
    assert {r.status for r in CHECKER.check_text("node-nat", empty, v6_only)[0]} == {"PASS"}
    assert {r.status for r in CHECKER.check_text("node-nat", empty, v4)[0]} == {"FAIL"}


# --------------------------------------------------------------------------------------
# Exports of one cluster agree with each other: one decision per cluster (docs/datapath.md)


def documents_by_cluster(fmt: str, req_id: str) -> dict[str, list[dict[str, Any]]]:
    import yaml

    done = run_plan(req_id, fmt)
    assert done.returncode == 0, done.stderr
    out: dict[str, list[dict[str, Any]]] = {}
    for doc in ce.split_yaml_documents(done.stdout):
        loaded = yaml.safe_load(doc.text)
        if isinstance(loaded, dict):
            out.setdefault(doc.cluster, []).append(loaded)
    return out


KPR_SETTING = "# proxy:\n#   disabled: true\n"


@pytest.mark.parametrize("req_id", ["pools70-flat", "pools70-island", "talk-flat", "talk-mapped"])
def test_kubeadm_keeps_kube_proxy_off_where_cilium_replaces_it(req_id: str) -> None:
    """Where a cluster's Cilium values set kubeProxyReplacement: true, its kubeadm
    ClusterConfiguration carries v1beta4's `proxy: {disabled: true}` (commented: other CNIs
    need kube-proxy); uncommented, it passes the v1beta4 schema. Elsewhere it says nothing."""
    cilium = documents_by_cluster("cilium", req_id)
    kubeadm_text = run_plan(req_id, "kubeadm").stdout
    kubeadm = {d.cluster: d.text for d in ce.split_yaml_documents(kubeadm_text) if "ClusterConfiguration" in d.text}
    assert cilium and set(cilium) == set(kubeadm)
    replaced = 0
    for name, docs in cilium.items():
        kpr = any(d.get("kubeProxyReplacement") is True for d in docs)
        assert (KPR_SETTING in kubeadm[name]) == kpr, f"{req_id}: {name}: kubeProxyReplacement {kpr}"
        if kpr:
            replaced += 1
            uncommented = kubeadm[name].replace(KPR_SETTING, "proxy:\n  disabled: true\n")
            assert_passes("kubeadm", uncommented, "kubeadm.type", "kubeadm.fields")
            assert ce.load_yaml(uncommented)["proxy"] == {"disabled": True}
    if req_id == "pools70-flat":
        assert replaced == len(cilium), "70 pools kept by every flat cluster need Cilium's ip-masq-agent"
    # The checker sees the setting: a misspelt key fails v1beta4's fields.
    if replaced:
        name = next(n for n, docs in cilium.items() if any(d.get("kubeProxyReplacement") for d in docs))
        misspelt = kubeadm[name].replace(KPR_SETTING, "proxy:\n  disable: true\n")
        assert_fails("kubeadm", misspelt, "kubeadm.fields")


@pytest.mark.parametrize("req_id", sorted(r for r in REQUESTS if not r.startswith("cloud-eks") and r != "cloud-aks-azure-cni"))
def test_calico_and_cilium_route_pods_the_same_way(req_id: str) -> None:
    """Calico's vxlanMode and Cilium's routingMode render the same `datapath.routing` of
    each cluster (AKS overlay and kubenet, GKE VPC-native: native in every model)."""
    if run_plan(req_id, None).returncode != 0:
        pytest.skip("infeasible request")
    plan = json.loads(run_plan(req_id, None).stdout)
    cilium = documents_by_cluster("cilium", req_id)
    calico = documents_by_cluster("calico", req_id)
    for c in plan["clusters"]:
        name, routing = c["name"], {d["family"]: d["routing"] for d in c["datapath"]}
        # Cilium has one routingMode per cluster: the first family's decision.
        first = c["datapath"][0]["routing"]
        modes = {d.get("routingMode") for d in cilium[name]} - {None}
        assert modes == {first}, f"{req_id}: {name}: cilium {modes}, plan {first}"
        for pool in calico.get(name, []):
            if pool.get("kind") != "IPPool" or pool["spec"].get("disabled"):
                continue
            family = "ipv6" if ":" in pool["spec"]["cidr"] else "ipv4"
            want = "Never" if routing[family] == "native" else "Always"
            got = pool["spec"].get("vxlanMode")
            assert got == want, f"{req_id}: {name}: calico {family} {got}, plan {routing[family]}"
