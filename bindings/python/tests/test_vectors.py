"""The shared cases of tests/vectors/*.json, run through the Python API.

Each file is named after an operation and holds a list of ``{"name", "input", "expected"}``
or ``{"name", "input", "error": {"code", "message"?}}``; ``input`` is the operation's wire
input. In ``errors.json`` each case names its operation in ``"op"`` (the rule of
crates/cidrplan/tests/vectors.rs). A case
runs through the Pythonic function when the input's keys are its parameters (the way users
call it) and through the wire call otherwise; operations this build does not expose yet are
skipped.
"""

from __future__ import annotations

import inspect
import json
import pathlib
from typing import Any

import pytest

import cidrplan
from cidrplan import _native, _wire

VECTORS_DIR = pathlib.Path(__file__).resolve().parents[3] / "tests" / "vectors"

# Operations whose wire input is one request object rather than keyword arguments.
SPEC_OPERATIONS = {"plan", "recommend", "sizing"}


def _cases() -> list[Any]:
    params = []
    for path in sorted(VECTORS_DIR.glob("*.json")):
        for index, case in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            op = case.get("op", path.stem)
            name = case.get("name", f"case {index}")
            params.append(pytest.param(op, case, id=f"{op}:{name}"))
    return params


def _run(op: str, wire_input: Any) -> Any:
    if op == "replan":
        # A re-plan is `plan(spec, previous=..., release=...)` in Python.
        return cidrplan.plan(
            wire_input["spec"],
            previous=wire_input.get("previous"),
            release=wire_input.get("release", []),
        )
    native = getattr(_native, op, None)
    func = getattr(cidrplan, op, None)
    if native is None or func is None:
        pytest.skip(f"operation {op!r} is not in this build")
    if op in SPEC_OPERATIONS:
        return func(wire_input)
    if isinstance(wire_input, dict):
        try:
            inspect.signature(func).bind(**wire_input)
        except TypeError:
            pass
        else:
            return func(**wire_input)
    return _wire.call(native, wire_input)


def _matches(expected: Any, actual: Any, subset: bool) -> bool:
    """Equality, or with ``"match": "subset"`` the rule of crates/cidrplan/tests/k8s_vectors.rs:
    every key of an expected object is in the output with a matching value (extra keys are
    ignored), lists have the same length and match by position, anything else is equal."""
    if not subset:
        return bool(expected == actual)
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            key in actual and _matches(value, actual[key], True) for key, value in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(_matches(e, a, True) for e, a in zip(expected, actual))
        )
    return bool(expected == actual)


def test_vectors_exist() -> None:
    assert VECTORS_DIR.is_dir(), f"missing {VECTORS_DIR}"


@pytest.mark.parametrize(("op", "case"), _cases())
def test_vector(op: str, case: dict[str, Any]) -> None:
    if "error" in case:
        with pytest.raises(cidrplan.CidrplanError) as info:
            _run(op, case["input"])
        assert info.value.code == case["error"]["code"], str(info.value)
        assert str(info.value), "an error message names the offending input"
        if "message" in case["error"]:
            assert str(info.value) == case["error"]["message"]
        if "message_contains" in case["error"]:
            assert case["error"]["message_contains"] in str(info.value)
    else:
        actual = _run(op, case["input"])
        rule = case.get("match", "exact")
        assert rule in ("exact", "subset"), f"unknown match rule {rule!r}"
        assert _matches(case["expected"], actual, rule == "subset"), (
            f"expected {json.dumps(case['expected'])}\n     got {json.dumps(actual)}"
        )
        json.dumps(actual)  # results are plain JSON values


def test_subset_rule() -> None:
    got = {"a": 1, "b": [{"x": 1, "y": 2}], "c": "extra"}
    assert _matches({"b": [{"x": 1}]}, got, True)
    assert not _matches({"b": []}, got, True)
    assert not _matches({"d": 1}, got, True)
    assert not _matches({"a": 2}, got, True)
    assert not _matches({"b": [{"x": 1}]}, got, False)
