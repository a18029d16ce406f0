"""Ansible filters for cidrplan: ``cidrplan_carve``, ``cidrplan_plan`` and friends.

Ansible finds filter plugins in ``filter_plugins`` directories; this package ships one at
``cidrplan/ansible/filter_plugins`` (print its path with ``python -m cidrplan.ansible``) and
the playbook's ``ansible.cfg`` points ``filter_plugins`` at it. The filters are plain
functions, so templates get the same JSON-shaped values as Python code::

    pod_ranges: "{{ '10.0.0.0/16' | cidrplan_carve({'east': '/18', 'west': '/18'}) }}"
    # -> {'east': '10.0.0.0/18', 'west': '10.0.64.0/18'}

Errors are raised as ``AnsibleFilterError`` when Ansible is importable (the task fails with
the message and code), and as :class:`cidrplan.CidrplanError` otherwise.

>>> filters = FilterModule().filters()
>>> filters["cidrplan_carve"]("10.0.0.0/16", {"east": "/18", "west": "/18"})
{'east': '10.0.0.0/18', 'west': '10.0.64.0/18'}
>>> filters["cidrplan_aggregate"](["10.0.0.0/24", "10.0.1.0/24"])
['10.0.0.0/23']
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import cidrplan
from cidrplan.errors import CidrplanError
from cidrplan.types import Network, OverlapItems, Requests, Spec

__all__ = [
    "FilterModule",
    "FILTER_PLUGINS_DIR",
    "cidrplan_aggregate",
    "cidrplan_carve",
    "cidrplan_carve_result",
    "cidrplan_exclude",
    "cidrplan_export",
    "cidrplan_overlaps",
    "cidrplan_plan",
    "cidrplan_recommend",
]

FILTER_PLUGINS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "filter_plugins")
"""Directory to list under ``filter_plugins`` in ``ansible.cfg``."""

_F = TypeVar("_F", bound=Callable[..., Any])


def _names_failing_filter() -> bool:
    """Whether Ansible's own message names the failing filter (ansible-core 2.19 and later)."""
    try:
        from ansible.release import __version__  # type: ignore[import-not-found]
    except ImportError:
        return False
    major, minor = (int(part) for part in str(__version__).split(".")[:2])
    return (major, minor) >= (2, 19)


def _ansible_errors(func: _F) -> _F:
    """Re-raises :class:`CidrplanError` as ``AnsibleFilterError`` when Ansible is present.

    The new error is not chained: ansible-core 2.19 and later append a chained cause's
    message to the task's error, which would print the message twice. They also name the
    filter themselves ("The filter plugin 'cidrplan_carve' failed: ..."), so the filter's
    name leads the message only on older versions.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CidrplanError as err:
            try:
                from ansible.errors import AnsibleFilterError  # type: ignore[import-not-found]
            except ImportError:
                raise err from None
            prefix = "" if _names_failing_filter() else f"{func.__name__}: "
            raise AnsibleFilterError(f"{prefix}{err} [{err.code}]") from None

    return wrapper  # type: ignore[return-value]


@_ansible_errors
def cidrplan_carve(
    pools: Network | Iterable[Network],
    requests: Requests,
    reserved: Network | Iterable[Network] = (),
    strategy: str = "best-fit",
) -> dict[str, str]:
    """Carves ``requests`` out of ``pools``: a mapping name -> CIDR, in request order.

    >>> cidrplan_carve(["10.0.0.0/24"], [["a", 64], ["b", "/26"]], ["10.0.0.0/26"], "first-fit")
    {'a': '10.0.0.64/26', 'b': '10.0.0.128/26'}
    """
    result = cidrplan.carve(pools, requests, reserved, strategy)
    return {item["name"]: item["cidr"] for item in result["allocations"]}


@_ansible_errors
def cidrplan_carve_result(
    pools: Network | Iterable[Network],
    requests: Requests,
    reserved: Network | Iterable[Network] = (),
    strategy: str = "best-fit",
) -> dict[str, Any]:
    """The full :func:`cidrplan.carve` result (allocations, waste, free space per pool)."""
    return dict(cidrplan.carve(pools, requests, reserved, strategy))


@_ansible_errors
def cidrplan_aggregate(prefixes: Iterable[Network]) -> list[str]:
    """The minimal CIDR list covering ``prefixes``.

    >>> cidrplan_aggregate(["10.0.0.0/25", "10.0.0.128/25"])
    ['10.0.0.0/24']
    """
    return cidrplan.aggregate(prefixes)["prefixes"]


@_ansible_errors
def cidrplan_exclude(parent: Network, used: Iterable[Network]) -> list[str]:
    """The free CIDRs of ``parent`` once ``used`` is taken out.

    >>> cidrplan_exclude("10.0.0.0/24", ["10.0.0.0/25"])
    ['10.0.0.128/25']
    """
    return cidrplan.exclude(parent, used)["free"]


@_ansible_errors
def cidrplan_overlaps(items: OverlapItems) -> list[dict[str, Any]]:
    """The overlapping pairs among ``items`` (CIDRs, ``[name, cidr]`` pairs or a mapping).

    >>> [(o["a"], o["b"], o["relation"]) for o in cidrplan_overlaps({"x": "10.0.0.0/8", "y": "10.1.0.0/16"})]
    [('x', 'y', 'contains')]
    """
    return [dict(item) for item in cidrplan.overlaps(items)["overlaps"]]


@_ansible_errors
def cidrplan_plan(spec: Spec) -> dict[str, Any]:
    """The plan of ``spec`` (see :func:`cidrplan.plan`)."""
    return dict(cidrplan.plan(spec))


@_ansible_errors
def cidrplan_recommend(spec: Spec) -> dict[str, Any]:
    """The ranking of network models for ``spec`` (see :func:`cidrplan.recommend`)."""
    return dict(cidrplan.recommend(spec))


@_ansible_errors
def cidrplan_export(spec: Spec, format: str, force: bool = False) -> str:
    """The plan of ``spec`` rendered as configuration text (see :func:`cidrplan.export`);
    a plan whose ranges collide fails unless ``force``."""
    return cidrplan.export(spec, format, force=force)


class FilterModule:
    """The entry point Ansible looks for in a filter plugin file."""

    def filters(self) -> dict[str, Callable[..., Any]]:
        """Filter name -> function, as Ansible expects.

        >>> sorted(FilterModule().filters())[:2]
        ['cidrplan_aggregate', 'cidrplan_carve']
        """
        return {
            "cidrplan_aggregate": cidrplan_aggregate,
            "cidrplan_carve": cidrplan_carve,
            "cidrplan_carve_result": cidrplan_carve_result,
            "cidrplan_exclude": cidrplan_exclude,
            "cidrplan_export": cidrplan_export,
            "cidrplan_overlaps": cidrplan_overlaps,
            "cidrplan_plan": cidrplan_plan,
            "cidrplan_recommend": cidrplan_recommend,
        }
