"""Random cases for the differential test, from a fixed seed: each is {"op", "input"} with
`input` exactly the wire input of the operation, small enough that every surface answers
quickly, and chosen to hit the edges (host bits, mixed families, IPv6, /0, full pools,
duplicate names, pins, every strategy and model)."""

from __future__ import annotations

import ipaddress
import json
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
    network: dict[str, Any] = {"pools": pools, "allocations": allocations}
    if rng.random() < 0.3:  # a cloud profile, with one of its CNI modes (docs/clouds.md)
        cloud, cnis = rng.choice(
            [
                ("aws", ["default", "vpc_cni", "custom_networking"]),
                ("azure", ["default", "azure_cni", "overlay", "kubenet"]),
                ("gcp", ["default", "vpc_native"]),
            ]
        )
        network["cloud"] = cloud
        network["cni"] = rng.choice(cnis)
    for key in ["node_pools", "pod_pools", "service_pools"]:  # pools per kind of range
        if rng.random() < 0.15:
            network[key] = rng.choice([["100.64.0.0/10"], ["172.16.0.0/12"], pools[:1]])
    return {
        "network": network,
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
    if rng.random() < 0.5:
        _identities(rng, plan)
    return plan


def _identities(rng: random.Random, plan: dict[str, Any]) -> None:
    """Records Cilium names and mesh ids as a newer plan file does: shuffled (a re-plan
    keeps them whatever the order), and now and then one the reader refuses (0, 256, an id
    or a name held twice, a name Cilium refuses, an id in a model without a mesh)."""
    every = plan["clusters"] + plan.get("retained", [])
    ids = list(range(1, len(every) + 1))
    rng.shuffle(ids)
    for c, mesh_id in zip(every, ids):
        c["cilium_name"] = f"c-{mesh_id}"
        if plan["model"] == "flat":
            c["mesh_id"] = mesh_id
    if every and rng.random() < 0.2:
        c = rng.choice(every)
        bad = rng.choice([("mesh_id", 0), ("mesh_id", 256), ("mesh_id", 1), ("cilium_name", "default"),
                          ("cilium_name", "Bad_Name"), ("cilium_name", every[0]["cilium_name"])])
        c[bad[0]] = bad[1]


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


# ---------------------------------------------------------------- import


IMPORT_FORMATS = [
    "aws-vpcs", "aws-subnets", "gcp-subnets", "azure-vnets", "netbox-prefixes",
    "netbox-csv", "kubectl-nodes", "kubeadm-config", "terraform", "ip-route",
]


def _import_ranges(rng: random.Random) -> list[str]:
    out = _prefixes(rng, rng.randint(0, 8), dirty=0.04)
    return [c for c in out if "\n" not in c]


def _csv_field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n\r') else text


def _import_document(rng: random.Random, fmt: str, ranges: list[str]) -> Any:
    """A document of `fmt` holding `ranges` (JSON as Python values, or CSV text)."""
    names = [_name(rng, i) for i in range(len(ranges))]
    six = [":" in c for c in ranges]
    if fmt == "aws-subnets":
        items = []
        for n, c, v6 in zip(names, ranges, six):
            item: dict[str, Any] = {"SubnetId": f"subnet-{len(items)}", "VpcId": rng.choice(["vpc-1", "vpc-2"])}
            if v6:
                state = rng.choice(["associated", "associated", "disassociated"])
                item["Ipv6CidrBlockAssociationSet"] = [{"Ipv6CidrBlock": c, "Ipv6CidrBlockState": {"State": state}}]
                if state != "associated":
                    item["CidrBlock"] = "10.9.0.0/24"
            else:
                item["CidrBlock"] = c
                item["AvailabilityZone"] = "us-east-1a"
            if rng.random() < 0.7:
                item["Tags"] = [{"Key": "Name", "Value": n}, {"Key": "env", "Value": "x"}]
            items.append(item)
        return {"Subnets": items}
    if fmt == "aws-vpcs":
        vpcs = []
        for i, (n, c, v6) in enumerate(zip(names, ranges, six)):
            vpc: dict[str, Any] = {"VpcId": f"vpc-{i}", "CidrBlock": "10.0.0.0/16" if v6 else c}
            if v6:
                vpc["Ipv6CidrBlockAssociationSet"] = [{"Ipv6CidrBlock": c, "Ipv6CidrBlockState": {"State": "associated"}}]
            else:
                vpc["CidrBlockAssociationSet"] = [
                    {"CidrBlock": c, "CidrBlockState": {"State": "associated"}},
                    {"CidrBlock": "192.168.0.0/24", "CidrBlockState": {"State": rng.choice(["disassociated", "failed"])}},
                ]
            if rng.random() < 0.5:
                vpc["Tags"] = [{"Key": "Name", "Value": n}]
            vpcs.append(vpc)
        return {"Vpcs": vpcs}
    if fmt == "gcp-subnets":
        items = []
        for n, c in zip(names, ranges):
            item = {"kind": "compute#subnetwork", "name": n, "ipCidrRange": c,
                    "network": "https://www.googleapis.com/compute/v1/projects/p/global/networks/default",
                    "region": "https://www.googleapis.com/compute/v1/projects/p/regions/us-east1"}
            if rng.random() < 0.3:
                item["secondaryIpRanges"] = [{"rangeName": "gke-c1-pods-0a1b2c3d", "ipCidrRange": "100.64.0.0/14"}]
            items.append(item)
        if rng.random() < 0.5:
            return {"kind": "compute#subnetworkList", "items": items}
        return items
    if fmt == "azure-vnets":
        subnets = []
        for n, c in zip(names, ranges):
            if rng.random() < 0.5:
                subnets.append({"name": n, "properties": {"addressPrefix": c}})
            else:
                subnets.append({"name": n, "addressPrefixes": [c]})
        vnet = {"name": "vnet-1", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/8"]}, "subnets": subnets}}
        return {"value": [vnet]} if rng.random() < 0.5 else [vnet]
    if fmt == "netbox-prefixes":
        results = []
        for i, (n, c) in enumerate(zip(names, ranges)):
            status = rng.choice(["active", "active", "reserved", "container", "deprecated"])
            item = {"id": i, "prefix": c, "status": {"value": status, "label": status.title()}, "description": n}
            if rng.random() < 0.3:
                item["vrf"] = {"id": 1, "name": rng.choice(["blue", "red"])}
            if rng.random() < 0.3:
                item["tenant"] = {"id": 2, "name": n}
            results.append(item)
        return {"count": len(results), "next": None, "previous": None, "results": results}
    if fmt == "netbox-csv":
        lines = ["Prefix,Status,VRF,Tenant,Description"]
        for n, c in zip(names, ranges):
            status = rng.choice(["Active", "Reserved", "Container"])
            lines.append(",".join([c, status, rng.choice(["", "blue"]), "", _csv_field(n)]))
        return "\n".join(lines) + ("\n" if rng.random() < 0.8 else "")
    if fmt == "kubectl-nodes":
        items = []
        for i, (n, c) in enumerate(zip(names, ranges)):
            node: dict[str, Any] = {"kind": "Node", "metadata": {"name": f"node-{i}"}, "spec": {},
                                    "status": {"addresses": [{"type": "InternalIP", "address": "10.250.0.%d" % (i + 1)},
                                                             {"type": "Hostname", "address": f"node-{i}"}]}}
            if rng.random() < 0.8:
                node["spec"]["podCIDR"] = c
                node["spec"]["podCIDRs"] = [c]
            items.append(node)
        return {"apiVersion": "v1", "kind": "List", "items": items}
    if fmt == "kubeadm-config":
        pods = ranges[0] if ranges else "10.244.0.0/16"
        services = ranges[1] if len(ranges) > 1 else "10.96.0.0/12"
        config = ("apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nclusterName: %s\n"
                  "networking:\n  podSubnet: %s\n  serviceSubnet: %s\n" % (rng.choice(["kubernetes", "prod"]), pods, services))
        return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kubeadm-config", "namespace": "kube-system"},
                "data": {"ClusterConfiguration": config}}
    if fmt == "terraform":
        resources = []
        for i, (n, c, v6) in enumerate(zip(names, ranges, six)):
            kind = rng.choice(["aws_subnet", "aws_vpc", "google_compute_subnetwork", "azurerm_subnet"])
            if kind == "google_compute_subnetwork":
                values: dict[str, Any] = {"name": n, "ip_cidr_range": c, "secondary_ip_range": []}
            elif kind == "azurerm_subnet":
                values = {"name": n, "address_prefixes": [c]}
            else:
                values = {"ipv6_cidr_block" if v6 else "cidr_block": c, "tags": {"Name": n}}
            resources.append({"address": f"{kind}.r{i}", "mode": rng.choice(["managed", "data"]), "type": kind,
                              "name": f"r{i}", "values": values})
        split = rng.randint(0, len(resources))
        module = {"resources": resources[:split],
                  "child_modules": [{"address": "module.m", "resources": resources[split:]}]}
        key = rng.choice(["values", "planned_values"])
        return {"format_version": "1.2", "terraform_version": "1.9.0", key: {"root_module": module}}
    if fmt == "ip-route":
        routes = [{"dst": c, "dev": "eth0", "protocol": "kernel", "scope": "link", "flags": []} for c in ranges]
        if rng.random() < 0.5:
            routes.insert(0, {"dst": "default", "gateway": "10.0.0.1", "dev": "eth0", "flags": []})
        return routes
    raise ValueError(fmt)


HOSTILE_DOCUMENTS = [
    "",
    "   ",
    "null",
    "[]",
    "{}",
    "[1, 2, 3]",
    '{"hello": 1}',
    "not json, not csv",
    '{"Subnets": [{"SubnetId": "s-9"}]}',
    '{"Subnets": {"SubnetId": "s-9"}}',
    '{"Subnets": [{"SubnetId": "s-1", "CidrBlock": 17}]}',
    '{"Vpcs": [{"VpcId": "v", "CidrBlockAssociationSet": "x"}]}',
    '[{"dst": 5}]',
    '[{"dst": "10.0.0.1/8", "dev": "eth0"}]',
    '{"results": [{"prefix": null, "status": "active"}]}',
    "prefix\n10.0.0.0/33\n",
    'prefix,status\n"10.0.0.0/8,active\n',
    '{"format_version": "1.0", "values": {"root_module": {"resources": [{"type": "aws_subnet", "values": {"cidr_block": []}}]}}}',
    '{"kind": "ConfigMap", "data": {"ClusterConfiguration": "networking: [unclosed"}}',
    "\ufeff" + '[{"dst": "10.1.0.0/16", "dev": "eth0"}]',
    "[" * 200 + "]" * 200,
    '{"Subnets": [{"SubnetId": "a", "CidrBlock": "10.0.0.0/24"}, {"SubnetId": "b", "CidrBlock": "10.0.0.0/25"}]}',
]


def import_(rng: random.Random) -> dict[str, Any]:
    """`import_allocations(format, text)`: a generated document of one shape (named or
    recognised), or a hostile text."""
    if rng.random() < 0.15:
        return {"format": rng.choice(["auto", "auto", rng.choice(IMPORT_FORMATS), "banana"]),
                "text": rng.choice(HOSTILE_DOCUMENTS)}
    fmt = rng.choice(IMPORT_FORMATS)
    doc = _import_document(rng, fmt, _import_ranges(rng))
    if isinstance(doc, str):
        text = doc
    else:
        indent = rng.choice([None, 1, 2])
        text = json.dumps(doc, indent=indent, ensure_ascii=rng.random() < 0.5)
    named = fmt if rng.random() < 0.6 else "auto"
    return {"format": named, "text": text}


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
    "import": import_,
}


def generate(seed: int, count: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    ops = list(GENERATORS)
    return [{"op": (op := ops[i % len(ops)]), "input": GENERATORS[op](rng)} for i in range(count)]
