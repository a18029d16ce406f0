"""``python -m cidrplan``: the CLI's subcommands, their --json output and exit codes."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

import cidrplan


def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cidrplan", *args], input=stdin, capture_output=True, text=True, timeout=60, check=False
    )


def test_carve_json_is_the_wire_format() -> None:
    proc = cli("carve", "10.1.0.0/16", "-r", "a=/20", "--request", "b=4096", "--strategy", "sequential", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == cidrplan.carve("10.1.0.0/16", [("a", "/20"), ("b", 4096)], strategy="sequential")


def test_carve_table() -> None:
    proc = cli("carve", "10.0.0.0/24", "-r", "a=/26", "--reserve", "10.0.0.0/26")
    assert proc.returncode == 0, proc.stderr
    assert "a" in proc.stdout and "10.0.0.64/26" in proc.stdout


def test_overlaps_reads_named_lines_from_stdin() -> None:
    proc = cli("overlaps", "--json", stdin="# sites\ndc 10.0.0.0/16\nvpn 10.0.4.0/24\n10.9.0.0/16\n")
    assert proc.returncode == 1, proc.stderr  # findings
    assert json.loads(proc.stdout)["overlaps"] == [
        {"a": "dc", "a_cidr": "10.0.0.0/16", "b": "vpn", "b_cidr": "10.0.4.0/24", "relation": "contains"}
    ]
    table = cli("overlaps", stdin="network 10.0.0.0/8\nOther: 10.128.1.1\n")
    assert table.returncode == 1
    assert table.stdout.split("\n")[1].split() == ["network", "10.0.0.0/8", "Other", "10.128.1.1/32", "contains"]
    declared = cli("overlaps", "--expected", "network=Other", stdin="network 10.0.0.0/8\nOther: 10.128.1.1\n")
    assert declared.returncode == 0 and "no overlaps" in declared.stdout


def test_lenient_masks_host_bits() -> None:
    assert cli("aggregate", stdin="10.0.0.1/8\n").returncode == 2
    proc = cli("aggregate", "--lenient", "--json", stdin="10.0.0.1/8\n")
    assert json.loads(proc.stdout) == {"prefixes": ["10.0.0.0/8"]}


def test_aggregate_and_exclude(tmp_path: pathlib.Path) -> None:
    listing = tmp_path / "used.txt"
    listing.write_text("10.0.0.0/25\n10.0.0.128/25\n", encoding="utf-8")
    assert cli("aggregate", str(listing)).stdout.split() == ["10.0.0.0/24"]
    assert cli("exclude", "10.0.0.0/23", str(listing)).stdout.split() == ["10.0.1.0/24"]


def test_plan_without_a_file_uses_the_built_in_example() -> None:
    proc = cli("plan", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == cidrplan.plan(cidrplan.example_spec())
    table = cli("plan")
    assert table.returncode == 0 and "model:" in table.stdout


def test_plan_and_recommend_read_json_and_toml(tmp_path: pathlib.Path) -> None:
    spec_json = tmp_path / "spec.json"
    spec_json.write_text(json.dumps({"network": {"pools": ["10.0.0.0/8"]}, "clusters": [{"name": "a", "nodes": 3}]}))
    spec_toml = tmp_path / "spec.toml"
    spec_toml.write_text('[network]\npools = ["10.0.0.0/8"]\n\n[[clusters]]\nname = "a"\nnodes = 3\n')
    from_json = cli("plan", str(spec_json), "--json")
    from_toml = cli("plan", str(spec_toml), "--json")
    assert from_json.returncode == 0, from_json.stderr
    assert json.loads(from_json.stdout) == json.loads(from_toml.stdout)
    ranking = cli("recommend", str(spec_toml), "--json")
    assert [r["model"] for r in json.loads(ranking.stdout)["ranking"]][0] == json.loads(from_json.stdout)["model"]
    assert cli("recommend", str(spec_toml)).returncode == 0


def test_errors_exit_2_with_the_code() -> None:
    proc = cli("carve", "10.0.0.0/24", "-r", "a=/23")
    assert proc.returncode == 2
    assert "error[space_exhausted]" in proc.stderr
    assert cli("carve", "10.0.0.0/24").returncode == 2  # argparse: --request is required


def test_plan_format_and_model() -> None:
    proc = cli("plan", "--model", "island", "--format", "calico")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == cidrplan.export({**cidrplan.example_spec(), "model": "island"}, "calico")
    assert cli("plan", "--format", "helm").returncode == 2


def test_plan_reads_yaml(tmp_path: pathlib.Path) -> None:
    spec_yaml = tmp_path / "spec.yaml"
    spec_yaml.write_text("network:\n  pools: [10.0.0.0/8]\nclusters:\n  - {name: a, nodes: 3}\nmodel: island\n")
    proc = cli("plan", str(spec_yaml), "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["model"] == "island"


def test_recommend_table_lists_reasons() -> None:
    proc = cli("recommend")
    assert proc.returncode == 0, proc.stderr
    assert "recommended:" in proc.stdout and "score" in proc.stdout
    assert "addresses" in proc.stdout  # a measured reason names the numbers


def test_bad_spec_file_is_an_input_error(tmp_path: pathlib.Path) -> None:
    bad = tmp_path / "spec.toml"
    bad.write_text("network = [")
    proc = cli("plan", str(bad))
    assert proc.returncode == 2 and "error[invalid_input]" in proc.stderr
    missing = cli("plan", str(tmp_path / "absent.json"))
    assert missing.returncode == 2 and "error[io]" in missing.stderr
