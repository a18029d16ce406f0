"""Benchmark: cidrplan against netaddr and the stdlib ``ipaddress`` module.

Runs ``aggregate`` and ``overlaps`` on 10^5 and 10^6 random IPv4 prefixes, all
implementations side by side on the same input, and prints the time of each and its ratio
to cidrplan. Every implementation starts from the same list of CIDR strings, so parsing is
part of what is measured (that is what a caller pays).

    python bindings/python/bench/bench.py                # 10^5 and 10^6
    python bindings/python/bench/bench.py --sizes 100000 --repeat 9

Build the extension in release mode first (``pip install .`` does). netaddr is optional;
without it its rows are left out.
"""

from __future__ import annotations

import argparse
import ipaddress
import random
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import cidrplan

try:
    import netaddr  # type: ignore[import-untyped, unused-ignore]
except ImportError:  # pragma: no cover - the row is skipped
    netaddr = None


def random_prefixes(count: int, seed: int) -> list[str]:
    """``count`` random IPv4 CIDRs, /20 to /32 weighted to long ones (host routes, /24
    subnets, a few larger blocks), in a space scaled with ``count`` (2^11 addresses per
    prefix) so that the density, and so the share of overlapping and adjacent prefixes
    (about 1 in 100 overlaps another), is the same at every size."""
    rng = random.Random(seed)
    lengths = [20, 22, 24, 24, 24, 26, 27, 28, 28, 29, 30, 31, 32, 32, 32, 32]
    space_bits = min(32, max(16, (count * 2048).bit_length()))
    out = []
    for _ in range(count):
        length = rng.choice(lengths)
        address = rng.getrandbits(space_bits) << (32 - space_bits)
        address &= (0xFFFFFFFF << (32 - length)) & 0xFFFFFFFF
        out.append(f"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}/{length}")
    return out


# --- aggregate ----------------------------------------------------------------------

def agg_cidrplan(cidrs: list[str]) -> list[str]:
    return cidrplan.aggregate(cidrs)["prefixes"]


def agg_ipaddress(cidrs: list[str]) -> list[str]:
    nets = [ipaddress.IPv4Network(c) for c in cidrs]
    return [str(n) for n in ipaddress.collapse_addresses(nets)]


def agg_netaddr_cidr_merge(cidrs: list[str]) -> list[str]:
    return [str(n) for n in netaddr.cidr_merge(cidrs)]


def agg_netaddr_ipset(cidrs: list[str]) -> list[str]:
    return [str(n) for n in netaddr.IPSet(cidrs).iter_cidrs()]


# --- overlaps -----------------------------------------------------------------------

def _sweep(spans: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Overlapping pairs (as input indices, smaller first) among (first, last, index) spans
    of CIDRs, which either nest or are disjoint: sort by first address (widest first on
    ties) and keep a stack of the open enclosing prefixes; each prefix overlaps exactly the
    open ones. O(n log n + pairs)."""
    spans.sort(key=lambda s: (s[0], -s[1]))
    stack: list[tuple[int, int]] = []  # (last address, index) of open prefixes
    pairs = []
    for first, last, index in spans:
        while stack and stack[-1][0] < first:
            stack.pop()
        for _, outer in stack:
            pairs.append((outer, index) if outer < index else (index, outer))
        stack.append((last, index))
    return pairs


# Each returns the number of pairs; cidrplan's result also names and classifies each pair,
# the sweeps only pair up indices, so they do less work than cidrplan does.

def ovl_cidrplan(cidrs: list[str]) -> int:
    return len(cidrplan.overlaps(cidrs)["overlaps"])


def ovl_ipaddress(cidrs: list[str]) -> int:
    nets = [ipaddress.IPv4Network(c) for c in cidrs]
    return len(_sweep([(int(n.network_address), int(n.broadcast_address), i) for i, n in enumerate(nets)]))


def ovl_netaddr(cidrs: list[str]) -> int:
    nets = [netaddr.IPNetwork(c) for c in cidrs]
    return len(_sweep([(n.first, n.last, i) for i, n in enumerate(nets)]))


def timed(
    func: Callable[[list[str]], Any], cidrs: list[str], repeat: int, budget: float = 5.0
) -> tuple[float, Any]:
    """Best wall time of up to ``repeat`` runs, stopping early once ``budget`` seconds are
    spent (the slow implementations at 10^6 run once)."""
    best = float("inf")
    spent = 0.0
    result: Any = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(cidrs)
        elapsed = time.perf_counter() - start
        best = min(best, elapsed)
        spent += elapsed
        if spent > budget:
            break
    return best, result


def run(sizes: Sequence[int], repeat: int, seed: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    aggregate_impls: list[tuple[str, Callable[[list[str]], Any]]] = [
        ("cidrplan.aggregate", agg_cidrplan),
        ("ipaddress.collapse_addresses", agg_ipaddress),
    ]
    overlap_impls: list[tuple[str, Callable[[list[str]], Any]]] = [
        ("cidrplan.overlaps", ovl_cidrplan),
        ("ipaddress sort+sweep", ovl_ipaddress),
    ]
    if netaddr is not None:
        aggregate_impls += [("netaddr.cidr_merge", agg_netaddr_cidr_merge), ("netaddr.IPSet", agg_netaddr_ipset)]
        overlap_impls += [("netaddr sort+sweep", ovl_netaddr)]
    for size in sizes:
        cidrs = random_prefixes(size, seed)
        for op, impls in (("aggregate", aggregate_impls), ("overlaps", overlap_impls)):
            baseline = None
            reference = None
            for name, func in impls:
                seconds, result = timed(func, cidrs, repeat)
                if baseline is None:
                    baseline, reference = seconds, result
                elif result != reference:
                    raise SystemExit(f"{name} disagrees with cidrplan on {op} of {size} prefixes")
                rows.append({"op": op, "n": size, "impl": name, "seconds": seconds, "ratio": seconds / baseline})
                print(f"{op:<10} n={size:<8} {name:<30} {seconds * 1000:10.1f} ms  {seconds / baseline:7.1f}x",
                      flush=True)
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated input sizes")
    parser.add_argument("--repeat", type=int, default=5,
                        help="most runs per measurement, within a 5 s budget (best is kept)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    print(f"cidrplan {cidrplan.__version__}, Python {sys.version.split()[0]}, "
          f"netaddr {getattr(netaddr, '__version__', 'absent')}; ratio = time / cidrplan's time")
    rows = run(sizes, args.repeat, args.seed)
    print("\nsummary (how many times slower than cidrplan):")
    for row in rows:
        if not row["impl"].startswith("cidrplan"):
            print(f"  {row['op']:<10} n={row['n']:<8} {row['impl']:<30} {row['ratio']:7.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
