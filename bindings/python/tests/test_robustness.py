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
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def test_hostile_values_raise_only_cidrplan_errors_or_type_errors() -> None:
    bad = []
    for name, call in CALLS.items():
        for value in WEIRD:
            outcome = _outcome(call, value)
            if outcome != "ok":
                bad.append(f"{name}({type(value).__name__}): {outcome}")
    assert not bad, "\n".join(bad)


# Python values of every shape the calls take or might be given by mistake: unbounded ints
# (and bool, an int subclass), NaN and infinities, text, bytes, nested lists, tuples, dicts.
python_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.sampled_from([2**64 - 1, 2**64, 2**128 - 1, 2**128, -(2**63)]),
        st.integers(4_000, 5_000).map(lambda digits: 10**digits),  # str() refuses past 4,300
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=20),
        st.sampled_from(["10.0.0.0/8", "/24", "::/0", "best-fit", "kubeadm", "a"]),
        st.binary(max_size=8),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(python_values)
def test_any_python_value_raises_only_cidrplan_errors_or_type_errors(value: Any) -> None:
    bad = [f"{name}: {outcome}" for name, call in CALLS.items() if (outcome := _outcome(call, value)) != "ok"]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("depth", [127, 129, 1_000, 100_000])
@pytest.mark.parametrize("name", ["plan pools", "overlaps", "exclude used", "carve size", "carve requests", "recommend"])
def test_deep_nesting_is_an_error_not_a_crash(name: str, depth: int) -> None:
    assert _outcome(CALLS[name], _nested(depth)) == "ok"


@pytest.mark.parametrize("depth", [5_000, 100_000])
@pytest.mark.parametrize("name", ["aggregate", "aggregate item", "overlaps", "overlaps expected"])
def test_deep_nesting_in_list_fast_paths(name: str, depth: int) -> None:
    # The list fast paths quote a bad item in their message: the quote must stay short
    # (it once was an unbounded repr, a RecursionError at depth 5,000).
    assert _outcome(CALLS[name], _nested(depth)) == "ok"
    with pytest.raises(cidrplan.InputError) as info:
        cidrplan.aggregate(_nested(depth))
    assert info.value.code == "invalid_input"
    assert "prefixes" in str(info.value)
    assert len(str(info.value)) < 200


class _BadRepr:
    def __repr__(self) -> str:
        raise ValueError("a __repr__ that raises")


# Values whose repr is huge, deep, slow or raises: a message quotes each in a bounded form.
UNPRINTABLE: list[Any] = [
    _nested(100_000),
    10**5000,  # str() refuses ints past 4,300 digits with a ValueError
    "x" * 1_000_000,
    b"x" * 1_000_000,
    {i: [i] * 10 for i in range(10_000)},
    _BadRepr(),
]


@pytest.mark.parametrize("value", UNPRINTABLE, ids=lambda v: type(v).__name__)
@pytest.mark.parametrize(
    "call",
    [
        lambda v: cidrplan.aggregate([v]),
        lambda v: cidrplan.aggregate(["10.0.0.0/8", v]),
        lambda v: cidrplan.overlaps([v]),
        lambda v: cidrplan.overlaps([("a", v)]),
        lambda v: cidrplan.overlaps(["10.0.0.0/8"], expected=cast(Any, [(v,)])),
        lambda v: cidrplan.overlaps(["10.0.0.0/8"], max_listed=v),
    ],
    ids=["aggregate", "aggregate second", "overlaps", "overlaps pair", "expected pair", "max_listed"],
)
def test_messages_quote_a_bounded_repr(call: Callable[[Any], Any], value: Any) -> None:
    with pytest.raises((cidrplan.CidrplanError, TypeError)) as info:
        call(value)
    assert len(str(info.value)) < 300, str(info.value)[:400]


@pytest.mark.parametrize("value", [-1, -(2**200), 2**64, 2**200, 10**5000], ids=["-1", "-2^200", "2^64", "2^200", "10^5000"])
@pytest.mark.parametrize("items", [["10.0.0.0/8"], ("10.0.0.0/8",), {"a": "10.0.0.0/8"}], ids=["list", "tuple", "dict"])
def test_max_listed_out_of_range_is_invalid_input(items: Any, value: int) -> None:
    # The core takes a u64; both the list fast path and the JSON path check it first.
    with pytest.raises(cidrplan.InputError) as info:
        cidrplan.overlaps(items, max_listed=value)
    assert info.value.code == "invalid_input"
    assert "max_listed" in str(info.value)
    assert len(str(info.value)) < 200


@pytest.mark.parametrize("value", [True, False, 1.0, math.nan, math.inf, "3", b"3", [3]])
@pytest.mark.parametrize("items", [["10.0.0.0/8"], ("10.0.0.0/8",)], ids=["list", "tuple"])
def test_max_listed_of_the_wrong_type_is_a_type_error(items: Any, value: Any) -> None:
    with pytest.raises(TypeError, match="max_listed"):
        cidrplan.overlaps(items, max_listed=value)


def test_max_listed_bounds_and_index_types() -> None:
    items = ["10.0.0.0/8"] * 3
    assert cidrplan.overlaps(items, max_listed=0)["overlaps"] == []
    assert len(cidrplan.overlaps(items, max_listed=2**64 - 1)["overlaps"]) == 3

    class Two:
        def __index__(self) -> int:
            return 2

    assert len(cidrplan.overlaps(items, max_listed=Two())["overlaps"]) == 2  # type: ignore[arg-type]
    assert len(cidrplan.overlaps(tuple(items), max_listed=Two())["overlaps"]) == 2  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "expected",
    [[("a",)], [("a", "b", "c")], [()], [["a"]], [iter(["a", "b", "c", "d"])], [_nested(100_000)]],
    ids=["one", "three", "empty", "list of one", "long iterator", "deep"],
)
@pytest.mark.parametrize("items", [["10.0.0.0/8"], ("10.0.0.0/8",)], ids=["list", "tuple"])
def test_expected_pair_of_the_wrong_length_is_invalid_input(items: Any, expected: Any) -> None:
    with pytest.raises(cidrplan.InputError) as info:
        cidrplan.overlaps(items, expected=expected)
    assert info.value.code == "invalid_input"
    assert "expected[0]" in str(info.value)
    assert len(str(info.value)) < 200


@pytest.mark.parametrize(
    "expected",
    ["ab", b"ab", {"a": "b"}, 3, True, ["ab"], [None], [1], [{"a": "b"}], [("a", 1)], [(None, "b")], [(b"a", "b")]],
    ids=repr,
)
@pytest.mark.parametrize("items", [["10.0.0.0/8"], ("10.0.0.0/8",)], ids=["list", "tuple"])
def test_expected_of_the_wrong_type_is_a_type_error(items: Any, expected: Any) -> None:
    # A str is not split into a pair of characters ("ab" once meant ("a", "b")), and names
    # are not str()-converted (None once became the name "None" on the list fast path).
    with pytest.raises(TypeError, match=r"expected"):
        cidrplan.overlaps(items, expected=expected)


def test_expected_accepts_any_iterable_of_pairs_once() -> None:
    items = {"dc": "10.0.0.0/16", "rack": "10.0.1.0/24"}
    lists: Any = (p for p in [["dc", "rack"]])
    assert cidrplan.overlaps(items, expected=lists)["total"] == 0
    pairs = (p for p in [("dc", "rack")])
    assert cidrplan.overlaps(list(items.values()), expected=pairs)["total"] == 1  # named by CIDR


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
