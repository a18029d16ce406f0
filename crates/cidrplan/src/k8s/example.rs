//! The talk's network as a ready-made request: what `cidrplan plan` shows without a file.

use alloc::string::String;
use alloc::vec;

use super::model::ModelChoice;
use super::request::{
    AllocationSpec, ClusterFamily, ClusterSpec, Footprint, Integration, Layout, Network,
    PlanRequest, Requirements,
};
use crate::{Family, Prefix};

/// The example of Tim Hockin's talk: network 10.0.0.0/8, a host "other" at 10.128.1.1 that
/// pods must reach, nodes at 10.240.0.x, and two clusters of two nodes.
///
/// Each cluster may grow to 250 nodes of 110 pods, so it needs 250 /24s: a /16, as in the
/// talk. The requirements (programmable network, high integration, Kubernetes a large part
/// of the footprint; IP space judged from the free space) make `auto` choose flat, which
/// would give 10.0.0.0/16 and 10.1.0.0/16, as in the talk, but 10.0.0.0/16 is AKS's default
/// service range, which placement avoids while space allows: flat gives 10.1.0.0/16 and
/// 10.2.0.0/16, island gives both clusters 10.1.0.0/16.
///
/// ```
/// use cidrplan::k8s::{example, plan, ModelChoice};
/// let flat = plan(&example())?;
/// assert_eq!(flat.model.as_str(), "flat");
/// assert_eq!(flat.clusters[0].pod_cidr.to_string(), "10.1.0.0/16");
/// assert_eq!(flat.clusters[1].pod_cidr.to_string(), "10.2.0.0/16");
///
/// let island = plan(&cidrplan::k8s::PlanRequest { model: ModelChoice::Island, ..example() })?;
/// assert!(island.clusters.iter().all(|c| c.pod_cidr.to_string() == "10.1.0.0/16"));
/// # Ok::<(), cidrplan::Error>(())
/// ```
pub fn example() -> PlanRequest {
    let v4 = |a: u8, b: u8, c: u8, d: u8, len: u8| {
        let first = u128::from(u32::from_be_bytes([a, b, c, d]));
        Prefix::from_parts(Family::V4, first, len)
    };
    let cluster = |name: &str, node_subnet: Prefix| ClusterSpec {
        name: String::from(name),
        nodes: 2,
        max_nodes: Some(250),
        max_pods_per_node: Some(110),
        services: Some(4096),
        group: None,
        family: ClusterFamily::Ipv4,
        surge_nodes: None,
        pod_cidr: None,
        service_cidr: None,
        node_subnet: Some(node_subnet),
        pod_cidr_v6: None,
        service_cidr_v6: None,
        growth_reserve: None,
        existing: false,
    };
    PlanRequest {
        network: Network {
            pools: vec![v4(10, 0, 0, 0, 8)],
            allocations: vec![AllocationSpec {
                name: String::from("other"),
                cidr: v4(10, 128, 1, 1, 32),
                reachable: true,
                origin: None,
                labels: Default::default(),
            }],
            ..Network::default()
        },
        clusters: vec![
            cluster("cluster-1", v4(10, 240, 0, 0, 24)),
            cluster("cluster-2", v4(10, 240, 1, 0, 24)),
        ],
        requirements: Requirements {
            network_programmable: Some(true),
            integration: Some(Integration::High),
            kubernetes_footprint: Some(Footprint::Large),
            ..Requirements::default()
        },
        model: ModelChoice::Auto,
        growth_reserve: None,
        layout: Layout::ByKind,
    }
}
