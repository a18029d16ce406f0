"""Random cases for the differential test, from a fixed seed: each is {"op", "input"} with
`input` exactly the wire input of the operation, small enough that every surface answers
quickly, and chosen to hit the edges (host bits, mixed families, IPv6, /0, full pools,
duplicate names, pins, every strategy and model)."""

from __future__ import annotations

import ipaddress
import random
from typing import Any

V4_WINDOWS = ["10.0.0.0/16", "192.168.0.0/20", "0.0.0.0/0", "100.64.0.0/10"]
V6_WINDOWS = ["2001:db8::/112", "fd00::/8", "::/0"]


def _prefix(rng: random.Random, family: int, *, host_bits: bool = False) -> str:
    window = ipaddress.ip_network(rng.choice(V4_WINDOWS if family == 4 else V6_WINDOWS))
    max_len = window.max_prefixlen
    length = rng.randint(window.prefixlen, max_len) if rng.random() < 0.3 else rng.randint(
        max(window.prefixlen, max_len - 12), max_len
    )
    span = window.num_addresses
    offset = rng.randrange(0, min(span, 1 << 20)) * max(1, span >> 20)
    address = int(window.network_address) + offset
    if not host_bits:
        address &= ~((1 << (max_len - length)) - 1)
    text = f"{ipaddress.ip_address(address)}/{length}"
    return text


def _prefixes(rng: random.Random, n: int, *, mixed: bool = True, dirty: float = 0.03) -> list[str]:
    family = rng.choice([4, 6])
    out = []
    for _ in range(n):
        fam = rng.choice([4, 6]) if mixed and rng.random() < 0.3 else family
        out.append(_prefix(rng, fam, host_bits=rng.random() < dirty))
    if out and rng.random() < 0.2:  # duplicates
        out.append(rng.choice(out))
    if rng.random() < 0.01:
        out.append(rng.choice(["", "10.0.0.0/33", "banana", "::/129", "10.0.0.0/-1", " 10.1.0.0/16 "]))
    if rng.random() < 0.03:  # valid but unusual spellings, and a string holding a newline
        out.append(rng.choice(ODD_SPELLINGS))
    return out


ODD_SPELLINGS = [
    "2001:DB8::/32",
    "2001:0db8:0000::/48",
    "10.0.0.0/08",
    "::ffff:10.0.0.0/104",
    "0:0:0:0:0:0:0:0/0",
    "1:2:3:4:5:6:7::/128",
    "10.1.0.0/16\n10.2.0.0/16",
    "10.1.0.0",
    "fe80::1%eth0/128",
]


HOSTILE = ["<img src=x onerror=alert(1)>", 'q"uote', "back\\slash", "ünï日本🚀", "tab\there", "nul\u0000", "{{x}}"]


def _name(rng: random.Random, i: int) -> str:
    stem = rng.choice(["net", "dc", "vpn", "k8s", "Other:", "x"])
    if rng.random() < 0.05:
        stem = rng.choice(HOSTILE)
    return f"{stem}-{i}"


def overlaps(rng: random.Random) -> dict[str, Any]:
    cidrs = _prefixes(rng, rng.randint(0, 14), dirty=0.0)
    form = rng.random()
    items: Any
    if form < 0.35:
        items = cidrs
    elif form < 0.7:
        items = [[_name(rng, i), c] for i, c in enumerate(cidrs)]
    else:
        items = {_name(rng, i): c for i, c in enumerate(cidrs)}
    data: dict[str, Any] = {"items": items}
    if rng.random() < 0.3:
        data["max_listed"] = rng.randint(0, 5)
    if rng.random() < 0.1:
        data["lenient"] = True
    return data


def aggregate(rng: random.Random) -> dict[str, Any]:
    data: dict[str, Any] = {"prefixes": _prefixes(rng, rng.randint(0, 20))}
    if rng.random() < 0.1:
        data["lenient"] = True
    return data


def exclude(rng: random.Random) -> dict[str, Any]:
    family = rng.choice([4, 6])
    parent = _prefix(rng, family, host_bits=rng.random() < 0.02)
    net = ipaddress.ip_network(parent, strict=False)
    used = []
    for _ in range(rng.randint(0, 10)):
        if rng.random() < 0.1:
            used.append(_prefix(rng, family))
            continue
        length = rng.randint(net.prefixlen, min(net.max_prefixlen, net.prefixlen + 16))
        subnets = 1 << (length - net.prefixlen)
        k = rng.randrange(subnets)
        first = int(net.network_address) + k * (1 << (net.max_prefixlen - length))
        used.append(f"{ipaddress.ip_address(first)}/{length}")
    if rng.random() < 0.05:
        used.append(_prefix(rng, 10 - family))
    return {"parent": parent, "used": used}


def carve(rng: random.Random) -> dict[str, Any]:
    family = rng.choice([4, 4, 6])
    max_len = 32 if family == 4 else 128
    pools = []
    for _ in range(rng.randint(1, 2)):
        net = ipaddress.ip_network(_prefix(rng, family))
        length = rng.randint(max(0, min(net.prefixlen, max_len - 8) - 8), min(net.prefixlen, max_len - 8))
        pools.append(str(net.supernet(new_prefix=length)))
    if len(pools) == 2 and ipaddress.ip_network(pools[0]).overlaps(ipaddress.ip_network(pools[1])):
        pools.pop()
    if len(pools) == 1 and rng.random() < 0.15:
        # Its buddy: two touching pools, which no allocation may span.
        net = ipaddress.ip_network(pools[0])
        if net.prefixlen > 0:
            buddy = int(net.network_address) ^ (1 << (max_len - net.prefixlen))
            pools.append(f"{type(net.network_address)(buddy)}/{net.prefixlen}")
    pool_len = min(int(p.split("/")[1]) for p in pools)
    requests: list[Any] = []
    # Pins first: the CLI places --pin requests before -r requests.
    for i in range(rng.choice([0, 0, 0, 1, 2])):
        net = ipaddress.ip_network(rng.choice(pools))
        length = rng.randint(net.prefixlen, min(max_len, net.prefixlen + 8))
        first = int(net.network_address) + rng.randrange(1 << (length - net.prefixlen)) * (
            1 << (max_len - length)
        )
        requests.append([f"pin{i}", {"size": f"/{length}", "pinned": f"{ipaddress.ip_address(first)}/{length}"}])
    for i in range(rng.randint(1, 8)):
        if rng.random() < 0.6:
            size: Any = f"/{rng.randint(min(max_len, pool_len + 2), min(max_len, pool_len + 10))}"
        else:
            size = rng.randint(1, 1 << min(20, max(0, max_len - pool_len - 3)))
        requests.append([_name(rng, i) if rng.random() < 0.2 else f"r{i}", size])
    reserved = [_prefix(rng, family) for _ in range(rng.choice([0, 0, 1, 2]))]
    data: dict[str, Any] = {"pools": pools, "requests": requests, "reserved": reserved}
    data["strategy"] = rng.choice(["first-fit", "best-fit", "sequential"])
    return data


def _spec(rng: random.Random) -> dict[str, Any]:
    pools = rng.choice([["10.0.0.0/8"], ["10.0.0.0/12"], ["172.16.0.0/12", "192.168.0.0/16"], ["10.64.0.0/16"]])
    dual = rng.random() < 0.15
    if dual:
        pools = pools + ["fd00::/48"]
    allocations = []
    for i in range(rng.randint(0, 6)):
        net = ipaddress.ip_network(rng.choice([p for p in pools if ":" not in p]))
        length = rng.randint(net.prefixlen + 1, 32)
        first = int(net.network_address) + rng.randrange(1 << (length - net.prefixlen)) * (1 << (32 - length))
        alloc: dict[str, Any] = {"name": f"alloc-{i}", "cidr": f"{ipaddress.ip_address(first)}/{length}"}
        if rng.random() < 0.5:
            alloc["reachable"] = rng.random() < 0.5
        allocations.append(alloc)
    clusters = []
    for i in range(rng.randint(1, 4)):
        cluster: dict[str, Any] = {"name": _name(rng, i), "nodes": rng.choice([1, 2, 3, 10, 50, 300])}
        if rng.random() < 0.3:
            cluster["max_nodes"] = cluster["nodes"] * rng.choice([1, 2, 10])
        if rng.random() < 0.3:
            cluster["max_pods_per_node"] = rng.choice([8, 16, 30, 64, 110, 250])
        if rng.random() < 0.2:
            cluster["services"] = rng.choice([256, 4096, 65536])
        if rng.random() < 0.3:
            cluster["group"] = rng.choice(["east", "west"])
        if dual and rng.random() < 0.7:
            cluster["family"] = "dual"
        clusters.append(cluster)
    requirements: dict[str, Any] = {}
    for key, values in [
        ("ip_space", ["plentiful", "scarce"]),
        ("network_programmable", [True, False]),
        ("integration", ["none", "some", "high"]),
        ("cross_cluster_integration", ["none", "some", "high"]),
        ("kubernetes_footprint", ["small", "large"]),
        ("debug_connectivity", [True, False]),
        ("exposed_services", ["few", "many"]),
        ("allow_non_rfc1918", [True, False]),
    ]:
        if rng.random() < 0.3:
            requirements[key] = rng.choice(values)
    return {
        "network": {"pools": pools, "allocations": allocations},
        "clusters": clusters,
        "requirements": requirements,
        "model": rng.choice(["auto", "auto", "flat", "island", "isolated", "mapped", "archipelago"]),
    }


EXPORT_FORMATS = ["kubeadm", "kcm-flags", "calico", "cilium", "ip-masq-agent", "tfvars", "node-nat", "policy"]


def export(rng: random.Random) -> dict[str, Any]:
    spec = _spec(rng)
    if rng.random() < 0.2 and len(spec["clusters"]) > 1:
        # Two clusters pinned to one pod range: every surface refuses, or renders when forced.
        for c in spec["clusters"][:2]:
            c["pod_cidr"] = "10.200.0.0/16" if "10.0.0.0/8" in spec["network"]["pools"] else "172.16.0.0/16"
            c.pop("family", None)
        spec["model"] = "flat"
    case: dict[str, Any] = {"spec": spec, "format": rng.choice(EXPORT_FORMATS)}
    if rng.random() < 0.3:
        case["force"] = True
    return case


def _locked(rng: random.Random, name: str, i: int) -> dict[str, Any]:
    """A cluster's ranges as a plan file lists them (unique per index, so mostly clean)."""
    cluster: dict[str, Any] = {
        "name": name,
        "pod_cidr": f"10.{128 + i}.0.0/16",
        "node_pod_mask": rng.choice([24, 24, 25, 26]),
        "service_cidr": f"10.{160 + i}.0.0/20",
        "node_subnet": f"10.{192 + i}.0.0/24",
    }
    if rng.random() < 0.2:
        cluster["extra_pod_cidrs"] = [f"10.{224 + i}.0.0/16"]
    if rng.random() < 0.1:
        cluster["growth_reserve"] = [f"10.{128 + i}.0.0/16"]
    return cluster


def _previous(rng: random.Random, names: list[str]) -> dict[str, Any]:
    picked = [n for n in names if rng.random() < 0.6] + (["gone"] if rng.random() < 0.5 else [])
    plan: dict[str, Any] = {
        "model": rng.choice(["flat", "flat", "island"]),
        "clusters": [_locked(rng, n, i) for i, n in enumerate(picked)],
    }
    if rng.random() < 0.2:
        plan["retained"] = [_locked(rng, "old", len(picked))]
    return plan


def replan(rng: random.Random) -> dict[str, Any]:
    spec = _spec(rng)
    spec["model"] = rng.choice(["auto", "auto", "flat", "island"])
    names = [c["name"] for c in spec["clusters"]]
    previous = _previous(rng, names)
    known = [c["name"] for c in previous["clusters"] + previous.get("retained", [])]
    release = [n for n in known if rng.random() < 0.15]
    if rng.random() < 0.05:
        release.append("nobody")
    return {"spec": spec, "previous": previous, "release": release}


def diff(rng: random.Random) -> dict[str, Any]:
    names = [_name(rng, i) for i in range(rng.randint(1, 4))]
    old = _previous(rng, names)
    new = _previous(rng, names) if rng.random() < 0.7 else old
    return {"old": old, "new": new}


GENERATORS = {
    "overlaps": overlaps,
    "aggregate": aggregate,
    "exclude": exclude,
    "carve": carve,
    "plan": _spec,
    "recommend": _spec,
    "export": export,
    "replan": replan,
    "diff": diff,
}


def generate(seed: int, count: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    ops = list(GENERATORS)
    return [{"op": (op := ops[i % len(ops)]), "input": GENERATORS[op](rng)} for i in range(count)]
