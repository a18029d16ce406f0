"""Stubs of the compiled extension ``cidrplan._native`` (bindings/python/src/lib.rs).

Each operation takes the wire input as JSON text and returns the wire output as JSON
text; :mod:`cidrplan` wraps them with Python arguments and decoded results. Errors are
raised as :class:`cidrplan.errors.CidrplanError` subclasses.
"""

from collections.abc import Callable
from typing import Any

from cidrplan.errors import CidrplanError

__all__ = [
    "__version__",
    "aggregate",
    "aggregate_list",
    "carve",
    "diff",
    "error_codes",
    "example_spec",
    "exception_for",
    "exclude",
    "export",
    "export_formats",
    "import_allocations",
    "overlaps",
    "overlaps_list",
    "plan",
    "recommend",
    "replan",
    "sizing",
]

__version__: str

def overlaps(input: str) -> str:
    """``{"items": ...}`` -> ``{"overlaps": [...], "total": N, "truncated": false}``."""

def overlaps_list(
    items: list[Any],
    convert: Callable[[Any], str],
    expected: list[tuple[str, str]],
    max_listed: int | None = None,
    lenient: bool = False,
) -> str | None:
    """:func:`overlaps` on a list of CIDRs and ``(name, cidr)`` pairs read in place; the
    report as JSON text, or ``None`` if an item has another shape."""

def aggregate(input: str) -> str:
    """``{"prefixes": [...]}`` -> ``{"prefixes": [...]}``."""

def aggregate_list(
    prefixes: list[Any], convert: Callable[[Any], str], lenient: bool = False
) -> list[str]:
    """:func:`aggregate` on a list read in place; ``convert`` turns non-``str`` items into
    CIDR text."""

def exclude(input: str) -> str:
    """``{"parent": ..., "used": [...]}`` -> ``{"free": [...]}``."""

def carve(input: str) -> str:
    """``{"pools", "requests", "reserved", "strategy"}`` -> ``{"allocations": [...], ...}``."""

def plan(input: str) -> str:
    """A plan request -> a plan."""

def replan(input: str) -> str:
    """``{"spec", "previous", "release"}`` -> a plan that keeps the previous plan's ranges."""

def diff(input: str) -> str:
    """``{"old", "new"}`` (two plans) -> ``{"changes", "kept", "breaking"}``."""

def recommend(input: str) -> str:
    """A plan request -> ``{"ranking": [...]}``."""

def export(input: str, format: str, force: bool = False) -> str:
    """A plan request and a format name -> the plan rendered as configuration text."""

def import_allocations(format: str, text: str) -> str:
    """An inventory format name (or ``auto``) and its text -> the plan request fragment."""

def export_formats() -> list[str]:
    """The format names :func:`export` accepts."""

def sizing(input: str) -> str:
    """A sizing request -> the sizes of one cluster's ranges."""

def example_spec() -> str:
    """The built-in example plan request, as JSON text."""

def error_codes() -> list[str]:
    """Every code a :class:`CidrplanError` can carry."""

def exception_for(code: str, message: str) -> CidrplanError:
    """The exception the extension raises for ``code`` (for tests of the error mapping)."""
