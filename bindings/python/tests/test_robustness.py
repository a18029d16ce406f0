"""Hostile input at the Python boundary: every call raises a CidrplanError subclass or a
TypeError, never anything else (no RecursionError, no PanicException, no crash); the core
releases the GIL while it works; output explosions stay bounded; hostile names round-trip."""

from __future__ import annotations

import ipaddress
import json
import math
import sys
import threading
from collections.abc import Callable
from typing import Any

import pytest

import cidrplan
from cidrplan import _native

CODES = set(_native.error_codes())


def _nested(depth: int, leaf: Any = "10.0.0.0/8") -> Any:
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


WEIRD: list[Any] = [
    None,
    True,
    1.5,
    math.nan,
    -1,
    2**200,
    b"10.0.0.0/8",
    bytearray(b"x"),
    object(),
    {1: "10.0.0.0/8"},
    {"a": None},
    {("tuple",): "x"},
    {"10.0.0.0/8"},
    (x for x in ["10.0.0.0/8"]),
    ["10.0.0.0/8", None],
    [["a", "10.0.0.0/8", "extra"]],
    [["a"]],
    "\x00",
    "10.0.0.0/8\x00",
    "１０.0.0.0/8",  # full-width digits
    "10.0.0.0/" + "9" * 100,
    "x" * 100_000,
    ipaddress.ip_address("10.0.0.1"),
    _nested(50),
]

CALLS: dict[str, Callable[[Any], Any]] = {
    "overlaps": lambda v: cidrplan.overlaps(v),
    "overlaps max_listed": lambda v: cidrplan.overlaps(["10.0.0.0/8"], max_listed=v),
    "overlaps expected": lambda v: cidrplan.overlaps(["10.0.0.0/8"], expected=v),
    "aggregate": lambda v: cidrplan.aggregate(v),
    "aggregate item": lambda v: cidrplan.aggregate([v]),
    "exclude parent": lambda v: cidrplan.exclude(v, []),
    "exclude used": lambda v: cidrplan.exclude("10.0.0.0/8", v),
    "carve pools": lambda v: cidrplan.carve(v, {"a": "/24"}),
    "carve requests": lambda v: cidrplan.carve("10.0.0.0/8", v),
    "carve size": lambda v: cidrplan.carve("10.0.0.0/8", {"a": v}),
    "carve reserved": lambda v: cidrplan.carve("10.0.0.0/8", {"a": "/24"}, v),
    "carve strategy": lambda v: cidrplan.carve("10.0.0.0/8", {"a": "/24"}, (), v),
    "plan": lambda v: cidrplan.plan(v),
    "plan pools": lambda v: cidrplan.plan({"network": {"pools": v}, "clusters": [{"name": "a", "nodes": 1}]}),
    "plan nodes": lambda v: cidrplan.plan({"network": {"pools": ["10.0.0.0/8"]}, "clusters": [{"name": "a", "nodes": v}]}),
    "plan name": lambda v: cidrplan.plan({"network": {"pools": ["10.0.0.0/8"]}, "clusters": [{"name": v, "nodes": 1}]}),
    "recommend": lambda v: cidrplan.recommend(v),
    "export format": lambda v: cidrplan.export(cidrplan.example_spec(), v),
}


def _outcome(call: Callable[[Any], Any], value: Any) -> str:
    try:
        result = call(value)
    except cidrplan.CidrplanError as e:
        assert e.code in CODES or e.code == "internal_error", e.code
        assert e.code != "internal_error", f"a core panic: {e}"
        return "ok"
    except TypeError:
        return "ok"
    except BaseException as e:  # noqa: BLE001 - the point is to see anything else
        return f"{type(e).__name__}: {str(e)[:120]}"
    json.dumps(result)
    return "ok"


# Known to leak other exceptions (reported, not yet fixed in bindings/python): a negative
# or huge ``max_listed`` raises OverflowError; a malformed ``expected`` pair raises a plain
# ValueError from tuple unpacking.
KNOWN_LEAKS = {"overlaps max_listed", "overlaps expected"}


def test_hostile_values_raise_only_cidrplan_errors_or_type_errors() -> None:
    bad = []
    for name, call in CALLS.items():
        if name in KNOWN_LEAKS:
            continue
        for value in WEIRD:
            outcome = _outcome(call, value)
            if outcome != "ok":
                bad.append(f"{name}({type(value).__name__}): {outcome}")
    assert not bad, "\n".join(bad)


@pytest.mark.xfail(reason="known leaks, see KNOWN_LEAKS", strict=False)
@pytest.mark.parametrize("name", sorted(KNOWN_LEAKS))
def test_known_leaks(name: str) -> None:
    bad = [v for v in WEIRD if _outcome(CALLS[name], v) != "ok"]
    assert not bad


@pytest.mark.parametrize("depth", [127, 129, 1_000, 100_000])
@pytest.mark.parametrize("name", ["plan pools", "overlaps", "exclude used", "carve size", "carve requests", "recommend"])
def test_deep_nesting_is_an_error_not_a_crash(name: str, depth: int) -> None:
    assert _outcome(CALLS[name], _nested(depth)) == "ok"


@pytest.mark.xfail(
    reason="aggregate's list fast path formats repr(value) of a bad item (bindings/python "
    "_wire.to_cidr), which raises RecursionError on deep nesting; reprlib.repr would bound it",
    strict=False,
)
@pytest.mark.parametrize("depth", [5_000, 100_000])
def test_deep_nesting_in_aggregate(depth: int) -> None:
    assert _outcome(CALLS["aggregate"], _nested(depth)) == "ok"


def test_deeply_nested_json_text_in_a_spec_string_field() -> None:
    # A string that looks like a deep document is just a bad name or prefix.
    deep = "[" * 100_000
    assert _outcome(CALLS["plan name"], deep) == "ok"
    assert _outcome(CALLS["aggregate item"], deep) == "ok"


def test_limits_are_limit_exceeded() -> None:
    with pytest.raises(cidrplan.CidrplanError) as info:
        cidrplan.plan({"network": {"pools": ["10.0.0.0/8"]}, "clusters": [{"name": "n" * 257, "nodes": 1}]})
    assert info.value.code == "limit_exceeded"
    with pytest.raises(cidrplan.CidrplanError) as info:
        cidrplan.recommend(
            {"network": {"pools": ["10.0.0.0/8"]}, "clusters": [{"name": f"c{i}", "nodes": 1} for i in range(501)]}
        )
    assert info.value.code == "limit_exceeded"


def test_identical_prefixes_count_all_pairs_list_few() -> None:
    n = 100_000
    report = cidrplan.overlaps(["10.0.0.0/8"] * n, max_listed=3)
    assert report["total"] == n * (n - 1) // 2
    assert len(report["overlaps"]) == 3
    assert report["truncated"] is True


def test_ipv6_slash_zero_into_host_routes() -> None:
    result = cidrplan.carve("::/0", {f"h{i}": "/128" for i in range(10_000)}, strategy="first-fit")
    assert len(result["allocations"]) == 10_000
    assert result["allocations"][-1]["cidr"] == str(ipaddress.ip_network(f"::{9999:x}/128"))


HOSTILE_NAMES = [
    "<img src=x onerror=alert(1)>",
    "quote\" and 'single'",
    "line\nbreak\ttab\r\x00nul\x1b[31m",
    "ünïcødé 日本 🚀 \u202ertl",
    "yaml: {a: [b]} # c\n- item",
]


def test_hostile_names_round_trip_through_plans_and_exports() -> None:
    spec = {
        "network": {"pools": ["10.0.0.0/8"], "allocations": [{"name": "</script>", "cidr": "10.200.0.0/16"}]},
        "clusters": [{"name": name, "nodes": 2} for name in HOSTILE_NAMES],
        "model": "island",
    }
    plan = cidrplan.plan(spec)
    assert [c["name"] for c in plan["clusters"]] == HOSTILE_NAMES
    tfvars = json.loads(cidrplan.export(spec, "tfvars"))
    assert sorted(tfvars["clusters"]) == sorted(HOSTILE_NAMES)
    yaml = pytest.importorskip("yaml")
    for fmt in ("kubeadm", "calico", "cilium", "ip-masq-agent"):
        docs = [d for d in yaml.safe_load_all(cidrplan.export(spec, fmt)) if d is not None]
        assert len(docs) >= len(HOSTILE_NAMES), fmt


LONG_CALLS: dict[str, Callable[[], Any]] = {
    "overlaps": lambda: cidrplan.overlaps(["10.0.0.0/8"] * 300_000, max_listed=0),
    "aggregate": lambda: cidrplan.aggregate([f"10.{i >> 8 & 255}.{i & 255}.0/25" for i in range(0, 200_000, 2)]),
    "carve": lambda: cidrplan.carve("::/0", [[f"h{i}", "/128"] for i in range(100_000)]),
    "plan": lambda: cidrplan.plan(
        {
            "network": {
                "pools": ["10.0.0.0/8"],
                "allocations": [{"name": f"h{i}", "cidr": f"10.{i >> 8 & 255}.{i & 255}.0/28"} for i in range(30_000)],
            },
            "clusters": [{"name": "a", "nodes": 10}],
        }
    ),
}


@pytest.mark.parametrize("name", sorted(LONG_CALLS))
def test_the_gil_is_released_while_the_core_works(name: str) -> None:
    # With a huge switch interval the worker never yields the GIL on its own: the main
    # thread can count while the worker is inside the core only if the core released it.
    call = LONG_CALLS[name]
    counter = 0
    seen: dict[str, int] = {}
    started = threading.Event()
    done = threading.Event()

    def worker() -> None:
        started.set()
        before = counter
        call()
        seen["during"] = counter - before
        done.set()

    old = sys.getswitchinterval()
    sys.setswitchinterval(100.0)
    try:
        thread = threading.Thread(target=worker)
        thread.start()
        started.wait()
        while not done.is_set():
            counter += 1
            done.wait(0.0005)  # blocks briefly, so the worker can take the GIL back
        thread.join()
    finally:
        sys.setswitchinterval(old)
    assert seen["during"] > 0, "the main thread never ran while the core worked: GIL held"
