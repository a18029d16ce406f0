//! An AWS VPC export, a NetBox export and a `kubectl get nodes` list become a plan request
//! whose plan places a new cluster around everything imported; the nodes alone do not
//! say the existing cluster's CIDR, so it is not kept (a warning says so) and what was
//! observed of it is avoided. Nodes with the kubeadm-config ConfigMap keep the cluster
//! with its real ranges and nothing invented. The first reads
//! `../shared/fixtures/inventory/` (skips loudly if absent).

use std::path::PathBuf;

use cidrplan::import::{import, merge};
use cidrplan::k8s::{plan, ClusterSpec, ModelChoice, PlanRequest};
use cidrplan::Error;
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
fn imported_network_places_a_new_cluster_around_what_the_nodes_show() {
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
    // The node's pod range is part of the cluster CIDR, not the cluster CIDR: the cluster is
    // not kept, and the import says what is unknown and how to know it.
    assert!(fragment.clusters.is_empty(), "{:?}", fragment.clusters);
    let [warning] = &fragment.warnings[..] else {
        panic!("{:?}", fragment.warnings)
    };
    assert_eq!(warning.cluster, "kubernetes");
    assert_eq!(warning.unknown, ["pod_cidr", "service_cidr"]);
    assert!(
        warning.message.contains("kubeadm-config"),
        "{}",
        warning.message
    );
    let observed: Vec<String> = fragment
        .network
        .allocations
        .iter()
        .filter(|a| a.labels.get("cluster").map(String::as_str) == Some("kubernetes"))
        .map(|a| a.cidr.to_string())
        .collect();
    assert_eq!(observed, ["10.244.0.0/24", "172.18.0.2/32"]);

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
    assert_eq!(request.clusters.len(), 1);
    assert_eq!(request.model, ModelChoice::Flat);

    let p = plan(&request).unwrap();
    let new = p.clusters.iter().find(|c| c.name == "new").unwrap();
    let imported: Vec<Prefix> = fragment
        .network
        .allocations
        .iter()
        .map(|a| a.cidr)
        .collect();
    assert!(imported.contains(&"10.244.0.0/24".parse().unwrap()));
    let placed = [new.pod_cidr, new.service_cidr, new.node_subnet];
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

/// A reviewer's kubeadm cluster: cluster CIDR 10.1.0.0/16, nodes holding 10.1.0.0/24 to
/// 10.1.2.0/24 of it, node IPs 10.0.0.10 to 10.0.0.12.
const NODES: &str = r#"{"apiVersion": "v1", "kind": "List", "items": [
  {"kind": "Node", "metadata": {"name": "n0"}, "spec": {"podCIDR": "10.1.0.0/24", "podCIDRs": ["10.1.0.0/24"]}, "status": {"addresses": [{"type": "InternalIP", "address": "10.0.0.10"}, {"type": "Hostname", "address": "n0"}], "capacity": {"pods": "110"}}},
  {"kind": "Node", "metadata": {"name": "n1"}, "spec": {"podCIDR": "10.1.1.0/24", "podCIDRs": ["10.1.1.0/24"]}, "status": {"addresses": [{"type": "InternalIP", "address": "10.0.0.11"}], "capacity": {"pods": "110"}}},
  {"kind": "Node", "metadata": {"name": "n2"}, "spec": {"podCIDR": "10.1.2.0/24", "podCIDRs": ["10.1.2.0/24"]}, "status": {"addresses": [{"type": "InternalIP", "address": "10.0.0.12"}], "capacity": {"pods": "110"}}}]}"#;

const KUBEADM: &str = r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "kubeadm-config", "namespace": "kube-system"},
  "data": {"ClusterConfiguration": "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nclusterName: kubernetes\nnetworking:\n  podSubnet: 10.1.0.0/16\n  serviceSubnet: 10.96.0.0/12\n"}}"#;

fn new_cluster_request() -> PlanRequest {
    serde_json::from_str(
        r#"{"network": {"pools": ["10.0.0.0/8"]},
            "clusters": [{"name": "new1", "nodes": 3, "max_nodes": 20, "max_pods_per_node": 30}]}"#,
    )
    .unwrap()
}

fn p(text: &str) -> Prefix {
    text.parse().unwrap()
}

#[test]
fn nodes_alone_leave_the_cluster_cidr_unknown_and_say_so() {
    let fragment = merge(&[import(None, NODES, "nodes.json").unwrap()]);
    assert!(fragment.clusters.is_empty(), "{:?}", fragment.clusters);
    let [warning] = &fragment.warnings[..] else {
        panic!("{:?}", fragment.warnings)
    };
    assert_eq!(warning.cluster, "kubernetes");
    assert_eq!(warning.unknown, ["pod_cidr", "service_cidr"]);
    for needle in [
        "pod ranges of its 3 nodes are only part of its cluster CIDR",
        "6 observed ranges are listed as allocations",
        "kubeadm-config",
        "existing: true",
    ] {
        assert!(
            warning.message.contains(needle),
            "{needle}: {}",
            warning.message
        );
    }
    // Every observed range is an allocation with its origin and its cluster.
    let observed: Vec<(String, &str)> = fragment
        .network
        .allocations
        .iter()
        .map(|a| (a.cidr.to_string(), a.origin.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        observed,
        [
            (
                "10.0.0.10/32".into(),
                "kubectl-nodes nodes.json items[0].status.addresses[0]"
            ),
            (
                "10.0.0.11/32".into(),
                "kubectl-nodes nodes.json items[1].status.addresses[0]"
            ),
            (
                "10.0.0.12/32".into(),
                "kubectl-nodes nodes.json items[2].status.addresses[0]"
            ),
            (
                "10.1.0.0/24".into(),
                "kubectl-nodes nodes.json items[0].spec.podCIDRs[0]"
            ),
            (
                "10.1.1.0/24".into(),
                "kubectl-nodes nodes.json items[1].spec.podCIDRs[0]"
            ),
            (
                "10.1.2.0/24".into(),
                "kubectl-nodes nodes.json items[2].spec.podCIDRs[0]"
            ),
        ]
    );
    assert!(fragment.network.allocations.iter().all(|a| a
        .labels
        .get("cluster")
        .map(String::as_str)
        == Some("kubernetes")));

    // The plan avoids everything observed; only the new cluster is planned, so nothing is
    // invented for the existing one.
    let mut request = new_cluster_request();
    fragment.clone().apply_to(&mut request);
    let plan = plan(&request).unwrap();
    assert_eq!(plan.clusters.len(), 1);
    let new = &plan.clusters[0];
    for range in [new.pod_cidr, new.service_cidr, new.node_subnet] {
        for a in &fragment.network.allocations {
            assert!(
                !range.overlaps(&a.cidr),
                "new1's {range} overlaps observed {}",
                a.cidr
            );
        }
    }
}

#[test]
fn nodes_and_kubeadm_config_keep_the_cluster_with_nothing_invented() {
    let fragment = merge(&[
        import(None, NODES, "nodes.json").unwrap(),
        import(None, KUBEADM, "kubeadm-config.json").unwrap(),
    ]);
    assert!(fragment.warnings.is_empty(), "{:?}", fragment.warnings);
    let [kept] = &fragment.clusters[..] else {
        panic!("{:?}", fragment.clusters)
    };
    assert!(kept.existing);
    assert_eq!((kept.name.as_str(), kept.nodes), ("kubernetes", 3));
    assert_eq!(kept.pod_cidr, Some(p("10.1.0.0/16")));
    assert_eq!(kept.service_cidr, Some(p("10.96.0.0/12")));
    // The smallest prefix holding the nodes' InternalIPs.
    assert_eq!(kept.node_subnet, Some(p("10.0.0.8/29")));
    // Every observed range is the cluster's: none is left as an allocation.
    assert!(
        fragment.network.allocations.is_empty(),
        "{:?}",
        fragment.network.allocations
    );

    let mut request = new_cluster_request();
    fragment.clone().apply_to(&mut request);
    let plan = plan(&request).unwrap();
    let existing = plan
        .clusters
        .iter()
        .find(|c| c.name == "kubernetes")
        .unwrap();
    assert_eq!(existing.pod_cidr, p("10.1.0.0/16"));
    assert_eq!(existing.service_cidr, p("10.96.0.0/12"));
    assert_eq!(existing.node_subnet, p("10.0.0.8/29"));
    for ip in ["10.0.0.10/32", "10.0.0.11/32", "10.0.0.12/32"] {
        assert!(existing.node_subnet.contains(&p(ip)), "{ip}");
    }
    assert!(existing.extra_pod_cidrs.is_empty() && existing.growth.is_empty());
    let new = plan.clusters.iter().find(|c| c.name == "new1").unwrap();
    for range in [new.pod_cidr, new.service_cidr, new.node_subnet] {
        for kept in [
            existing.pod_cidr,
            existing.service_cidr,
            existing.node_subnet,
        ] {
            assert!(!range.overlaps(&kept), "new1's {range} overlaps {kept}");
        }
    }
}

#[test]
fn an_existing_cluster_without_a_range_is_refused_not_invented() {
    // The kubeadm-config alone: pod and service ranges, no node IPs.
    let fragment = merge(&[import(None, KUBEADM, "kubeadm-config.json").unwrap()]);
    assert!(fragment.clusters.is_empty());
    assert_eq!(fragment.warnings[0].unknown, ["node_subnet"]);
    // A request that says a cluster exists but does not pin its service range.
    let mut request = new_cluster_request();
    request.clusters.insert(
        0,
        ClusterSpec {
            name: "running".into(),
            nodes: 3,
            pod_cidr: Some(p("10.1.0.0/16")),
            node_subnet: Some(p("10.0.0.8/29")),
            existing: true,
            ..ClusterSpec::default()
        },
    );
    match plan(&request) {
        Err(Error::InvalidSpec { field, message }) => {
            assert_eq!(field, "clusters[0].service_cidr");
            assert!(message.contains("exists (existing: true)"), "{message}");
            assert!(message.contains("kubeadm-config"), "{message}");
        }
        other => panic!("expected an invalid_spec error, got {other:?}"),
    }
    request.clusters[0].service_cidr = Some(p("10.96.0.0/12"));
    let plan = plan(&request).unwrap();
    assert_eq!(plan.clusters[0].service_cidr, p("10.96.0.0/12"));
}

#[test]
fn nodes_of_several_networks_give_no_node_subnet() {
    // A cover of 10.0.0.5 and 192.168.1.5 would be 0.0.0.0/0: never a node subnet.
    let nodes = r#"{"kind": "List", "items": [
      {"kind": "Node", "metadata": {"name": "a"}, "status": {"addresses": [{"type": "InternalIP", "address": "10.0.0.5"}]}},
      {"kind": "Node", "metadata": {"name": "b"}, "status": {"addresses": [{"type": "InternalIP", "address": "192.168.1.5"}]}}]}"#;
    let nodes = import(None, nodes, "nodes.json").unwrap();
    assert_eq!(nodes.clusters[0].node_subnet, None);
    assert!(
        nodes.skipped[0].reason.contains("span 0.0.0.0/0"),
        "{:?}",
        nodes.skipped
    );
    let fragment = merge(&[nodes, import(None, KUBEADM, "kubeadm-config.json").unwrap()]);
    assert!(fragment.clusters.is_empty());
    assert_eq!(fragment.warnings[0].unknown, ["node_subnet"]);
    let message = &fragment.warnings[0].message;
    assert!(message.contains("node_subnet pinned"), "{message}");
    assert!(!message.contains("import its"), "{message}");
}
