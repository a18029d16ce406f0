"""Benchmark: the first call in a fresh process, as Terraform and Ansible make it.

Each run starts a new interpreter that builds 10^5 random IPv4 CIDRs one of two ways (a
list from ``json.load``, or strings the caller made with ``ipaddress``:
``str(ipaddress.ip_network(...))``), then measures ``import cidrplan``, the first
``cidrplan.aggregate`` call (and the page faults it takes), the best of the warm calls,
and netaddr's ``cidr_merge`` on the same list. The medians of several runs are printed
side by side, with how many times slower ``cidr_merge`` is than cidrplan's first call.

    python bindings/python/bench/first_call.py             # 10^5 prefixes, 7 runs each
    python bindings/python/bench/first_call.py --runs 11 --size 100000

netaddr is installed into the running interpreter's environment with pip when missing.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

# What each fresh process runs: argv = [size, seed, how].
CHILD = r"""
import time
start = time.perf_counter()
import cidrplan
import_s = time.perf_counter() - start
import ipaddress, json, resource, sys
sys.path.insert(0, sys.argv[4])
from bench import random_prefixes
size, seed, how = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
cidrs = random_prefixes(size, seed)
if how == "json":
    prefixes = json.loads(json.dumps(cidrs))
else:
    prefixes = [str(ipaddress.ip_network(c)) for c in cidrs]
del cidrs
faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
start = time.perf_counter()
first = cidrplan.aggregate(prefixes)["prefixes"]
first_s = time.perf_counter() - start
faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
warm_s = float("inf")
for _ in range(5):
    start = time.perf_counter()
    cidrplan.aggregate(prefixes)
    warm_s = min(warm_s, time.perf_counter() - start)
import netaddr
start = time.perf_counter()
merged = [str(n) for n in netaddr.cidr_merge(prefixes)]
netaddr_s = time.perf_counter() - start
if merged != first:
    raise SystemExit("netaddr.cidr_merge disagrees with cidrplan.aggregate")
print(json.dumps({"import": import_s, "first": first_s, "faults": faults, "warm": warm_s,
                  "netaddr": netaddr_s}))
"""


def ensure_netaddr() -> None:
    """Installs netaddr with pip when the interpreter lacks it."""
    if importlib.util.find_spec("netaddr") is None:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "netaddr>=1"], check=True)


def measure(how: str, size: int, seed: int, runs: int) -> dict[str, float]:
    """Medians over ``runs`` fresh processes of each figure the child reports."""
    here = str(Path(__file__).resolve().parent)
    samples: list[dict[str, float]] = []
    for run in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(size), str(seed + run), how, here],
            check=True, capture_output=True, text=True,
        ).stdout
        samples.append(json.loads(out))
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per list kind")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    ensure_netaddr()
    import cidrplan
    import netaddr  # type: ignore[import-untyped, unused-ignore]

    print(f"cidrplan {cidrplan.__version__}, Python {sys.version.split()[0]}, netaddr "
          f"{netaddr.__version__}; aggregate of {args.size} IPv4 CIDRs, medians of {args.runs} "
          "fresh processes")
    print(f"{'list built by':<14} {'import':>9} {'first call':>11} {'faults':>7} {'warm':>9} "
          f"{'cidr_merge':>11} {'vs first':>9} {'vs warm':>8}")
    for how in ("json", "ipaddress"):
        m = measure(how, args.size, args.seed, args.runs)
        print(f"{how:<14} {m['import'] * 1e3:7.1f} ms {m['first'] * 1e3:8.1f} ms {m['faults']:7.0f} "
              f"{m['warm'] * 1e3:6.1f} ms {m['netaddr'] * 1e3:8.1f} ms {m['netaddr'] / m['first']:8.1f}x "
              f"{m['netaddr'] / m['warm']:7.1f}x", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
