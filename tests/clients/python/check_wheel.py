"""The wheel from dist/, installed in a fresh venv of one CPython: what a user's first
minutes with it touch. Run by scripts/test-clients.sh once per CPython >= 3.10 present;
prints one line per check and a closing 'N passed, N failed' line."""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
from collections.abc import Callable

import cidrplan
import cidrplan.ansible

checks: list[tuple[str, Callable[[], None]]] = []


def check(func: Callable[[], None]) -> Callable[[], None]:
    checks.append((func.__name__, func))
    return func


@check
def installed_from_the_wheel_not_the_source_tree() -> None:
    assert "site-packages" in cidrplan.__file__, cidrplan.__file__
    native = [f for f in os.listdir(os.path.dirname(cidrplan.__file__)) if f.startswith("_native")]
    assert "_native.abi3.so" in native, native


@check
def licence_files_in_the_metadata() -> None:
    files = [str(f) for f in importlib.metadata.files("cidrplan") or []]
    for name in ("LICENSE-MIT", "LICENSE-APACHE"):
        assert any(f.endswith(f"licenses/{name}") for f in files), files
    assert importlib.metadata.metadata("cidrplan")["License-Expression"] == "MIT OR Apache-2.0"


@check
def set_math_and_carving() -> None:
    assert cidrplan.aggregate(["10.0.0.0/25", "10.0.0.128/25"]) == {"prefixes": ["10.0.0.0/24"]}
    result = cidrplan.carve("10.1.0.0/16", [("a", "/20"), ("b", "/20"), ("c", "/24"), ("d", "/20")], strategy="sequential")
    assert [a["cidr"] for a in result["allocations"]] == ["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"]


@check
def errors_are_value_errors_with_a_code() -> None:
    try:
        cidrplan.carve("10.0.0.0/24", {"a": "/23"})
    except cidrplan.SpaceExhaustedError as err:
        assert isinstance(err, ValueError) and err.code == "space_exhausted"
    else:
        raise AssertionError("no error")


@check
def planning_and_exports() -> None:
    spec = cidrplan.example_spec()
    plan = cidrplan.plan(spec)
    assert len(plan["clusters"]) == len(spec["clusters"])
    assert "--cluster-cidr=" in cidrplan.export(spec, "kcm-flags")


@check
def command_line_module() -> None:
    out = subprocess.run([sys.executable, "-m", "cidrplan", "plan", "--json"], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout)["model"]


@check
def terraform_external_program() -> None:
    query = {"pools": "10.1.0.0/16", "requests": "a=/20,b=/20,c=/24,d=/20", "strategy": "sequential"}
    out = subprocess.run(
        [sys.executable, "-m", "cidrplan.terraform"], input=json.dumps(query), capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == {"a": "10.1.0.0/20", "b": "10.1.16.0/20", "c": "10.1.32.0/24", "d": "10.1.48.0/20"}


@check
def ansible_filter_directory_with_its_docs() -> None:
    out = subprocess.run([sys.executable, "-m", "cidrplan.ansible"], capture_output=True, text=True, check=True)
    directory = out.stdout.strip()
    assert directory == cidrplan.ansible.FILTER_PLUGINS_DIR
    files = set(os.listdir(directory))
    assert "cidrplan_filters.py" in files and "cidrplan_carve.yml" in files, files


def main() -> int:
    passed = failed = 0
    version = ".".join(map(str, sys.version_info[:3]))
    for name, func in checks:
        try:
            func()
        except Exception as err:  # noqa: BLE001 - every failure is reported, then counted
            failed += 1
            print(f"FAIL  python {version}: {name}: {type(err).__name__}: {err}")
        else:
            passed += 1
            print(f"ok    python {version}: {name}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
