"""Plan IP address space for Kubernetes clusters inside an existing network.

The Python face of the cidrplan Rust core. Every function takes plain Python values (CIDRs
as text or stdlib :mod:`ipaddress` objects) and returns the JSON wire format shared with
the CLI and the npm package: ``dict``, ``list`` and ``str`` values that go straight into
:func:`json.dumps`, Terraform and Ansible.

>>> import cidrplan
>>> cidrplan.aggregate(["10.0.0.0/25", "10.0.0.128/25", "192.168.0.0/24"])
{'prefixes': ['10.0.0.0/24', '192.168.0.0/24']}
>>> cidrplan.exclude("10.0.0.0/24", ["10.0.0.0/26"])
{'free': ['10.0.0.64/26', '10.0.0.128/25']}
>>> [a["cidr"] for a in cidrplan.carve("10.1.0.0/16", [("a", "/20"), ("b", "/24")])["allocations"]]
['10.1.0.0/20', '10.1.16.0/24']

Errors are :class:`CidrplanError` (a :class:`ValueError`) subclasses carrying ``.code``.
"""

from __future__ import annotations

import ipaddress
import json as _json
import operator as _operator
from collections.abc import Iterable, Mapping
from itertools import islice as _islice
from typing import Any, SupportsIndex, cast

from . import _native
from ._wire import call as _call
from ._wire import cidr_text as _cidr_text
from ._wire import dumps as _dumps
from ._wire import shown as _shown
from ._wire import to_cidr as _to_cidr
from .errors import (
    CidrplanError,
    InfeasibleError,
    CollisionError,
    InputError,
    LimitExceededError,
    PinnedConflictError,
    PrefixError,
    RequestError,
    SpaceExhaustedError,
    SpecError,
)
from .types import (
    AggregateResult,
    CarveResult,
    ExcludeResult,
    Network,
    OverlapItems,
    OverlapsResult,
    Plan,
    PlanDiff,
    Recommendation,
    Requests,
    Spec,
    Strategy,
)

__version__: str = _native.__version__

__all__ = [
    "__version__",
    "overlaps",
    "aggregate",
    "exclude",
    "carve",
    "plan",
    "diff",
    "recommend",
    "export",
    "EXPORT_FORMATS",
    "import_allocations",
    "IMPORT_FORMATS",
    "sizing",
    "example_spec",
    "CidrplanError",
    "PrefixError",
    "SpaceExhaustedError",
    "PinnedConflictError",
    "LimitExceededError",
    "InputError",
    "RequestError",
    "SpecError",
    "InfeasibleError",
    "CollisionError",
]


def _one_or_many(value: Network | Iterable[Network]) -> Any:
    """A single CIDR becomes a one-element list; lists pass through."""
    if isinstance(value, str) or _cidr_text(value) is not None:
        return [value]
    return value


_U64_MAX = 2**64 - 1


def _prefix_item(value: object) -> str:
    return _to_cidr(value, "prefixes")


def _overlaps_item(value: object) -> str:
    return _to_cidr(value, "items")


def _max_listed(value: object) -> int | None:
    """``max_listed`` as the core takes it (a ``u64``): ``TypeError`` for a value that is
    not an int (``bool`` included), :class:`InputError` for an int out of range."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, SupportsIndex):
        raise TypeError(f"max_listed must be an int or None, not {type(value).__name__[:80]}")
    number = _operator.index(value)
    if not 0 <= number <= _U64_MAX:
        raise InputError(
            f"invalid input: max_listed must be from 0 to {_U64_MAX}, got {_shown(number)}", "invalid_input"
        )
    return number


def _expected_pairs(expected: object) -> list[tuple[str, str]]:
    """``expected`` as a list of ``(parent, child)`` name pairs, checked item by item:
    ``TypeError`` for a value of the wrong type, :class:`InputError` for a pair of the
    wrong length (a ``str`` is not taken apart into a pair of characters)."""
    if isinstance(expected, (str, bytes, bytearray, Mapping)) or not isinstance(expected, Iterable):
        raise TypeError(
            f"expected must be an iterable of (parent, child) name pairs, not {type(expected).__name__[:80]}"
        )
    pairs: list[tuple[str, str]] = []
    for index, pair in enumerate(expected):
        if isinstance(pair, (str, bytes, bytearray, Mapping)) or not isinstance(pair, Iterable):
            raise TypeError(
                f"expected[{index}] must be a (parent, child) pair of names, not {type(pair).__name__[:80]}"
            )
        names = tuple(_islice(pair, 3))
        if len(names) != 2:
            count = {0: "no items", 1: "1 item"}.get(len(names), "more than 2 items")
            raise InputError(
                f"invalid input: expected[{index}] must be a (parent, child) pair of names, "
                f"got {count}: {_shown(pair)}",
                "invalid_input",
            )
        for name in names:
            if not isinstance(name, str):
                raise TypeError(f"expected[{index}]: a name must be a str, not {type(name).__name__[:80]}")
        pairs.append((names[0], names[1]))
    return pairs


def overlaps(
    items: OverlapItems,
    *,
    expected: Iterable[tuple[str, str]] | None = None,
    max_listed: int | None = None,
    lenient: bool = False,
) -> OverlapsResult:
    """Every overlapping pair among named prefixes.

    ``items`` is a list of CIDRs (each named by its CIDR), a list of ``(name, cidr)`` pairs
    or a mapping name -> cidr. ``expected`` lists ``(parent, child)`` name pairs that are
    meant to nest and are left out of the report; ``max_listed`` caps the listed pairs
    (``total`` still counts them all and ``truncated`` says so). ``lenient=True`` masks
    host bits (``10.0.0.1/8`` -> ``10.0.0.0/8``) instead of raising :class:`PrefixError`.
    A ``max_listed`` or ``expected`` of the wrong type raises :class:`TypeError` (``bool``
    is not a count); a ``max_listed`` outside ``0..2**64-1`` or a pair that is not two names
    raises :class:`InputError`.

    >>> overlaps({"dc": "10.0.0.0/16", "vpn": "10.0.8.0/24", "lab": "192.168.0.0/24"})
    {'overlaps': [{'a': 'dc', 'a_cidr': '10.0.0.0/16', 'b': 'vpn', 'b_cidr': '10.0.8.0/24', 'relation': 'contains'}], 'total': 1, 'truncated': False}
    """
    pairs = [] if expected is None else _expected_pairs(expected)
    cap = _max_listed(max_listed)
    if type(items) is list:
        # The common case skips JSON on the way in; None means an item needs the JSON path.
        text = _native.overlaps_list(items, _overlaps_item, pairs, cap, lenient)
        if text is not None:
            return cast(OverlapsResult, _json.loads(text))
    payload: dict[str, object] = {"items": items}
    if expected is not None:
        payload["expected"] = pairs
    if cap is not None:
        payload["max_listed"] = cap
    if lenient:
        payload["lenient"] = True
    return cast(OverlapsResult, _call(_native.overlaps, payload))


def aggregate(prefixes: Iterable[Network], *, lenient: bool = False) -> AggregateResult:
    """The minimal list of CIDRs covering the union of ``prefixes``, ascending, IPv4 first.

    ``lenient=True`` masks host bits instead of raising :class:`PrefixError`.

    >>> aggregate([ipaddress.ip_network("10.0.1.0/24"), "10.0.0.0/24", "2001:db8::/33", "2001:db8:8000::/33"])
    {'prefixes': ['10.0.0.0/23', '2001:db8::/32']}
    """
    if type(prefixes) is list:
        # The common case skips JSON: the extension reads the list in place.
        return {"prefixes": _native.aggregate_list(prefixes, _prefix_item, lenient)}
    payload = {"prefixes": prefixes, "lenient": lenient}
    return cast(AggregateResult, _call(_native.aggregate, payload))


def exclude(parent: Network, used: Iterable[Network], *, lenient: bool = False) -> ExcludeResult:
    """The free space of ``parent`` once ``used`` is taken out, as minimal ascending CIDRs.

    ``used`` may reach outside ``parent``; only the part inside counts. Both must be of one
    family (:class:`PrefixError` ``mixed_families`` otherwise).

    >>> exclude("10.0.0.0/22", ["10.0.1.0/24"])
    {'free': ['10.0.0.0/24', '10.0.2.0/23']}
    """
    payload = {"parent": parent, "used": used, "lenient": lenient}
    return cast(ExcludeResult, _call(_native.exclude, payload))


def carve(
    pools: Network | Iterable[Network],
    requests: Requests,
    reserved: Network | Iterable[Network] = (),
    strategy: Strategy | str = "best-fit",
    *,
    lenient: bool = False,
) -> CarveResult:
    """Places named requests in the free space of ``pools``, around ``reserved``.

    ``requests`` is a mapping name -> size or a list of ``(name, size)`` pairs; a size is
    ``"/LEN"``, an address count (rounded up to a power of two) or
    ``{"size": ..., "pinned": cidr}``. ``strategy`` is ``"best-fit"`` (smallest free
    block that fits, largest requests first), ``"first-fit"`` (lowest address) or
    ``"sequential"`` (Terraform ``cidrsubnets``). Allocations come back in request order,
    each inside a single pool (touching pools are not merged). A count of 2**53 or more
    must be a decimal string, as a float may have rounded it.

    >>> result = carve("10.1.0.0/16", {"a": "/20", "b": "/20", "c": "/24", "d": "/20"}, strategy="sequential")
    >>> [a["cidr"] for a in result["allocations"]]
    ['10.1.0.0/20', '10.1.16.0/20', '10.1.32.0/24', '10.1.48.0/20']
    """
    payload = {
        "pools": _one_or_many(pools),
        "requests": requests,
        "reserved": _one_or_many(reserved),
        "strategy": strategy,
        "lenient": lenient,
    }
    return cast(CarveResult, _call(_native.carve, payload))


def plan(
    spec: Spec,
    previous: Mapping[str, Any] | None = None,
    release: Iterable[str] = (),
) -> Plan:
    """Plans pod, per-node, service and node ranges for every cluster of ``spec``.

    ``spec`` is a plan request (``network``, ``clusters``, ``requirements``, ``model``; see
    the README); CIDRs in it may be :mod:`ipaddress` objects. The result has ``model``,
    ``ranking``, ``clusters``, ``holes``, ``reachability``, ``warnings``, ``headroom`` and
    ``request``.

    ``previous`` is the fleet's previous plan (a result of this function, or the JSON of
    ``cidrplan plan --json``): every cluster in it keeps every range, new clusters are
    carved around them, and clusters no longer requested stay reserved (``retained``)
    until ``release`` names them.

    >>> result = plan({"network": {"pools": ["10.0.0.0/8"]},
    ...                "clusters": [{"name": "a", "nodes": 3}], "model": "flat"})
    >>> result["model"], result["clusters"][0]["name"]
    ('flat', 'a')
    >>> grown = {"network": {"pools": ["10.0.0.0/8"]}, "model": "flat",
    ...          "clusters": [{"name": "a", "nodes": 3}, {"name": "b", "nodes": 3}]}
    >>> again = plan(grown, previous=result)
    >>> again["clusters"][0]["pod_cidr"] == result["clusters"][0]["pod_cidr"]
    True
    """
    release = [release] if isinstance(release, str) else list(release)
    if previous is None and not release:
        return cast(Plan, _call(_native.plan, spec))
    payload = {"spec": spec, "previous": previous, "release": release}
    return cast(Plan, _call(_native.replan, payload))


def diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> PlanDiff:
    """What changed from plan ``old`` to plan ``new``, per cluster and range.

    ``changes`` lists each change (``added``, ``grown``, ``moved``, ``shrunk``,
    ``removed``, ``retained``, ``released``, ...); ``breaking`` is true when an existing
    range moved or shrank, or a cluster's ``mesh_id`` or ``cilium_name`` changed
    (``cidrplan diff`` exits 1).

    >>> p = plan({"network": {"pools": ["10.0.0.0/8"]}, "clusters": [{"name": "a", "nodes": 3}]})
    >>> diff(p, p)["changes"], diff(p, p)["breaking"]
    ([], False)
    """
    return cast(PlanDiff, _call(_native.diff, {"old": old, "new": new}))


def recommend(spec: Spec) -> Recommendation:
    """Ranks the network models for ``spec``, each with a score and its reasons.

    >>> ranking = recommend({"network": {"pools": ["10.0.0.0/8"]},
    ...                      "clusters": [{"name": "a", "nodes": 3}]})["ranking"]
    >>> sorted(entry["model"] for entry in ranking)
    ['archipelago', 'flat', 'island', 'isolated', 'mapped']
    """
    return cast(Recommendation, _call(_native.recommend, spec))


def sizing(request: Mapping[str, Any] | None = None, /, **fields: Any) -> dict[str, Any]:
    """The sizes of one cluster's ranges, from the conventions of the field.

    Give a sizing request as a mapping or as keywords: ``max_nodes`` (required),
    ``max_pods_per_node`` (110), ``services`` (4096), ``family``, ``cloud``,
    ``reserved_per_subnet`` and the like. The per-node pod range holds at least twice the
    pods, rounded to a power of two (GKE's table: 8 pods -> /28, 110 -> /24).

    >>> sized = sizing(max_nodes=100, max_pods_per_node=8)
    >>> sized["node_pod_mask"], sized["pod_cidr_len"], sized["service_cidr_len"]
    (28, 21, 20)
    """
    payload = {**(request or {}), **fields}
    return cast("dict[str, Any]", _call(_native.sizing, payload))


def example_spec() -> dict[str, Any]:
    """The built-in example plan request (the talk's network: 10.0.0.0/8 with a host that
    pods must reach, two clusters), the one ``python -m cidrplan plan`` uses without a file.

    >>> spec = example_spec()
    >>> spec["network"]["pools"], [c["name"] for c in spec["clusters"]]
    (['10.0.0.0/8'], ['cluster-1', 'cluster-2'])
    """
    return cast("dict[str, Any]", _json.loads(_native.example_spec()))


IMPORT_FORMATS: tuple[str, ...] = (
    "auto",
    "aws-vpcs",
    "aws-subnets",
    "gcp-subnets",
    "azure-vnets",
    "netbox-prefixes",
    "netbox-csv",
    "kubectl-nodes",
    "kubeadm-config",
    "terraform",
    "ip-route",
)
"""The formats :func:`import_allocations` reads; ``auto`` recognises the shape."""


def import_allocations(format: str, text: str) -> dict[str, Any]:
    """Reads what the network already holds from a tool's output (AWS, Google Cloud and
    Azure CLIs and APIs, NetBox JSON or CSV, ``kubectl get nodes -o json``, the
    kubeadm-config ConfigMap, ``terraform show -json``, ``ip -j route``).

    Returns a plan request fragment: ``network`` (``pools`` and ``allocations``, each
    with its ``origin``), kept ``clusters`` (``existing: true``) with their ranges pinned,
    and the report: ``sources``, every ``ranges`` entry, ``skipped`` entries with the
    reason, ``overlaps``, and ``warnings`` for existing clusters not kept because a range
    they need is unknown (nodes without the kubeadm-config ConfigMap: the cluster CIDR).
    Bad input raises :class:`InputError` naming the JSON path and value.

    >>> out = import_allocations("ip-route", '[{"dst": "10.1.0.0/16", "dev": "eth0"}]')
    >>> out["network"]["allocations"][0]["cidr"], out["network"]["allocations"][0]["name"]
    ('10.1.0.0/16', 'dev eth0')
    """
    return cast("dict[str, Any]", _json.loads(_native.import_allocations(format, text)))


EXPORT_FORMATS: tuple[str, ...] = tuple(_native.export_formats())
"""The formats :func:`export` renders: ``kubeadm`` (ClusterConfiguration per cluster, and
KubeletConfiguration where max pods differ from 110), ``kcm-flags`` (kube-controller-manager
flags), ``calico`` (IPPools), ``cilium`` (Helm values), ``ip-masq-agent`` (ConfigMap),
``tfvars`` (Terraform variables, JSON), ``node-nat`` (the mapped model's nftables rules)
and ``policy`` (the isolated model's NetworkPolicies). Every format renders the plan's one
decision per cluster (its ``datapath``), so none disagrees with another or with the
reachability matrix."""


def export(spec: Spec, format: str, *, force: bool = False) -> str:
    """Plans ``spec`` and renders the plan as configuration text in ``format`` (one of
    :data:`EXPORT_FORMATS`); an unknown format raises :class:`InputError`. A plan whose
    ranges collide raises :class:`CollisionError` naming both sides, unless ``force``.

    >>> print(export(example_spec(), "kcm-flags").splitlines()[2])
    --cluster-cidr=10.1.0.0/16
    """
    return _native.export(_dumps(spec), format, force)
