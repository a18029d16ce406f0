"""``python -m cidrplan.terraform`` driven the way Terraform's ``external`` data source
drives it: the query as a JSON object of strings on stdin, a JSON object of strings on
stdout and exit 0, or a message on stderr and a non-zero exit."""

from __future__ import annotations

import json
import pathlib
import re
import shutil
import subprocess
import sys
from typing import Any

import pytest


def run_program(query: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cidrplan.terraform"],
        input=json.dumps(query),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def ok(query: Any) -> dict[str, str]:
    proc = run_program(query)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert isinstance(result, dict)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in result.items()), result
    return result


def test_carve_query_gives_name_to_cidr() -> None:
    result = ok({"pools": "10.0.0.0/16", "requests": "a=/20,b=/24", "reserved": "", "strategy": "best-fit"})
    assert result == {"a": "10.0.0.0/20", "b": "10.0.16.0/24"}


def test_carve_query_matches_cidrsubnets_when_sequential() -> None:
    result = ok({"pools": "10.1.0.0/16", "requests": "a=/20, b=/20, c=/24, d=/20", "strategy": "sequential"})
    assert list(result.values()) == ["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"]


def test_carve_query_with_counts_reserved_and_pins() -> None:
    result = ok(
        {
            "pools": "10.0.0.0/16,10.1.0.0/16",
            "requests": "big=30000,small=100,db=/24@10.1.9.0/24",
            "reserved": "10.0.0.0/24, 10.1.0.0/24",
        }
    )
    assert result["db"] == "10.1.9.0/24"
    assert result["big"].endswith("/17") and result["small"].endswith("/25")
    assert list(result) == ["big", "small", "db"]


def test_plan_query_gives_flat_cluster_keys() -> None:
    spec = {
        "network": {"pools": ["10.0.0.0/8"], "allocations": [{"name": "dc", "cidr": "10.0.0.0/16"}]},
        "clusters": [{"name": "east", "nodes": 3}, {"name": "west", "nodes": 3}],
        "model": "flat",
    }
    result = ok({"spec": json.dumps(spec)})
    assert result["model"] == "flat"
    for cluster in ("east", "west"):
        for field in ("pod_cidr", "service_cidr", "node_subnet", "node_pod_mask", "non_masquerade_cidrs"):
            assert f"{cluster}.{field}" in result, sorted(result)
    assert result["east.pod_cidr"] != result["west.pod_cidr"]
    assert result["east.node_pod_mask"] == "24"


@pytest.mark.parametrize(
    ("query", "needle"),
    [
        ({"pools": "10.0.0.0/24", "requests": "a=/23"}, "space_exhausted"),
        ({"pools": "10.0.0.1/24", "requests": "a=/26"}, "host_bits_set"),
        ({"pools": "10.0.0.0/24", "requests": "a"}, "invalid_input"),
        ({"pools": "10.0.0.0/24"}, "invalid_input"),
        ({"pools": "10.0.0.0/24", "requests": "a=/26", "stratgy": "first-fit"}, "stratgy"),
        ({"spec": "{not json"}, "invalid_input"),
        ({"spec": json.dumps({"network": {"pools": ["10.0.0.0/8"]}, "clusters": [{"name": "a", "nodes": 0}]})}, "invalid_spec"),
        ({"pools": ["10.0.0.0/24"], "requests": "a=/26"}, "must be a string"),
        ("not an object", "JSON object"),
    ],
)
def test_errors_go_to_stderr_with_a_non_zero_exit(query: Any, needle: str) -> None:
    proc = run_program(query)
    assert proc.returncode != 0
    assert proc.stdout == ""
    assert needle in proc.stderr


def test_invalid_json_on_stdin() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "cidrplan.terraform"], input="{", capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode != 0 and "invalid_input" in proc.stderr


def _tf_blocks(repo_root: pathlib.Path) -> list[str]:
    text = (repo_root / "docs" / "terraform.md").read_text(encoding="utf-8")
    return re.findall(r"```(?:hcl|terraform)\n(.*?)```", text, flags=re.S)


def _console_examples(repo_root: pathlib.Path) -> list[tuple[str, str]]:
    """``$ echo '<query>' | python -m cidrplan.terraform`` lines and the output line after."""
    text = (repo_root / "docs" / "terraform.md").read_text(encoding="utf-8")
    lines = text.splitlines()
    pattern = re.compile(r"^\$ echo '(.*)' \| python -m cidrplan\.terraform$")
    examples = []
    for index, line in enumerate(lines):
        match = pattern.match(line)
        if match:
            examples.append((match.group(1), lines[index + 1]))
    return examples


def test_documented_exchanges_are_exact(repo_root: pathlib.Path) -> None:
    examples = _console_examples(repo_root)
    assert len(examples) >= 3
    for query, expected in examples:
        proc = run_program(json.loads(query))
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout) == json.loads(expected)
    blocks = _tf_blocks(repo_root)
    assert len(blocks) >= 2 and all('"cidrplan.terraform"' in block for block in blocks)


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed")
def test_documented_hcl_is_well_formed(repo_root: pathlib.Path, tmp_path: pathlib.Path) -> None:
    for index, block in enumerate(_tf_blocks(repo_root)):
        path = tmp_path / f"example{index}.tf"
        path.write_text(block, encoding="utf-8")
        proc = subprocess.run(["terraform", "fmt", "-check", "-diff", str(path)], capture_output=True, text=True, timeout=60, check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_plan_query_with_export_adds_content() -> None:
    spec = {"network": {"pools": ["10.0.0.0/8"]}, "clusters": [{"name": "east", "nodes": 3}]}
    result = ok({"spec": json.dumps(spec), "export": "kcm-flags"})
    assert f"--cluster-cidr={result['east.pod_cidr']}" in result["content"]


@pytest.mark.parametrize(
    "query",
    [
        {"pools": "10.0.0.0/24", "requests": "x=\u00b2"},  # isdigit() but not a number to int()
        {"pools": "10.0.0.0/24", "requests": "x=" + "9" * 5_000},  # int() refuses 4,300 digits
        {"pools": "10.0.0.0/24", "requests": "x" * 100_000},
        {"x" * 100_000: 3},
        {"pools": "10.0.0.0/24", "requests": "a=/26", "x" * 100_000: ""},
        {"spec": "{}", "x" * 100_000: ""},
    ],
    ids=["superscript", "5000 digits", "long request", "long key", "long unknown key", "long key beside spec"],
)
def test_hostile_queries_are_input_errors(query: dict[str, Any]) -> None:
    from cidrplan import CidrplanError
    from cidrplan.terraform import respond

    with pytest.raises(CidrplanError) as info:
        respond(query)
    assert info.value.code == "invalid_input"


@pytest.mark.parametrize(
    "query",
    [
        {"pools": "10.0.0.0/24", "requests": "x" * 100_000},
        {"x" * 100_000: 3},
        {"pools": "10.0.0.0/24", "requests": "a=/26", "x" * 100_000: ""},
        {"spec": "{}", "x" * 100_000: ""},
    ],
    ids=["long request", "long key", "long unknown key", "long key beside spec"],
)
def test_messages_quote_a_long_query_shortened(query: dict[str, Any]) -> None:
    from cidrplan import CidrplanError
    from cidrplan.terraform import respond

    with pytest.raises(CidrplanError) as info:
        respond(query)
    assert len(str(info.value)) < 300


def test_long_decimal_counts_reach_the_core_as_text() -> None:
    from cidrplan.terraform import respond

    assert respond({"pools": "::/0", "requests": "x=99999999999999999999"}) == {"x": "::/61"}
