"""The TypedDicts of ``cidrplan.types`` say what the core's JSON Schemas say: the same keys,
and a key is required exactly where the schema requires it. A field added to a wire type in
the core reaches the schemas by derivation; this test then names the TypedDict to update."""

from __future__ import annotations

from typing import Any

import pytest

from cidrplan import schemas, types

# TypedDict -> (schema, definition inside it; None for the schema itself).
SHAPES: dict[str, tuple[str, str | None]] = {
    "Overlap": ("overlaps-output", "OverlapEntry"),
    "OverlapsResult": ("overlaps-output", None),
    "AggregateResult": ("aggregate-output", None),
    "ExcludeResult": ("exclude-output", None),
    "Allocation": ("carve-output", "WireAllocation"),
    "PoolFree": ("carve-output", "PoolFreeOutput"),
    "CarveResult": ("carve-output", None),
    "Reason": ("recommendation", "Reason"),
    "RankedModel": ("recommendation", "ModelScore"),
    "Recommendation": ("recommendation", None),
    "NodeMapping": ("plan", "NodeMapping"),
    "Datapath": ("plan", "Datapath"),
    "ClusterPlan": ("plan", "ClusterPlan"),
    "Growth": ("plan", "Growth"),
    "Hole": ("plan", "Hole"),
    "Reach": ("plan", "Reach"),
    "PlanWarning": ("plan", "Warning"),
    "RuleApplied": ("plan", "RuleApplied"),
    "Plan": ("plan", None),
    "PlanDiff": ("plan-diff", None),
    "Change": ("plan-diff", "Change"),
}


def _shape(schema: str, definition: str | None) -> dict[str, Any]:
    loaded = schemas.load(schema)
    if definition is None:
        return loaded
    shape: dict[str, Any] = loaded["$defs"][definition]
    return shape


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_typed_dict_matches_schema(name: str) -> None:
    typed = getattr(types, name)
    shape = _shape(*SHAPES[name])
    properties = set(shape["properties"])
    required = set(shape.get("required", []))
    assert set(typed.__annotations__) == properties, f"{name}: keys differ from {SHAPES[name]}"
    assert set(typed.__required_keys__) == required, f"{name}: required keys differ from {SHAPES[name]}"


def test_every_result_typed_dict_is_checked() -> None:
    checked = set(SHAPES)
    typed_dicts = {
        n
        for n in types.__all__
        if isinstance(getattr(types, n), type) and hasattr(getattr(types, n), "__required_keys__")
    }
    assert typed_dicts - {"PinnedSize"} == checked


def test_schemas_ship_with_the_package() -> None:
    assert "plan-request" in schemas.names()
    assert "plan" in schemas.names()
    request = schemas.load("plan-request")
    assert request["required"] == ["network"]
    assert request["$defs"]["ClusterSpec"]["additionalProperties"] is False
    with pytest.raises(KeyError):
        schemas.load("no-such-schema")
