"""Reading plan requests (JSON, YAML, TOML) and prefix lists (``NAME CIDR`` lines) from
files, for ``python -m cidrplan`` and scripts."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from .errors import InputError

__all__ = ["load_spec", "parse_prefix_lines", "parse_spec", "read_prefix_lines"]

def parse_spec(text: str, fmt: str = "json") -> Any:
    """Parses a plan request written in ``fmt``: ``json``, ``yaml`` or ``toml``.

    >>> parse_spec('model = "flat"\\n[network]\\npools = ["10.0.0.0/8"]', "toml")
    {'model': 'flat', 'network': {'pools': ['10.0.0.0/8']}}
    """
    try:
        if fmt == "json":
            return json.loads(text)
        if fmt == "toml":
            import tomllib

            return tomllib.loads(text)
        if fmt == "yaml":
            try:
                import yaml  # type: ignore[import-untyped, unused-ignore]
            except ImportError:
                raise InputError(
                    "invalid spec: YAML needs PyYAML (pip install 'cidrplan[yaml]')"
                ) from None
            return yaml.safe_load(text)
    except InputError:
        raise
    except Exception as err:  # each parser has its own error class
        raise InputError(f"invalid spec: not valid {fmt.upper()} ({err})") from None
    raise InputError(f"invalid spec: unknown format {fmt!r} (json, yaml or toml)")


def load_spec(path: str) -> Any:
    """Reads a plan request from ``path`` (``-``: JSON on stdin), by its extension."""
    if path == "-":
        return parse_spec(sys.stdin.read(), "json")
    ext = os.path.splitext(path)[1].lower()
    fmt = {".yaml": "yaml", ".yml": "yaml", ".toml": "toml"}.get(ext, "json")
    with open(path, encoding="utf-8") as handle:
        return parse_spec(handle.read(), fmt)


def read_prefix_lines(path: str | None) -> list[str | tuple[str, str]]:
    """Prefixes from lines ``NAME CIDR`` or ``CIDR`` (``#`` comments); stdin when ``None``.

    Unnamed lines stay bare CIDRs, which the core names by their CIDR.
    """
    if path is None or path == "-":
        text = sys.stdin.read()
    else:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    return parse_prefix_lines(text)


def parse_prefix_lines(text: str) -> list[str | tuple[str, str]]:
    """The items of a prefix list, read as the ``cidrplan`` CLI reads them: ``#`` starts a
    comment, blank lines are skipped, the last word is the CIDR and everything before it
    the name (spaces allowed, a trailing colon dropped, as in ``Other: 10.128.1.1``).

    >>> parse_prefix_lines("# sites\\ndc east 10.0.0.0/16\\nOther: 10.128.1.1\\n10.1.0.0/16  # spare\\n")
    [('dc east', '10.0.0.0/16'), ('Other', '10.128.1.1'), '10.1.0.0/16']
    """
    items: list[str | tuple[str, str]] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        words = line.rsplit(None, 1)
        if len(words) == 1:
            items.append(line)
        else:
            items.append((words[0].strip().rstrip(":").strip(), words[1]))
    return items
