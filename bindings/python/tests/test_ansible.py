"""The Ansible filters, called as Ansible calls them: load the plugin file from the
``filter_plugins`` directory, instantiate ``FilterModule`` and call ``filters()[name]``
with the piped value first."""

from __future__ import annotations

import importlib.util
import os
import pathlib
import re
from collections.abc import Callable
from typing import Any

import pytest

import cidrplan
from cidrplan.ansible import FILTER_PLUGINS_DIR


def load_filters() -> dict[str, Callable[..., Any]]:
    path = os.path.join(FILTER_PLUGINS_DIR, "cidrplan_filters.py")
    spec = importlib.util.spec_from_file_location("ansible_collections_test.cidrplan_filters", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    filters: dict[str, Callable[..., Any]] = module.FilterModule().filters()
    return filters


FILTERS = load_filters()


def test_every_filter_is_exposed() -> None:
    assert sorted(FILTERS) == [
        "cidrplan_aggregate",
        "cidrplan_carve",
        "cidrplan_carve_result",
        "cidrplan_exclude",
        "cidrplan_export",
        "cidrplan_overlaps",
        "cidrplan_plan",
        "cidrplan_recommend",
    ]


def test_carve_filter() -> None:
    # {{ '10.0.0.0/16' | cidrplan_carve({'east': '/18', 'west': '/18'}, ['10.0.0.0/24']) }}
    got = FILTERS["cidrplan_carve"]("10.0.0.0/16", {"east": "/18", "west": "/18"}, ["10.0.0.0/24"])
    assert got == {"east": "10.0.64.0/18", "west": "10.0.128.0/18"}
    full = FILTERS["cidrplan_carve_result"](["10.0.0.0/16"], [["a", 300]], strategy="first-fit")
    assert full["allocations"] == [{"name": "a", "cidr": "10.0.0.0/23", "addresses": "512"}]


def test_set_filters() -> None:
    assert FILTERS["cidrplan_aggregate"](["10.0.0.0/24", "10.0.1.0/24", "10.0.3.0/24"]) == ["10.0.0.0/23", "10.0.3.0/24"]
    assert FILTERS["cidrplan_exclude"]("10.0.0.0/23", ["10.0.1.0/24"]) == ["10.0.0.0/24"]
    pairs = FILTERS["cidrplan_overlaps"]({"dc": "10.0.0.0/16", "vpn": "10.0.9.0/24"})
    assert pairs == [{"a": "dc", "a_cidr": "10.0.0.0/16", "b": "vpn", "b_cidr": "10.0.9.0/24", "relation": "contains"}]


def test_plan_filters() -> None:
    spec = cidrplan.example_spec()
    result = FILTERS["cidrplan_plan"](spec)
    assert [c["name"] for c in result["clusters"]] == [c["name"] for c in spec["clusters"]]
    ranking = FILTERS["cidrplan_recommend"](spec)["ranking"]
    assert ranking[0]["model"] == result["model"]


def test_errors_without_ansible_are_cidrplan_errors() -> None:
    with pytest.raises(cidrplan.SpaceExhaustedError) as info:
        FILTERS["cidrplan_carve"]("10.0.0.0/24", {"a": "/23"})
    assert info.value.code == "space_exhausted"


def test_documented_playbook_renders_with_jinja(repo_root: pathlib.Path) -> None:
    """Evaluates the filter expressions of docs/ansible.md's playbook with Jinja2 and the
    plugin's filters, as Ansible's templating does (native types for set_fact)."""
    jinja2 = pytest.importorskip("jinja2")
    nativetypes = pytest.importorskip("jinja2.nativetypes")
    yaml = pytest.importorskip("yaml")
    text = (repo_root / "docs" / "ansible.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
    (play,) = yaml.safe_load(block)
    env = nativetypes.NativeEnvironment(undefined=jinja2.StrictUndefined)
    env.filters.update(FILTERS)
    text_env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    text_env.filters.update(FILTERS)
    variables: dict[str, Any] = dict(play["vars"])
    rendered = 0
    for task in play["tasks"]:
        if "ansible.builtin.set_fact" in task:
            for name, template in task["ansible.builtin.set_fact"].items():
                variables[name] = env.from_string(template).render(**variables)
                rendered += 1
        elif "ansible.builtin.assert" in task:
            that = task["ansible.builtin.assert"]["that"]
            for condition in that if isinstance(that, list) else [that]:
                assert env.compile_expression(condition)(**variables), condition
                rendered += 1
        else:
            module_args = task.get("ansible.builtin.debug") or task.get("ansible.builtin.copy")
            items = env.from_string(task["loop"]).render(**variables)
            for item in items:
                out = " ".join(
                    text_env.from_string(value).render(item=item, **variables)
                    for value in module_args.values()
                )
                assert item["pod_cidr"] in out and item["service_cidr"] in out, out
                assert "None" not in out, out
                rendered += 1
    assert variables["subnets"] == {"nodes": "10.20.16.0/20", "pods": "10.20.64.0/18", "bastion": "10.20.1.0/28"}
    assert [c["name"] for c in variables["k8s"]["clusters"]] == ["east", "west"]
    assert rendered >= 6


def test_export_filter() -> None:
    text = FILTERS["cidrplan_export"](cidrplan.example_spec(), "ip-masq-agent")
    assert "nonMasqueradeCIDRs" in text


class _FakeAnsibleFilterError(Exception):
    """Stands for ``ansible.errors.AnsibleFilterError`` where Ansible is not installed."""


@pytest.mark.parametrize(("version", "prefix"), [("2.18.19", "cidrplan_carve: "), ("2.21.5", "")])
def test_errors_under_ansible_are_one_unchained_message(
    monkeypatch: pytest.MonkeyPatch, version: str, prefix: str
) -> None:
    # ansible-core 2.19+ appends a chained cause's message to the task's error and names
    # the failing filter itself: the error must carry the message once, with no cause.
    import sys
    import types

    errors = types.ModuleType("ansible.errors")
    errors.AnsibleFilterError = _FakeAnsibleFilterError  # type: ignore[attr-defined]
    release = types.ModuleType("ansible.release")
    release.__version__ = version  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "ansible", types.ModuleType("ansible"))
    monkeypatch.setitem(sys.modules, "ansible.errors", errors)
    monkeypatch.setitem(sys.modules, "ansible.release", release)
    with pytest.raises(_FakeAnsibleFilterError) as info:
        FILTERS["cidrplan_carve"]("10.0.0.0/24", {"a": "/23"})
    assert str(info.value) == (
        f'{prefix}no room for "a" (/23): the largest free block is 10.0.0.0/24 [space_exhausted]'
    )
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_every_filter_has_its_ansible_doc_file() -> None:
    # ansible-doc -t filter NAME reads NAME.yml beside the plugin file.
    yaml = pytest.importorskip("yaml")
    for name in FILTERS:
        path = os.path.join(FILTER_PLUGINS_DIR, f"{name}.yml")
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        assert doc["DOCUMENTATION"]["name"] == name
        assert doc["DOCUMENTATION"]["short_description"]
        assert doc["EXAMPLES"].count(name) >= 1
        positional = [p.strip() for p in doc["DOCUMENTATION"]["positional"].split(",")]
        assert positional == list(doc["DOCUMENTATION"]["options"]), name
        assert "_value" in doc["RETURN"]
