"""Turns Python arguments into wire-format JSON text and results back into Python values.

The only conversion the caller's values need is for objects JSON has no notation for:
stdlib :mod:`ipaddress` objects become CIDR strings, other mappings become objects and
other iterables (tuples, generators, sets) become lists. Plain ``str``/``list``/``dict``
inputs take the C fast path of :func:`json.dumps`, which is what keeps a million prefixes
cheap to send.
"""

from __future__ import annotations

import ipaddress
import json
import reprlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .errors import InputError

__all__ = ["SHOWN", "call", "cidr_text", "dumps", "encode", "shown", "to_cidr"]

SHOWN = 80
"""At most this many characters of a caller's value are quoted in an error message."""

_INTERFACES = (ipaddress.IPv4Interface, ipaddress.IPv6Interface)
_NETWORKS = (ipaddress.IPv4Network, ipaddress.IPv6Network)
_ADDRESSES = (ipaddress.IPv4Address, ipaddress.IPv6Address)


def cidr_text(value: object) -> str | None:
    """The CIDR text of an :mod:`ipaddress` object, or ``None`` for anything else.

    >>> cidr_text(ipaddress.ip_network("2001:db8::/32"))
    '2001:db8::/32'
    >>> cidr_text(ipaddress.ip_address("10.1.2.3"))
    '10.1.2.3/32'
    >>> cidr_text("10.0.0.0/8") is None
    True
    """
    # Interfaces subclass addresses, so they go first; like text, an interface with host
    # bits set (10.0.0.1/8) is passed on as written and rejected by the strict parser.
    if isinstance(value, _INTERFACES):
        return value.with_prefixlen
    if isinstance(value, _NETWORKS):
        return value.with_prefixlen
    if isinstance(value, _ADDRESSES):
        return f"{value}/{value.max_prefixlen}"
    return None


class _Short(reprlib.Repr):
    """:mod:`reprlib` limits, and no decimal conversion of huge ints (Python refuses those
    past 4,300 digits with a ``ValueError``, and they are slow before that)."""

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel = 3
        self.maxstring = SHOWN
        self.maxlong = SHOWN
        self.maxother = SHOWN

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 4 * SHOWN:
            return f"<int of {x.bit_length()} bits>"
        return super().repr_int(x, level)


_SHORT = _Short()


def shown(value: object) -> str:
    """A short ``repr`` of a caller's value for an error message: at most :data:`SHOWN`
    characters, whatever the value's size or depth, and never an exception of its own.

    >>> shown("10.0.0.0/8")
    "'10.0.0.0/8'"
    >>> shown([[[["deep"]]]])
    '[[[[...]]]]'
    >>> len(shown("x" * 100_000)) <= SHOWN
    True
    >>> shown(2**1000)
    '<int of 1001 bits>'
    """
    try:
        text = _SHORT.repr(value)
    except Exception:  # a __repr__ or __iter__ of the caller's that raises
        text = f"<{type(value).__name__} object>"
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "\u2026"


def to_cidr(value: object, argument: str = "the list") -> str:
    """The CIDR text of a list item that is not a ``str``; :class:`InputError` otherwise.

    >>> to_cidr(ipaddress.ip_network("10.0.0.0/8"))
    '10.0.0.0/8'
    >>> to_cidr([[[["10.0.0.0/8"]]]], "prefixes")
    Traceback (most recent call last):
    ...
    cidrplan.errors.InputError: invalid input: an item of prefixes is not a CIDR: list [[[[...]]]]
    """
    text = cidr_text(value)
    if text is None:
        kind = type(value).__name__[:SHOWN]
        raise InputError(f"invalid input: an item of {argument} is not a CIDR: {kind} {shown(value)}")
    return text


def encode(value: object) -> object:
    """``default`` hook of :func:`json.dumps` for values JSON cannot write as they are.

    >>> json.dumps({"used": (ipaddress.ip_network("10.0.0.0/24"),)}, default=encode)
    '{"used": ["10.0.0.0/24"]}'
    """
    text = cidr_text(value)
    if text is not None:
        return text
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes, bytearray)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not a CIDR, a list or a mapping")


def dumps(payload: Mapping[str, object]) -> str:
    """The wire-format JSON text of ``payload``; :class:`InputError` if it has none.

    >>> dumps({"parent": ipaddress.ip_network("10.0.0.0/8"), "used": []})
    '{"parent":"10.0.0.0/8","used":[]}'
    """
    try:
        return json.dumps(payload, default=encode, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError) as err:
        raise InputError(f"invalid input: {err}", "invalid_input") from None


def call(native: Callable[[str], str], payload: Mapping[str, object]) -> Any:
    """Sends ``payload`` to a function of the extension and decodes its JSON result."""
    return json.loads(native(dumps(payload)))
