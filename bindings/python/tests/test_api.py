"""The Pythonic surface: accepted argument forms, result shapes and the exceptions."""

from __future__ import annotations

import collections
import ipaddress
import json
import pickle
import threading

import pytest

import cidrplan
from cidrplan import _native
from cidrplan.errors import CidrplanError, SpaceExhaustedError


def test_ipaddress_objects_are_accepted_everywhere() -> None:
    net = ipaddress.ip_network
    assert cidrplan.aggregate([net("10.0.0.0/25"), net("10.0.0.128/25")]) == {"prefixes": ["10.0.0.0/24"]}
    assert cidrplan.exclude(net("10.0.0.0/24"), (net("10.0.0.0/25"),)) == {"free": ["10.0.0.128/25"]}
    result = cidrplan.carve(net("10.0.0.0/24"), [("a", "/26")], reserved=net("10.0.0.0/26"))
    assert result["allocations"][0]["cidr"] == "10.0.0.64/26"
    pairs = cidrplan.overlaps({"host": ipaddress.ip_address("10.0.0.7"), "lan": net("10.0.0.0/24")})
    assert pairs["overlaps"][0]["a_cidr"] == "10.0.0.7/32"
    assert pairs["overlaps"][0]["relation"] == "within"
    v6 = cidrplan.aggregate([ipaddress.ip_address("2001:db8::1"), net("2001:db8::/127")])
    assert v6 == {"prefixes": ["2001:db8::/127"]}


def test_interfaces_follow_strict_parsing() -> None:
    with pytest.raises(cidrplan.PrefixError) as info:
        cidrplan.aggregate([ipaddress.ip_interface("10.0.0.1/24")])
    assert info.value.code == "host_bits_set"
    assert cidrplan.aggregate([ipaddress.ip_interface("10.0.0.1/24")], lenient=True) == {
        "prefixes": ["10.0.0.0/24"]
    }


def test_generators_and_sets_are_accepted() -> None:
    gen = (f"10.0.{i}.0/24" for i in range(4))
    assert cidrplan.aggregate(gen) == {"prefixes": ["10.0.0.0/22"]}
    assert cidrplan.aggregate({"10.0.0.0/24", "10.0.1.0/24"}) == {"prefixes": ["10.0.0.0/23"]}


def test_overlap_item_forms_agree() -> None:
    as_map = cidrplan.overlaps({"dc": "10.0.0.0/16", "vpn": "10.0.8.0/24"})
    as_pairs = cidrplan.overlaps([("dc", "10.0.0.0/16"), ["vpn", "10.0.8.0/24"]])
    assert as_map == as_pairs
    bare = cidrplan.overlaps(["10.0.0.0/16", "10.0.8.0/24", "10.0.8.0/24"])
    assert [(o["a"], o["b"], o["relation"]) for o in bare["overlaps"]] == [
        ("10.0.0.0/16", "10.0.8.0/24", "contains"),
        ("10.0.0.0/16", "10.0.8.0/24", "contains"),
        ("10.0.8.0/24", "10.0.8.0/24", "equal"),
    ]


def test_overlaps_expected_and_max_listed() -> None:
    items = {"dc": "10.0.0.0/16", "rack": "10.0.1.0/24", "vpn": "10.0.1.0/24"}
    assert cidrplan.overlaps(items, expected=[("dc", "rack")])["total"] == 2
    capped = cidrplan.overlaps(items, max_listed=1)
    assert (len(capped["overlaps"]), capped["total"], capped["truncated"]) == (1, 3, True)


def test_carve_request_forms_and_order() -> None:
    mapping = collections.OrderedDict(
        [("small", "/26"), ("big", 100), ("pin", {"size": "/26", "pinned": "10.0.0.192/26"})]
    )
    result = cidrplan.carve(["10.0.0.0/23"], mapping, strategy="first-fit")
    assert [(a["name"], a["addresses"]) for a in result["allocations"]] == [
        ("small", "64"),
        ("big", "128"),
        ("pin", "64"),
    ]
    assert result["allocations"][2]["cidr"] == "10.0.0.192/26"
    assert result["lost_to_rounding"] == "28"
    placed = [ipaddress.ip_network(a["cidr"]) for a in result["allocations"]]
    assert not any(a.overlaps(b) for i, a in enumerate(placed) for b in placed[i + 1 :])
    pairs = cidrplan.carve("10.0.0.0/16", [("a", "/20"), ("b", "4096"), ("c", 1000)])
    assert [a["addresses"] for a in pairs["allocations"]] == ["4096", "4096", "1024"]
    assert pairs["lost_to_rounding"] == "24"


def test_a_bad_value_is_named_by_its_path() -> None:
    with pytest.raises(cidrplan.InputError, match=r"^invalid requests\[1\]\[1\]: invalid type: boolean `true`, expected a request size"):
        cidrplan.carve("10.0.0.0/16", [("a", "/24"), ("b", True)])
    with pytest.raises(cidrplan.InputError, match=r"^invalid requests\.b: -3 is not an address count"):
        cidrplan.carve("10.0.0.0/16", {"a": "/24", "b": -3})
    with pytest.raises(cidrplan.InputError, match=r'^invalid requests\.a\\": b: -3 is not'):
        cidrplan.carve("10.0.0.0/16", {'a\\": b': -3})
    spec = {"network": {"pools": ["10.0.0.0/8"]}, "clusters": [{"name": "a", "nodes": 3}, {"name": "b", "nodes": "x"}]}
    with pytest.raises(cidrplan.InputError, match=r'^invalid clusters\[1\]\.nodes: invalid type: string "x", expected u32'):
        cidrplan.plan(spec)
    with pytest.raises(cidrplan.InputError, match=r"^invalid network\.allocations\[0\]: missing field `cidr`"):
        cidrplan.plan({"network": {"pools": ["10.0.0.0/8"], "allocations": [{"name": "y"}]}, "clusters": [{"name": "a", "nodes": 3}]})
    # A float count past 2^53 may already be rounded: refused, with the way out.
    with pytest.raises(cidrplan.InputError, match="write it as a decimal string"):
        cidrplan.carve("::/0", [("a", 2.0**60)])
    # Touching pools are not merged: a /24 does not fit two /25s.
    with pytest.raises(SpaceExhaustedError, match="the largest free block is 10.0.0.0/25"):
        cidrplan.carve(["10.0.0.0/25", "10.0.0.128/25"], [("a", "/24")])


def test_carve_sequential_matches_terraform_cidrsubnets() -> None:
    # cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)
    result = cidrplan.carve("10.1.0.0/16", [("a", "/20"), ("b", "/20"), ("c", "/24"), ("d", "/20")], strategy="sequential")
    assert [a["cidr"] for a in result["allocations"]] == ["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"]
    assert result["strategy"] == "sequential"


def test_results_are_plain_json() -> None:
    result = cidrplan.carve("2001:db8::/32", {"a": "/33"})
    assert json.loads(json.dumps(result)) == result
    assert result["pools"][0]["free"] == str(2**95)


@pytest.mark.parametrize(
    ("call", "error", "code"),
    [
        (lambda: cidrplan.aggregate(["10.0.0.0/33"]), cidrplan.PrefixError, "prefix_too_long"),
        (lambda: cidrplan.aggregate(["banana"]), cidrplan.PrefixError, "invalid_prefix"),
        (lambda: cidrplan.exclude("10.0.0.0/8", ["2001:db8::/32"]), cidrplan.PrefixError, "mixed_families"),
        (lambda: cidrplan.carve("10.0.0.0/24", {"a": "/23"}), cidrplan.SpaceExhaustedError, "space_exhausted"),
        (lambda: cidrplan.carve("10.0.0.0/24", {"a": {"pinned": "10.1.0.0/24"}}), cidrplan.PinnedConflictError, "pinned_conflict"),
        (lambda: cidrplan.carve("10.0.0.0/24", {"a": "/26"}, strategy="worst-fit"), cidrplan.InputError, "invalid_input"),
        (lambda: cidrplan.carve("10.0.0.0/24", {"a": 0}), cidrplan.RequestError, "invalid_request"),
        (lambda: cidrplan.aggregate([42]), cidrplan.InputError, "invalid_input"),  # type: ignore[list-item]
        (lambda: cidrplan.aggregate([object()]), cidrplan.InputError, "invalid_input"),  # type: ignore[list-item]
        (lambda: cidrplan.aggregate([float("nan")]), cidrplan.InputError, "invalid_input"),  # type: ignore[list-item]
    ],
)
def test_errors_have_a_family_and_a_code(call: object, error: type[CidrplanError], code: str) -> None:
    with pytest.raises(error) as info:
        call()  # type: ignore[operator]
    assert isinstance(info.value, ValueError)
    assert info.value.code == code
    assert str(info.value)


def test_every_core_code_maps_to_a_specific_family() -> None:
    codes = _native.error_codes()
    assert "space_exhausted" in codes and len(codes) == len(set(codes))
    for code in codes:
        err = _native.exception_for(code, f"message for {code}")
        assert isinstance(err, CidrplanError)
        assert type(err) is not CidrplanError, f"{code} falls through to the base class"
        assert err.code == code
        assert str(err) == f"message for {code}"
    unknown = _native.exception_for("some_future_code", "m")
    assert type(unknown) is CidrplanError and unknown.code == "some_future_code"


def test_exceptions_pickle_with_their_code() -> None:
    err = cidrplan.SpaceExhaustedError("no room", "space_exhausted")
    again = pickle.loads(pickle.dumps(err))
    assert (type(again), again.code, str(again)) == (cidrplan.SpaceExhaustedError, "space_exhausted", "no room")


def test_calls_from_threads_agree() -> None:
    # The core runs with the GIL released; concurrent calls must not interfere.
    prefixes = [f"10.{i // 256}.{i % 256}.0/24" for i in range(20000)]
    results: list[object] = []
    threads = [
        threading.Thread(target=lambda: results.append(cidrplan.aggregate(prefixes)))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = {
        "prefixes": ["10.0.0.0/10", "10.64.0.0/13", "10.72.0.0/14", "10.76.0.0/15", "10.78.0.0/19"]
    }
    assert results == [expected] * 4


def test_every_export_format_renders_the_example() -> None:
    spec = cidrplan.example_spec()
    assert set(cidrplan.EXPORT_FORMATS) == {
        "kubeadm",
        "kcm-flags",
        "calico",
        "cilium",
        "ip-masq-agent",
        "tfvars",
        "node-nat",
        "policy",
    }
    plan = cidrplan.plan(spec)
    for fmt in cidrplan.EXPORT_FORMATS:
        text = cidrplan.export(spec, fmt)
        assert plan["clusters"][0]["name"] in text, fmt
        assert plan["clusters"][0]["non_masquerade_cidrs"][0] in text or fmt != "ip-masq-agent"
    tfvars = json.loads(cidrplan.export(spec, "tfvars"))
    assert isinstance(tfvars, dict)
    with pytest.raises(cidrplan.InputError) as info:
        cidrplan.export(spec, "helm")
    assert info.value.code == "invalid_input" and "helm" in str(info.value)


def test_a_colliding_plan_exports_nothing_unless_forced() -> None:
    spec = {
        "network": {"pools": ["10.0.0.0/8"]},
        "clusters": [
            {"name": "a", "nodes": 2, "pod_cidr": "10.0.0.0/16"},
            {"name": "b", "nodes": 2, "pod_cidr": "10.0.0.0/16"},
        ],
        "model": "flat",
    }
    for fmt in cidrplan.EXPORT_FORMATS:
        with pytest.raises(cidrplan.CollisionError) as info:
            cidrplan.export(spec, fmt)
        assert info.value.code == "collision"
        assert "cluster a pod_cidr 10.0.0.0/16" in str(info.value)
        assert "cluster b pod_cidr 10.0.0.0/16" in str(info.value)
        forced = cidrplan.export(spec, fmt, force=True)
        assert "cluster b pod_cidr 10.0.0.0/16" in forced
    reach = {(r["from"], r["to"]): r["how"] for r in cidrplan.plan(spec)["reachability"]}
    assert reach[("pod:a", "pod:b")] == "none"


def test_plan_errors_have_spec_families() -> None:
    with pytest.raises(cidrplan.SpecError) as info:
        cidrplan.plan({"network": {"pools": ["10.0.0.0/8"]}, "clusters": [{"name": "a", "nodes": 0}]})
    assert info.value.code == "invalid_spec"
    with pytest.raises(cidrplan.InfeasibleError) as infeasible:
        cidrplan.plan({"network": {"pools": ["10.0.0.0/24"]}, "clusters": [{"name": "a", "nodes": 100}], "model": "flat"})
    assert infeasible.value.code == "infeasible"
    with pytest.raises(cidrplan.InputError):
        cidrplan.plan({"network": {"pools": ["10.0.0.0/8"]}, "clusters": [], "modle": "flat"})


def test_spec_accepts_ipaddress_objects_and_sizing_keywords() -> None:
    spec = {"network": {"pools": [ipaddress.ip_network("10.0.0.0/8")]}, "clusters": [{"name": "a", "nodes": 3}]}
    assert cidrplan.plan(spec) == cidrplan.plan({"network": {"pools": ["10.0.0.0/8"]}, "clusters": [{"name": "a", "nodes": 3}]})
    assert cidrplan.sizing({"max_nodes": 100}, max_pods_per_node=8) == cidrplan.sizing(max_nodes=100, max_pods_per_node=8)


@pytest.mark.parametrize("model", ["flat", "island", "isolated", "mapped", "archipelago"])
def test_plans_have_the_typed_keys(model: str) -> None:
    from cidrplan import types

    result = cidrplan.plan({**cidrplan.example_spec(), "model": model})
    assert result["model"] == model
    assert types.Plan.__required_keys__ <= set(result)
    for cluster in result["clusters"]:
        assert types.ClusterPlan.__required_keys__ <= set(cluster)
        assert set(cluster) <= types.ClusterPlan.__required_keys__ | types.ClusterPlan.__optional_keys__
        assert isinstance(cluster["node_pod_mask"], int)
    for entry in result["ranking"]:
        assert set(entry) == types.RankedModel.__required_keys__
        assert all(set(reason) == types.Reason.__required_keys__ for reason in entry["reasons"])
    assert all(set(reach) == {"from", "to", "how", "family"} for reach in result["reachability"])
    for cluster in result["clusters"]:
        for datapath in cluster["datapath"]:
            assert types.Datapath.__required_keys__ <= set(datapath)
            assert set(datapath) <= types.Datapath.__required_keys__ | types.Datapath.__optional_keys__
    assert all(set(hole) == types.Hole.__required_keys__ for hole in result["holes"])
    assert types.Recommendation.__required_keys__ == set(cidrplan.recommend(cidrplan.example_spec()))
