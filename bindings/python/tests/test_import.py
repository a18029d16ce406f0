"""import_allocations: the core's importers through Python (the same fragment as the CLI's
``cidrplan import --json``). Fixtures are read from ../shared (upstream data, not copied)."""

from __future__ import annotations

import pathlib

import pytest

import cidrplan

# bindings/python/tests/ -> the repository root -> ../shared beside it.
FIXTURES = pathlib.Path(__file__).resolve().parents[4] / "shared" / "fixtures" / "inventory"
needs_fixtures = pytest.mark.skipif(
    not FIXTURES.is_dir(),
    reason=f"*** {FIXTURES} is absent: inventory fixture tests skipped ***",
)


@needs_fixtures
def test_gke_ranges_make_a_kept_cluster() -> None:
    text = (FIXTURES / "gcp" / "gcloud-subnets-list.gke-secondary-ranges.json").read_text()
    out = cidrplan.import_allocations("auto", text)
    assert out["sources"][0]["format"] == "gcp-subnets"
    (cluster,) = out["clusters"]
    assert cluster["name"] == "my-first-cluster-1"
    assert (cluster["pod_cidr"], cluster["service_cidr"], cluster["node_subnet"]) == (
        "10.140.0.0/14",
        "10.144.0.0/20",
        "10.0.0.0/24",
    )


@needs_fixtures
def test_eks_duplicate_node_ip_is_an_overlap() -> None:
    text = (FIXTURES / "kubernetes" / "nodelist.eks.honeycomb-fixture.json").read_text()
    out = cidrplan.import_allocations("kubectl-nodes", text)
    assert [a["cidr"] for a in out["network"]["allocations"]] == ["10.9.150.105/32"]
    (overlap,) = out["overlaps"]
    assert overlap["relation"] == "equal" and overlap["refused_by_source"] is True


@needs_fixtures
def test_a_fragment_plans() -> None:
    text = (FIXTURES / "netbox" / "prefixes-list.pynetbox-fixture.netbox-v2.0.json").read_text()
    out = cidrplan.import_allocations("netbox-prefixes", text)
    spec = {
        "network": {"pools": ["10.0.0.0/8"], "allocations": out["network"]["allocations"]},
        "clusters": [{"name": "a", "nodes": 3}],
        "model": "flat",
    }
    result = cidrplan.plan(spec)
    # 10.0.0.0/16 is AKS's default service range: placement starts past it.
    assert result["clusters"][0]["pod_cidr"] == "10.1.4.0/22"


def test_errors_name_the_path_and_the_value() -> None:
    with pytest.raises(cidrplan.InputError) as err:
        cidrplan.import_allocations("aws-subnets", '{"Subnets": [{"CidrBlock": "10.0.0.1/24"}]}')
    assert err.value.code == "invalid_input"
    assert 'Subnets[0].CidrBlock: "10.0.0.1/24" has host bits set' in str(err.value)
    with pytest.raises(cidrplan.InputError, match="unknown format"):
        cidrplan.import_allocations("nope", "[]")


def test_netbox_csv() -> None:
    out = cidrplan.import_allocations(
        "auto", "Prefix,Status,VRF,Description\n10.0.0.0/8,Container,,\n10.1.0.0/16,Active,blue,lab\n"
    )
    assert out["network"]["pools"] == ["10.0.0.0/8"]
    (alloc,) = out["network"]["allocations"]
    assert alloc["name"] == "lab" and alloc["labels"] == {"status": "active", "vrf": "blue"}
