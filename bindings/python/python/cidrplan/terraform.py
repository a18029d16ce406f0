"""Terraform external data source program: ``python -m cidrplan.terraform``.

Terraform's ``external`` data source runs a program, writes the ``query`` (a JSON object
of strings) on its standard input and reads a JSON object of strings from its standard
output; on failure the program prints a message on standard error and exits non-zero,
which Terraform shows as the error. Two query shapes are understood.

Carving (comma-separated lists, as Terraform strings)::

    {"pools": "10.0.0.0/16", "requests": "a=/20,b=/24,c=1000",
     "reserved": "10.0.0.0/24", "strategy": "best-fit"}
    -> {"a": "10.0.16.0/20", "b": "10.0.1.0/24", "c": "10.0.4.0/22"}

A request is ``NAME=/LEN`` or ``NAME=COUNT``, optionally pinned with ``@CIDR``
(``db=/24@10.0.9.0/24``). ``reserved`` and ``strategy`` may be left out.

Planning (the plan request as JSON text, e.g. ``jsonencode({...})``)::

    {"spec": "{\\"network\\": {...}, \\"clusters\\": [...]}"}
    -> {"model": "island", "a.pod_cidr": "100.64.0.0/16", "a.service_cidr": ..., ...}

Each cluster's fields become ``<cluster>.<field>`` keys; lists become comma-separated
strings and nested objects dotted keys. Add ``"export": "<format>"`` to get the rendered
configuration under the ``content`` key as well (``"force": "true"`` renders a plan whose
ranges collide).

>>> import io
>>> out = io.StringIO()
>>> main(io.StringIO('{"pools": "10.1.0.0/16", "requests": "a=/20,b=/24"}'), out, io.StringIO())
0
>>> out.getvalue()
'{"a": "10.1.0.0/20", "b": "10.1.16.0/24"}\\n'
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any, TextIO

from . import carve, export, plan
from .errors import CidrplanError, InputError
from ._wire import shown

__all__ = ["main", "respond", "parse_requests", "flatten_plan"]

_CARVE_KEYS = frozenset({"pools", "requests", "reserved", "strategy"})
_PLAN_KEYS = frozenset({"spec", "export", "force"})


def _split(text: str) -> list[str]:
    """Items of a comma (or whitespace) separated list, empty ones dropped."""
    return [item for item in text.replace(",", " ").split() if item]


def parse_requests(text: str) -> list[tuple[str, Any]]:
    """Parses ``"a=/20,b=4096,c=/24@10.0.9.0/24"`` into carve requests.

    >>> parse_requests("a=/20, b=4096,c=/24@10.0.9.0/24")
    [('a', '/20'), ('b', 4096), ('c', {'size': '/24', 'pinned': '10.0.9.0/24'})]
    """
    requests: list[tuple[str, Any]] = []
    for item in _split(text):
        name, sep, size_text = item.partition("=")
        if not sep or not name or not size_text:
            raise InputError(f"invalid requests: {shown(item)} is not NAME=/LEN or NAME=COUNT")
        size_text, at, pinned = size_text.partition("@")
        # Short ASCII counts become ints; longer ones (int() refuses 4,300 digits) and other
        # digits ("²", which isdigit() but int() rejects) go on as text for the core to judge.
        is_count = size_text.isascii() and size_text.isdigit() and len(size_text) <= 18
        size: str | int = int(size_text) if is_count else size_text
        requests.append((name, {"size": size, "pinned": pinned} if at else size))
    return requests


def _flatten(prefix: str, value: Any, out: dict[str, str]) -> None:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            _flatten(f"{prefix}.{key}", inner, out)
    elif isinstance(value, list):
        if all(not isinstance(item, (Mapping, list)) for item in value):
            out[prefix] = ",".join(_scalar(item) for item in value)
        else:
            for index, inner in enumerate(value):
                _flatten(f"{prefix}.{index}", inner, out)
    elif value is not None:
        out[prefix] = _scalar(value)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def flatten_plan(result: Mapping[str, Any]) -> dict[str, str]:
    """Flat string keys of a plan: ``model`` and ``<cluster>.<field>`` for every cluster.

    >>> flatten_plan({"model": "flat", "clusters": [{"name": "a", "pod_cidr": "10.0.0.0/16",
    ...     "non_masquerade_cidrs": ["10.0.0.0/8"], "external_pod_cidr": None}]})
    {'model': 'flat', 'a.pod_cidr': '10.0.0.0/16', 'a.non_masquerade_cidrs': '10.0.0.0/8'}
    """
    out: dict[str, str] = {"model": _scalar(result.get("model", ""))}
    for cluster in result.get("clusters", []):
        name = cluster.get("name", "")
        for key, value in cluster.items():
            if key != "name":
                _flatten(f"{name}.{key}", value, out)
    return out


def respond(query: Mapping[str, Any]) -> dict[str, str]:
    """The flat result object for one Terraform query.

    >>> respond({"pools": "10.0.0.0/24", "requests": "x=64,y=/26", "strategy": "first-fit"})
    {'x': '10.0.0.0/26', 'y': '10.0.0.64/26'}
    """
    if not isinstance(query, Mapping):
        raise InputError("invalid query: expected a JSON object")
    for key, value in query.items():
        if not isinstance(value, str):
            raise InputError(f"invalid query: {shown(key)} must be a string, as Terraform sends it")
    keys = set(query)
    if "spec" in keys:
        unknown = keys - _PLAN_KEYS
        if unknown:
            raise InputError(f"invalid query: unknown keys {shown(sorted(unknown))} beside 'spec'")
        try:
            spec = json.loads(query["spec"])
        except json.JSONDecodeError as err:
            raise InputError(f"invalid spec: not JSON text ({err})") from None
        out = flatten_plan(plan(spec))
        if query.get("export"):
            force = query.get("force", "false")
            if force not in ("true", "false"):
                raise InputError(f"invalid force: {shown(force)} is not \"true\" or \"false\"")
            out["content"] = export(spec, query["export"], force=force == "true")
        return out
    unknown = keys - _CARVE_KEYS
    if unknown:
        raise InputError(f"invalid query: unknown keys {shown(sorted(unknown))}")
    if "pools" not in keys or "requests" not in keys:
        raise InputError("invalid query: expected 'pools' and 'requests', or 'spec'")
    result = carve(
        _split(query["pools"]),
        parse_requests(query["requests"]),
        _split(query.get("reserved", "")),
        query.get("strategy") or "best-fit",
    )
    return {item["name"]: item["cidr"] for item in result["allocations"]}


def main(
    stdin: TextIO | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Reads one query from ``stdin`` and answers on ``stdout``; returns the exit status."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        try:
            query = json.load(stdin)
        except json.JSONDecodeError as err:
            raise InputError(f"invalid query: not JSON ({err})") from None
        result = respond(query)
    except CidrplanError as err:
        stderr.write(f"cidrplan: {err} [{err.code}]\n")
        return 1
    json.dump(result, stdout)
    stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
