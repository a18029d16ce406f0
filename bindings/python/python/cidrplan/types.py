"""Typed shapes of the JSON wire format (inputs and results of :mod:`cidrplan`).

The results are plain ``dict``/``list``/``str`` values, ready for :func:`json.dumps`;
these ``TypedDict`` classes only describe them for type checkers. Address counts are
decimal strings because IPv6 counts exceed what JSON numbers carry exactly.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, TypeAlias, TypedDict, Union

__all__ = [
    "Network",
    "NamedItem",
    "OverlapItems",
    "Size",
    "PinnedSize",
    "Requests",
    "Strategy",
    "Spec",
    "Relation",
    "Overlap",
    "OverlapsResult",
    "AggregateResult",
    "ExcludeResult",
    "Allocation",
    "PoolFree",
    "CarveResult",
    "Reason",
    "RankedModel",
    "Recommendation",
    "NodeMapping",
    "ClusterPlan",
    "Datapath",
    "Hole",
    "Reach",
    "PlanWarning",
    "Plan",
    "PlanDiff",
    "Change",
    "Growth",
    "RuleApplied",
]

Network = Union[
    str,
    ipaddress.IPv4Network,
    ipaddress.IPv6Network,
    ipaddress.IPv4Address,
    ipaddress.IPv6Address,
]
"""A CIDR: text such as ``"10.0.0.0/8"`` or a stdlib :mod:`ipaddress` network (an address
stands for its ``/32`` or ``/128``). Parsing is strict: host bits must be zero."""

NamedItem = Union[tuple[str, Network], list[Union[str, Network]]]
"""A ``(name, cidr)`` pair."""

OverlapItems = Union[Mapping[str, Network], Iterable[Union[Network, NamedItem]]]
"""What :func:`cidrplan.overlaps` checks: CIDRs, ``(name, cidr)`` pairs or a mapping."""


class PinnedSize(TypedDict, total=False):
    """A request size with an optional fixed placement."""

    size: Union[str, int]
    pinned: Network


Size = Union[str, int, PinnedSize, Mapping[str, Any]]
"""A request size: ``"/20"`` (a prefix length), an address count (``4096`` or ``"4096"``),
or ``{"size": ..., "pinned": "10.4.0.0/14"}``."""

Requests = Union[Mapping[str, object], Iterable[Sequence[object]]]
"""Carve requests: a mapping name -> :data:`Size` (order kept) or ``(name, size)`` pairs.
Values are typed loosely (``object``) so that literals mixing the size forms type-check."""

# Spelled as a Union of one-value Literals: a multi-value Literal trips mypy's stubtest,
# which expects a Union at runtime for what it reads as one.
Strategy: TypeAlias = Union[Literal["best-fit"], Literal["first-fit"], Literal["sequential"]]
"""Placement strategies; ``sequential`` matches Terraform's ``cidrsubnets``."""

Spec = Mapping[str, Any]
"""A plan request (see the README): ``network``, ``clusters``, ``requirements``, ``model``."""

Relation: TypeAlias = Union[Literal["equal"], Literal["contains"], Literal["within"]]


class Overlap(TypedDict):
    """One overlapping pair: ``a`` comes before ``b`` in the input."""

    a: str
    a_cidr: str
    b: str
    b_cidr: str
    relation: Relation


class OverlapsResult(TypedDict):
    """Result of :func:`cidrplan.overlaps`."""

    overlaps: list[Overlap]
    total: int
    truncated: bool


class AggregateResult(TypedDict):
    """Result of :func:`cidrplan.aggregate`."""

    prefixes: list[str]


class ExcludeResult(TypedDict):
    """Result of :func:`cidrplan.exclude`."""

    free: list[str]


class Allocation(TypedDict):
    """One placed request."""

    name: str
    cidr: str
    addresses: str


class PoolFree(TypedDict):
    """Free space left in one pool after carving."""

    pool: str
    free: str
    largest_free: Union[str, None]


class CarveResult(TypedDict):
    """Result of :func:`cidrplan.carve`; ``allocations`` are in request order."""

    allocations: list[Allocation]
    strategy: str
    lost_to_rounding: str
    lost_to_alignment: str
    free_total: str
    pools: list[PoolFree]


class Reason(TypedDict):
    """Why a model scores as it does: a criterion of the talk or a measured fact."""

    criterion: str
    effect: int
    source: str
    text: str


class RankedModel(TypedDict):
    """One network model of a ranking, best first."""

    model: str
    score: int
    feasible: bool
    reasons: list[Reason]


class Recommendation(TypedDict):
    """Result of :func:`cidrplan.recommend`."""

    recommended: Union[str, None]
    ip_space: str
    ip_space_judged: bool
    ranking: list[RankedModel]


class NodeMapping(TypedDict):
    """Mapped model: one node's internal pod range and the external range it is NATed to."""

    node: int
    internal: str
    external: str


class _DatapathKeys(TypedDict):
    family: str
    pod_cidr: str
    keep_source: list[str]
    otherwise: str
    routing: str
    ingress: str


class Datapath(_DatapathKeys, total=False):
    """What a cluster's nodes do with pod traffic of one family: the one decision every
    export renders and the reachability matrix is read from. ``external_pod_cidr`` and
    ``mapped_toward`` appear for the mapped model, ``allowed_egress`` and
    ``allowed_ingress`` for the isolated model."""

    external_pod_cidr: str
    extra_pod_cidrs: list[str]
    mapped_toward: list[str]
    allowed_egress: list[str]
    allowed_ingress: list[str]


class _ClusterPlanKeys(TypedDict):
    name: str
    pod_cidr: str
    node_pod_mask: int
    max_pods_per_node: int
    service_cidr: str
    node_subnet: str
    egress: str
    ingress: str
    non_masquerade_cidrs: list[str]
    datapath: list[Datapath]
    cilium_name: str


class ClusterPlan(_ClusterPlanKeys, total=False):
    """One cluster of a plan; the optional keys appear for the mapped model
    (``external_pod_cidr``, ``node_mappings``), the archipelago model (``group``), the
    models that mesh clusters (``mesh_id``: flat, archipelago), IPv6 or dual clusters
    (``*_v6``) and pods that take node-subnet addresses (``pods_in_node_subnet``:
    ``cni`` ``vpc_cni`` or ``azure_cni``). ``cilium_name`` and ``mesh_id`` never change
    for a cluster once planned (``docs/lockfile.md``)."""

    pods_in_node_subnet: bool
    group: str
    mesh_id: int
    external_pod_cidr: str
    node_mappings: list[NodeMapping]
    pod_cidr_v6: str
    node_pod_mask_v6: int
    service_cidr_v6: str
    extra_pod_cidrs: list[str]
    pod_cidr_parts: list[str]
    growth_reserve: list[str]
    growth: list[Growth]


# Functional form: ``from`` is a Python keyword.
_GrowthKeys = TypedDict("_GrowthKeys", {"range": str, "how": str, "from": str, "reason": str})


class Growth(_GrowthKeys, total=False):
    """What a re-plan did to a kept cluster's range that was too small: ``in_place``,
    ``second_range`` (with the exports that carry it and their limits) or ``none``."""

    to: str
    carried_by: list[str]
    limits: list[str]


class _ChangeKeys(TypedDict):
    cluster: str
    range: str
    change: str


class Change(_ChangeKeys, total=False):
    """One change between two plans; ``old`` and ``new`` appear where the range had or
    has one."""

    old: str
    new: str


class PlanDiff(TypedDict):
    """Result of :func:`cidrplan.diff`."""

    changes: list[Change]
    kept: list[str]
    breaking: bool


class Hole(TypedDict):
    """A range reused by several clusters, and the allocations it shadows."""

    cidr: str
    kind: str
    clusters: list[str]
    shadows: list[Any]


Reach = TypedDict("Reach", {"from": str, "to": str, "how": str, "family": str})
"""Who reaches whom and how: ``direct``, ``snat``, ``gateway``, ``nat`` or ``none``, for
``ipv4`` or ``ipv6`` addresses (``family``)."""


class _RuleAppliedKeys(TypedDict):
    code: str
    range: str
    message: str


class RuleApplied(_RuleAppliedKeys, total=False):
    """A cloud rule that decided something in a plan (``docs/clouds.md``), with the range
    it decided and the clusters whose range it is."""

    clusters: list[str]


class PlanWarning(TypedDict):
    """A finding of the plan, e.g. a collision naming both sides."""

    code: str
    message: str


class _PlanKeys(TypedDict):

    model: str
    ranking: list[RankedModel]
    clusters: list[ClusterPlan]
    holes: list[Hole]
    reachability: list[Reach]
    warnings: list[PlanWarning]
    headroom: dict[str, Any]
    request: dict[str, Any]


class Plan(_PlanKeys, total=False):
    """Result of :func:`cidrplan.plan`; the network it was made in is ``request["network"]``;
    ``retained`` (clusters of the previous plan kept reserved) and ``released`` appear in
    re-plans that have them, ``rules`` when a cloud rule decided something."""

    retained: list[dict[str, Any]]
    released: list[str]
    rules: list[RuleApplied]
