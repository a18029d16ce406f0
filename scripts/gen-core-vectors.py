#!/usr/bin/env python3
"""Writes tests/vectors/{aggregate,exclude,overlaps}.json from Python's stdlib `ipaddress`.

The expected answers come from an implementation independent of cidrplan, so the vectors
check the engine rather than echo it. Carve and error vectors are written by hand.
Run from the repo root: python3 scripts/gen-core-vectors.py
"""
import ipaddress
import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "vectors"


def fmt(net: ipaddress._BaseNetwork) -> str:
    # Python prints IPv4-mapped IPv6 in hex (::ffff:a00:0); Rust and the RFC 5952
    # recommendation use the dotted tail (::ffff:10.0.0.0).
    if net.version == 6 and net.network_address.ipv4_mapped is not None and net.prefixlen >= 96:
        return f"::ffff:{net.network_address.ipv4_mapped}/{net.prefixlen}"
    return str(net)


def sort_key(net):
    return (net.version, int(net.network_address), net.prefixlen)


def collapse(prefixes):
    nets = [ipaddress.ip_network(p, strict=False) for p in prefixes]
    out = []
    for version in (4, 6):
        out += sorted(ipaddress.collapse_addresses([n for n in nets if n.version == version]), key=sort_key)
    return [fmt(n) for n in out]


def exclude(parent, used):
    parent = ipaddress.ip_network(parent)
    free = [parent]
    for u in used:
        u = ipaddress.ip_network(u)
        nxt = []
        for f in free:
            if f.subnet_of(u):
                continue
            if u.subnet_of(f):
                nxt += list(f.address_exclude(u))
            else:
                nxt.append(f)
        free = nxt
    return [fmt(n) for n in sorted(ipaddress.collapse_addresses(free), key=sort_key)]


def overlaps(items):
    """Every overlapping pair, in cidrplan's documented sweep order: by the contained
    prefix (IPv4 first, then address, shorter first, then input position), and for each
    its containers from the outermost in. `a` is always the earlier input item."""
    named = []
    for item in items:
        if isinstance(item, str):
            named.append((item.strip(), item))
        else:
            named.append((item[0], item[1]))
    nets = [ipaddress.ip_network(c) for _, c in named]

    def key(i):
        n = nets[i]
        return (n.version, int(n.network_address), n.prefixlen, i)

    found = []
    for a in range(len(nets)):
        for b in range(a + 1, len(nets)):
            na, nb = nets[a], nets[b]
            if na.version != nb.version or not na.overlaps(nb):
                continue
            rel = "equal" if na == nb else ("contains" if nb.subnet_of(na) else "within")
            outer, inner = (a, b) if key(a) < key(b) else (b, a)
            found.append(((key(inner), key(outer)), {"a": named[a][0], "a_cidr": fmt(na), "b": named[b][0], "b_cidr": fmt(nb), "relation": rel}))
    out = [pair for _, pair in sorted(found, key=lambda f: f[0])]
    return {"overlaps": out, "total": len(out), "truncated": False}


AGGREGATE = [
    ("adjacent halves merge", ["10.0.0.0/25", "10.0.0.128/25"]),
    ("duplicates and nested collapse", ["10.0.0.0/8", "10.0.0.0/8", "10.1.0.0/16"]),
    ("adjacent but not buddies stay apart", ["10.0.1.0/24", "10.0.2.0/24"]),
    ("three quarters", ["10.0.0.0/26", "10.0.0.64/26", "10.0.0.128/26"]),
    ("unordered input", ["10.2.0.0/16", "10.0.0.0/16", "10.3.0.0/16", "10.1.0.0/16"]),
    ("ipv4 before ipv6", ["2001:db8::/33", "2001:db8:8000::/33", "192.168.0.0/16"]),
    ("ipv4 halves make /0", ["0.0.0.0/1", "128.0.0.0/1"]),
    ("ipv6 halves make /0", ["::/1", "8000::/1"]),
    ("two /32 make a /31", ["10.0.0.0/32", "10.0.0.1/32"]),
    ("two /128 make a /127", ["2001:db8::/128", "2001:db8::1/128"]),
    ("ipv4-mapped ipv6 is ipv6", ["::ffff:10.0.0.0/104", "10.0.0.0/8"]),
    ("bare addresses are host prefixes", ["10.0.0.1", "2001:db8::1"]),
    ("empty", []),
    ("top of the ipv4 space", ["255.255.255.254/31", "255.255.255.252/31"]),
    ("top of the ipv6 space", ["ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffc/127"]),
    ("vendor defaults", ["10.96.0.0/12", "10.244.0.0/16", "10.100.0.0/16", "10.0.0.0/16", "172.30.0.0/16", "172.31.0.0/16"]),
]

EXCLUDE = [
    ("talk network minus Other", "10.0.0.0/8", ["10.128.1.1/32"]),
    ("nothing used", "192.168.0.0/16", []),
    ("everything used", "10.0.0.0/24", ["10.0.0.0/24"]),
    ("used covers parent", "10.0.0.0/24", ["10.0.0.0/8"]),
    ("used outside parent is ignored", "10.0.0.0/24", ["10.1.0.0/16", "10.0.0.0/26"]),
    ("ipv4 /0 minus rfc1918", "0.0.0.0/0", ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]),
    ("ipv6 /0 minus one /128", "::/0", ["2001:db8::1/128"]),
    ("a /31 minus one /32", "10.0.0.0/31", ["10.0.0.1/32"]),
    ("a /127 minus one /128", "2001:db8::/127", ["2001:db8::/128"]),
    ("overlapping used ranges", "10.0.0.0/16", ["10.0.0.0/17", "10.0.64.0/18", "10.0.255.0/24"]),
]

OVERLAPS = [
    ("the talk: Other inside the network", [["network", "10.0.0.0/8"], ["other", "10.128.1.1/32"], ["cluster-a", "10.0.0.0/16"], ["cluster-b", "10.1.0.0/16"]]),
    ("island clusters share a range", [["cluster-a", "10.0.0.0/16"], ["cluster-b", "10.0.0.0/16"], ["vpn", "192.168.0.0/16"]]),
    ("no overlap", ["10.0.0.0/24", "10.0.1.0/24", "2001:db8::/32"]),
    ("within when the smaller comes first", [["host", "10.1.2.3/32"], ["site", "10.1.0.0/16"], ["region", "10.0.0.0/8"]]),
    ("identical prefixes", ["10.0.0.0/8", "10.0.0.0/8", "10.0.0.0/8"]),
    ("vendor defaults collide", [["kubeadm-services", "10.96.0.0/12"], ["flannel-pods", "10.244.0.0/16"], ["cilium-pods", "10.0.0.0/8"], ["eks-services", "10.100.0.0/16"]]),
    ("ipv4 /0 holds everything ipv4", [["all", "0.0.0.0/0"], ["a", "10.0.0.0/8"], ["v6", "::/0"]]),
    ("ipv4 and ipv6 never overlap", [["v4", "10.0.0.0/8"], ["mapped", "::ffff:10.0.0.0/104"]]),
    ("/31 and /127 edges", [["p2p", "10.0.0.0/31"], ["end", "10.0.0.1/32"], ["v6-p2p", "2001:db8::/127"], ["v6-end", "2001:db8::1/128"]]),
    ("empty", []),
]


def main():
    agg = [{"name": n, "input": {"prefixes": p}, "expected": {"prefixes": collapse(p)}} for n, p in AGGREGATE]
    exc = [{"name": n, "input": {"parent": par, "used": u}, "expected": {"free": exclude(par, u)}} for n, par, u in EXCLUDE]
    ovl = [{"name": n, "input": {"items": i}, "expected": overlaps(i)} for n, i in OVERLAPS]
    # The mapping form of `items` keeps its order.
    ovl.append({
        "name": "mapping form keeps order",
        "input": {"items": {"dc": "10.0.0.0/8", "vpn": "10.8.0.0/16"}},
        "expected": overlaps([["dc", "10.0.0.0/8"], ["vpn", "10.8.0.0/16"]]),
    })
    ovl.append({
        "name": "declared parent/child pairs are expected, not findings",
        "input": {"items": [["dc", "10.0.0.0/8"], ["rack", "10.1.0.0/16"], ["vpn", "10.1.2.0/24"]], "expected": [["dc", "rack"], ["dc", "vpn"]]},
        "expected": {"overlaps": [{"a": "rack", "a_cidr": "10.1.0.0/16", "b": "vpn", "b_cidr": "10.1.2.0/24", "relation": "contains"}], "total": 1, "truncated": False},
    })
    ovl.append({
        "name": "listing is bounded but every pair is counted",
        "input": {"items": ["10.0.0.0/8"] * 5, "max_listed": 3},
        "expected": {"overlaps": overlaps(["10.0.0.0/8"] * 5)["overlaps"][:3], "total": 10, "truncated": True},
    })
    for name, cases in (("aggregate", agg), ("exclude", exc), ("overlaps", ovl)):
        (OUT / f"{name}.json").write_text(json.dumps(cases, indent=2) + "\n")


if __name__ == "__main__":
    main()
