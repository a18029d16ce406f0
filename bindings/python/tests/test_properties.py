"""Property tests: aggregate, exclude and overlaps agree with the stdlib ``ipaddress``
module on random IPv4 and IPv6 prefixes.

Prefixes are drawn inside a small window of each family (a /16 of IPv4, a /112 of IPv6,
plus the odd short prefix) so that random inputs overlap, nest and touch often.
"""

from __future__ import annotations

import ipaddress
from typing import Union

from hypothesis import given, settings
from hypothesis import strategies as st

import cidrplan

Net = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]

V4_BASE = int(ipaddress.IPv4Address("10.20.0.0"))
V6_BASE = int(ipaddress.IPv6Address("2001:db8:0:1::"))


@st.composite
def v4_nets(draw: st.DrawFn) -> ipaddress.IPv4Network:
    length = draw(st.one_of(st.integers(16, 32), st.integers(0, 15)))
    offset = draw(st.integers(0, 2**16 - 1))
    return ipaddress.IPv4Network((V4_BASE + offset, length), strict=False)


@st.composite
def v6_nets(draw: st.DrawFn) -> ipaddress.IPv6Network:
    length = draw(st.one_of(st.integers(112, 128), st.integers(0, 111)))
    offset = draw(st.integers(0, 2**16 - 1))
    return ipaddress.IPv6Network((V6_BASE + offset, length), strict=False)


any_net = st.one_of(v4_nets(), v6_nets())


def _collapse(nets: list[Net]) -> list[str]:
    v4 = [n for n in nets if n.version == 4]
    v6 = [n for n in nets if n.version == 6]
    out = [str(n) for n in ipaddress.collapse_addresses(v4)]
    return out + [str(n) for n in ipaddress.collapse_addresses(v6)]


def _key(text: str) -> tuple[int, int, int]:
    net = ipaddress.ip_network(text)
    return (net.version, int(net.network_address), net.prefixlen)


@settings(max_examples=300, deadline=None)
@given(st.lists(any_net, max_size=40))
def test_aggregate_matches_collapse_addresses(nets: list[Net]) -> None:
    # Half the inputs as text, half as ipaddress objects: both are accepted.
    items = [n if i % 2 else str(n) for i, n in enumerate(nets)]
    result = cidrplan.aggregate(items)
    assert result["prefixes"] == _collapse(nets)
    assert result["prefixes"] == sorted(result["prefixes"], key=_key)
    # A tuple takes the JSON path, a list the in-place one: same answer.
    assert cidrplan.aggregate(tuple(items)) == result


def _stdlib_exclude(parent: Net, used: list[Net]) -> list[str]:
    free: list[Net] = [parent]
    for hole in used:
        kept: list[Net] = []
        for block in free:
            if not block.overlaps(hole):
                kept.append(block)
            elif block.subnet_of(hole):  # type: ignore[arg-type]
                continue
            else:
                kept.extend(block.address_exclude(hole))  # type: ignore[arg-type]
        free = kept
    collapsed = ipaddress.collapse_addresses(free)  # type: ignore[type-var, unused-ignore]
    return sorted((str(n) for n in collapsed), key=_key)


@settings(max_examples=300, deadline=None)
@given(v4_nets(), st.lists(v4_nets(), max_size=25))
def test_exclude_v4_matches_address_exclude(parent: ipaddress.IPv4Network, used: list[ipaddress.IPv4Network]) -> None:
    assert cidrplan.exclude(parent, used)["free"] == _stdlib_exclude(parent, list(used))


@settings(max_examples=300, deadline=None)
@given(v6_nets(), st.lists(v6_nets(), max_size=25))
def test_exclude_v6_matches_address_exclude(parent: ipaddress.IPv6Network, used: list[ipaddress.IPv6Network]) -> None:
    assert cidrplan.exclude(str(parent), [str(u) for u in used])["free"] == _stdlib_exclude(parent, list(used))


def _stdlib_overlaps(named: list[tuple[str, Net]]) -> list[tuple[str, str, str]]:
    found = []
    for i, (a_name, a) in enumerate(named):
        for b_name, b in named[i + 1 :]:
            if a.version != b.version or not a.overlaps(b):
                continue
            if a == b:
                relation = "equal"
            elif b.subnet_of(a):  # type: ignore[arg-type]
                relation = "contains"
            else:
                relation = "within"
            found.append((a_name, b_name, relation))
    return sorted(found)


@settings(max_examples=300, deadline=None)
@given(st.lists(any_net, max_size=30))
def test_overlaps_match_pairwise_ipaddress(nets: list[Net]) -> None:
    named = [(f"n{i}", n) for i, n in enumerate(nets)]
    result = cidrplan.overlaps(named)
    got = sorted((o["a"], o["b"], o["relation"]) for o in result["overlaps"])
    assert got == _stdlib_overlaps(named)
    assert result["total"] == len(got)
    assert result["truncated"] is False
    cidr_of = dict((name, str(net)) for name, net in named)
    for o in result["overlaps"]:
        assert (o["a_cidr"], o["b_cidr"]) == (cidr_of[o["a"]], cidr_of[o["b"]])


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text("abcdefgh", min_size=1, max_size=4), any_net, max_size=20))
def test_overlaps_accepts_a_mapping(mapping: dict[str, Net]) -> None:
    as_pairs = cidrplan.overlaps(list(mapping.items()))
    assert cidrplan.overlaps(mapping) == as_pairs
