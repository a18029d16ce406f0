"""A typed tour of the cidrplan Python API; `mypy --strict` checks it against the package's
annotations and stubs (scripts/test-python.sh), and running it prints a small plan.

    python bindings/python/examples/usage.py
"""

from __future__ import annotations

import ipaddress
import json

import cidrplan
from cidrplan.ansible import FilterModule
from cidrplan.terraform import respond
from cidrplan.types import CarveResult, ClusterPlan, OverlapsResult, Plan


def free_space() -> list[str]:
    """Free /24s and larger in a site, given what is in use."""
    used = [ipaddress.ip_network("10.20.0.0/24"), "10.20.8.0/21"]
    return cidrplan.exclude("10.20.0.0/16", used)["free"]


def subnets() -> dict[str, str]:
    """Subnets for a VPC, best-fit around a reserved range."""
    result: CarveResult = cidrplan.carve(
        ["10.20.0.0/16"],
        {"nodes": "/20", "pods": "/18", "bastion": 16, "db": {"size": "/24", "pinned": "10.20.9.0/24"}},
        reserved=["10.20.0.0/24"],
        strategy="best-fit",
    )
    return {a["name"]: a["cidr"] for a in result["allocations"]}


def collisions() -> list[str]:
    """Every overlap between the ranges in use, described."""
    report: OverlapsResult = cidrplan.overlaps(
        [("datacenter", "10.0.0.0/16"), ("vpn", "10.0.128.0/17"), ("lab", ipaddress.ip_network("192.168.0.0/24"))]
    )
    return [f"{o['a']} {o['relation']} {o['b']}" for o in report["overlaps"]]


def plan_summary() -> str:
    """The model the planner picks for the built-in example, and its pod ranges."""
    spec = cidrplan.example_spec()
    result: Plan = cidrplan.plan(spec)
    clusters: list[ClusterPlan] = result["clusters"]
    pods = ", ".join(f"{c['name']}={c['pod_cidr']} (/{c['node_pod_mask']} per node)" for c in clusters)
    best = cidrplan.recommend(spec)["ranking"][0]
    return f"{result['model']} (score {best['score']}): {pods}"


def handle_errors() -> str:
    """Errors carry a family (the class) and a stable code."""
    try:
        cidrplan.carve("10.0.0.0/24", [("too-big", "/23")])
    except cidrplan.SpaceExhaustedError as err:
        return err.code
    except cidrplan.CidrplanError as err:  # any other family
        return f"unexpected {err.code}"
    return "no error"


def automation() -> tuple[dict[str, str], list[str]]:
    """The Terraform program's answer and an Ansible filter, called directly."""
    terraform = respond({"pools": "10.1.0.0/16", "requests": "a=/20,b=/24"})
    aggregate = FilterModule().filters()["cidrplan_aggregate"]
    merged: list[str] = aggregate(["10.0.0.0/25", "10.0.0.128/25"])
    return terraform, merged


if __name__ == "__main__":
    print(json.dumps(
        {
            "free": free_space(),
            "subnets": subnets(),
            "collisions": collisions(),
            "plan": plan_summary(),
            "error": handle_errors(),
            "automation": automation(),
        },
        indent=2,
    ))
