"""Exceptions raised by :mod:`cidrplan`.

Every error is a :class:`CidrplanError`, itself a :class:`ValueError`, with a stable
snake_case :attr:`~CidrplanError.code` shared with the Rust crate, the CLI and the npm
package. Catch the family you can handle and let the rest propagate::

    >>> import cidrplan
    >>> try:
    ...     cidrplan.aggregate(["10.0.0.1/8"])
    ... except cidrplan.PrefixError as err:
    ...     print(err.code)
    host_bits_set
"""

from __future__ import annotations

__all__ = [
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


class CidrplanError(ValueError):
    """Base class of every cidrplan error.

    ``code`` is the stable machine-readable code (e.g. ``"space_exhausted"``); the message
    (``str(err)``) names the offending input. The base class itself is raised only with
    ``internal_error`` (a bug in cidrplan, never a Rust panic escaping as
    ``PanicException``) or with a code newer than this package.

    >>> err = CidrplanError("invalid strategy: unknown", "invalid_input")
    >>> (err.code, str(err))
    ('invalid_input', 'invalid strategy: unknown')
    """

    code: str
    """Stable snake_case code, as ``Error::code()`` returns it in Rust."""

    def __init__(self, message: str, code: str = "invalid_input") -> None:
        super().__init__(message)
        self.code = code

    def __reduce__(self) -> tuple[type[CidrplanError], tuple[str, str]]:
        # Keep ``code`` across pickling (multiprocessing, concurrent.futures).
        return (type(self), (str(self), self.code))


class PrefixError(CidrplanError):
    """A CIDR that cannot be used as given.

    Codes: ``invalid_prefix`` (not a CIDR), ``host_bits_set`` (``10.0.0.1/8``),
    ``prefix_too_long`` (``/33``) and ``mixed_families`` (IPv4 and IPv6 where one family is
    required).
    """


class SpaceExhaustedError(CidrplanError):
    """A request does not fit in the free space left (code ``space_exhausted``)."""


class PinnedConflictError(CidrplanError):
    """A pinned allocation lies outside the pools or overlaps a reservation or another pin
    (code ``pinned_conflict``)."""


class LimitExceededError(CidrplanError):
    """An input is larger than the documented limits of the core (code ``limit_exceeded``)."""


class InputError(CidrplanError):
    """An argument or wire field of the wrong shape: an unknown strategy, a request size
    that is neither ``"/LEN"`` nor a count, a value that is not JSON (code ``invalid_input``).
    """


class RequestError(InputError):
    """A carve request that makes no sense on its own: zero addresses, a duplicate name
    (code ``invalid_request``)."""


class SpecError(CidrplanError):
    """A Kubernetes plan request that is inconsistent or out of range (code
    ``invalid_spec``)."""


class InfeasibleError(CidrplanError):
    """The network model asked for cannot be planned in the address space given (code
    ``infeasible``)."""


class CollisionError(CidrplanError):
    """Configuration was asked for a plan whose ranges collide (code ``collision``); the
    message names both sides. ``export(..., force=True)`` renders it anyway."""
