"""JSON Schemas of the wire format, derived from the Rust core's types (``cidrplan schema``).

Each ``NAME.json`` here is written by the core's own test (``schemas/`` at the repository
root holds the same files), so it always describes what the functions of :mod:`cidrplan`
accept and return::

    >>> from cidrplan import schemas
    >>> schemas.load("plan-request")["required"]
    ['network']
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

__all__ = ["names", "load"]


def names() -> list[str]:
    """The names of the published schemas, sorted (``plan-request``, ``plan``, ...)."""
    return sorted(
        entry.name[: -len(".json")]
        for entry in resources.files(__name__).iterdir()
        if entry.name.endswith(".json")
    )


def load(name: str) -> dict[str, Any]:
    """The schema ``name`` (one of :func:`names`) as a dict; ``KeyError`` for another name."""
    if name not in names():
        raise KeyError(f"no schema named {name!r}: one of {', '.join(names())}")
    text = resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded
