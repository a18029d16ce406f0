//! An AWS VPC export, a NetBox export and a `kubectl get nodes` list become a plan request
//! whose plan keeps the existing cluster where it is and places a new one around
//! everything imported. Reads `../shared/fixtures/inventory/` (skips loudly if absent).

use std::path::PathBuf;

use cidrplan::import::{import, merge};
use cidrplan::k8s::{plan, ClusterSpec, ModelChoice, PlanRequest};
use cidrplan::Prefix;

fn fixture(file: &str) -> Option<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/inventory")
        .join(file);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(_) => {
            eprintln!(
                "\n*** SKIPPED: {} is absent; the import scenario did not run ***\n",
                path.display()
            );
            None
        }
    }
}

#[test]
fn imported_network_keeps_the_cluster_and_places_a_new_one_around_it() {
    let files = [
        "aws/describe-vpcs.placebo-recorded.secondary-cidr.json",
        "netbox/prefixes-list.pynetbox-fixture.netbox-v2.0.json",
        "kubernetes/node.kind-control-plane.kubescape-fixture.json",
    ];
    let mut inventories = Vec::new();
    for f in files {
        let Some(text) = fixture(f) else { return };
        inventories.push(import(None, &text, f).unwrap());
    }
    let fragment = merge(&inventories);
    let mut request: PlanRequest = serde_json::from_str(
        r#"{"network": {"pools": ["10.0.0.0/8"]}, "clusters": [{"name": "new", "nodes": 3}], "model": "flat"}"#,
    )
    .unwrap();
    fragment.clone().apply_to(&mut request);
    assert_eq!(
        request.network.pools.len(),
        1,
        "the VPC's 10.0.0.0/15 is inside 10.0.0.0/8"
    );
    assert_eq!(request.clusters.len(), 2);
    let kept: &ClusterSpec = &request.clusters[0];
    assert_eq!(kept.name, "kubernetes");
    assert_eq!(kept.pod_cidr, Some("10.244.0.0/24".parse().unwrap()));
    assert_eq!(request.model, ModelChoice::Flat);

    let p = plan(&request).unwrap();
    let existing = p.clusters.iter().find(|c| c.name == "kubernetes").unwrap();
    assert_eq!(existing.pod_cidr.to_string(), "10.244.0.0/24");
    let new = p.clusters.iter().find(|c| c.name == "new").unwrap();
    let imported: Vec<Prefix> = fragment
        .network
        .allocations
        .iter()
        .map(|a| a.cidr)
        .chain(Some("10.244.0.0/24".parse().unwrap()))
        .collect();
    let placed: Vec<Prefix> = [
        Some(new.pod_cidr),
        new.service_cidr.into(),
        new.node_subnet.into(),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert_eq!(placed.len(), 3);
    for range in &placed {
        for used in &imported {
            assert!(
                !range.overlaps(used),
                "new cluster's {range} overlaps imported {used}"
            );
        }
    }
    assert!(
        p.warnings.iter().all(|w| w.code != "collision"),
        "{:?}",
        p.warnings
    );
}
