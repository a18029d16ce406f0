"""The benchmark script runs and its implementations agree (no timing is asserted: the
script itself fails when netaddr or ipaddress disagree with cidrplan)."""

from __future__ import annotations

import importlib.util
import pathlib
import subprocess
import sys

import pytest

BENCH = pathlib.Path(__file__).resolve().parents[1] / "bench" / "bench.py"


def test_bench_runs_small_and_cross_checks() -> None:
    pytest.importorskip("netaddr")
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--sizes", "3000", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "netaddr.cidr_merge" in proc.stdout and "summary" in proc.stdout


def test_sweep_baseline_matches_pairwise() -> None:
    spec = importlib.util.spec_from_file_location("cidrplan_bench", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    cidrs = bench.random_prefixes(2000, 7)
    assert bench.ovl_ipaddress(cidrs) == bench.ovl_cidrplan(cidrs)
    assert bench.agg_ipaddress(cidrs) == bench.agg_cidrplan(cidrs)
