//! Every cloud rule holds on every plan for that cloud (issue 16, `docs/clouds.md`):
//! random requests per cloud and CNI, each rule checked on the plan's ranges by its own
//! brute-force reading of the rule (the ranges and numbers are written out here, not taken
//! from the planner).

use cidrplan::k8s::{
    plan, Cloud, ClusterPlan, ClusterSpec, Cni, ModelChoice, Network, NetworkModel, Plan,
    PlanRequest, Requirements, RULE_CODES,
};
use cidrplan::{Error, Prefix};
use proptest::prelude::*;

fn p(text: &str) -> Prefix {
    text.parse().expect("valid prefix")
}

fn ps(list: &[&str]) -> Vec<Prefix> {
    list.iter().map(|t| p(t)).collect()
}

const CLOUDS: [(Cloud, &[Cni]); 4] = [
    (Cloud::Generic, &[Cni::Default]),
    (
        Cloud::Aws,
        &[Cni::Default, Cni::VpcCni, Cni::CustomNetworking],
    ),
    (
        Cloud::Azure,
        &[Cni::Default, Cni::AzureCni, Cni::Overlay, Cni::Kubenet],
    ),
    (Cloud::Gcp, &[Cni::Default, Cni::VpcNative]),
];

/// Pools chosen to touch every rule: RFC 1918 blocks, AKS's forbidden 172.30-31/16, GKE's
/// default 34.118.224.0/20, RFC 6598.
const POOLS: [&[&str]; 6] = [
    &["10.20.0.0/16"],
    &["172.28.0.0/14"],
    &["10.0.0.0/12", "172.16.0.0/12"],
    &["192.168.0.0/16"],
    &["172.30.0.0/15", "10.1.0.0/16"],
    &["34.118.224.0/19", "10.2.0.0/16"],
];
const KIND_POOLS: [&[&str]; 5] = [
    &[],
    &["100.64.0.0/10"],
    &["172.16.0.0/12"],
    &["34.118.224.0/19"],
    &["172.30.0.0/16", "192.168.0.0/16"],
];

fn request() -> impl Strategy<Value = PlanRequest> {
    (
        (0usize..4, 0usize..4, 0usize..POOLS.len(), any::<bool>()),
        (0usize..KIND_POOLS.len(), 0usize..KIND_POOLS.len()),
        prop::collection::vec((1u32..120, 0u32..80, 0usize..6, 0usize..3, 0usize..4), 1..4),
        (0usize..6, any::<bool>()),
    )
        .prop_map(
            |((cloud, cni, pools, vpc), (pod_pools, service_pools), clusters, (model, rfc6598))| {
                let (cloud, cnis) = CLOUDS[cloud];
                let cni = cnis[cni % cnis.len()];
                let pools = ps(POOLS[pools]);
                let clusters = clusters
                    .into_iter()
                    .enumerate()
                    .map(|(i, (nodes, grow, pods, services, surge))| ClusterSpec {
                        name: format!("c{i}"),
                        nodes,
                        max_nodes: Some(nodes + grow),
                        max_pods_per_node: Some([1, 4, 8, 30, 110, 250][pods]),
                        services: Some([100, 1024, 4096][services]),
                        surge_nodes: [None, Some(0), Some(1), Some(3)][surge],
                        ..ClusterSpec::default()
                    })
                    .collect();
                let model = [
                    ModelChoice::Auto,
                    ModelChoice::Flat,
                    ModelChoice::Island,
                    ModelChoice::Isolated,
                    ModelChoice::Mapped,
                    ModelChoice::Archipelago,
                ][model];
                PlanRequest {
                    network: Network {
                        node_pools: if vpc { pools.clone() } else { Vec::new() },
                        pools,
                        pod_pools: ps(KIND_POOLS[pod_pools]),
                        service_pools: ps(KIND_POOLS[service_pools]),
                        cloud,
                        cni,
                        ..Network::default()
                    },
                    clusters,
                    model,
                    requirements: Requirements {
                        allow_non_rfc1918: rfc6598,
                        ..Requirements::default()
                    },
                    ..PlanRequest::default()
                }
            },
        )
}

/// Every range the cluster holds.
fn ranges(c: &ClusterPlan) -> Vec<Prefix> {
    let mut out = vec![c.pod_cidr, c.service_cidr, c.node_subnet];
    out.extend(c.external_pod_cidr);
    out.extend(c.extra_pod_cidrs.iter().copied());
    out.extend(c.growth_reserve.iter().copied());
    out
}

fn addresses(prefix: &Prefix) -> u64 {
    1u64 << (32 - u32::from(prefix.len()))
}

/// Checks each rule of the request's cloud and CNI on `plan`; `Err` names the one broken.
fn check(req: &PlanRequest, plan: &Plan) -> Result<(), String> {
    let network = &req.network;
    let rule_codes: Vec<&str> = plan.rules.iter().map(|r| r.code).collect();
    for code in &rule_codes {
        if !RULE_CODES.contains(code) {
            return Err(format!("unknown rule code {code}"));
        }
    }
    let surge_default = u32::from(network.cloud == Cloud::Azure);
    let reserved = match network.cloud {
        Cloud::Generic => 3,
        Cloud::Gcp => 4,
        Cloud::Aws | Cloud::Azure => 5,
    };
    let kind_pools = |own: &Vec<Prefix>| {
        if own.is_empty() {
            network.pools.clone()
        } else {
            own.clone()
        }
    };
    // The VPC or VNet, read from the request by its own rule (not the planner's code): the
    // node pools, else the pools; on AWS only pools that can be VPC CIDR blocks (/16-/28).
    let vpc: Vec<Prefix> = if !network.node_pools.is_empty() {
        network.node_pools.clone()
    } else if network.cloud == Cloud::Aws {
        network
            .pools
            .iter()
            .copied()
            .filter(|p| p.family() == cidrplan::Family::V4 && (16..=28).contains(&p.len()))
            .collect()
    } else {
        network.pools.clone()
    };
    for (c, spec) in plan.clusters.iter().zip(&req.clusters) {
        let name = &c.name;
        let max_nodes = u64::from(spec.max_nodes.unwrap_or(spec.nodes));
        let surge = u64::from(spec.surge_nodes.unwrap_or(surge_default));
        let pods = u64::from(spec.max_pods_per_node.unwrap_or(110));
        // Node subnets come from the node pools (no pins in these requests).
        if !kind_pools(&network.node_pools)
            .iter()
            .any(|pool| pool.contains(&c.node_subnet))
        {
            return Err(format!(
                "{name}: node subnet {} outside its pools",
                c.node_subnet
            ));
        }
        if network.cloud == Cloud::Aws {
            let s = c.service_cidr;
            let private = ps(&["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]);
            if !private.iter().any(|b| b.contains(&s)) {
                return Err(format!("{name}: EKS service range {s} not in RFC 1918"));
            }
            if !(12..=24).contains(&s.len()) {
                return Err(format!("{name}: EKS service range {s} not /24../12"));
            }
            if vpc.iter().any(|v| v.overlaps(&s)) {
                return Err(format!("{name}: EKS service range {s} in the VPC"));
            }
            if plan.clusters.iter().any(|o| o.node_subnet.overlaps(&s)) {
                return Err(format!("{name}: EKS service range {s} on a node subnet"));
            }
            if !plan
                .rules
                .iter()
                .any(|r| r.code == "eks_service_cidr_private" && r.range == s)
            {
                return Err(format!(
                    "{name}: eks_service_cidr_private not named for {s}"
                ));
            }
        }
        if network.cloud == Cloud::Aws
            && c.node_subnet.family() == cidrplan::Family::V4
            && !(16..=28).contains(&c.node_subnet.len())
        {
            return Err(format!("{name}: AWS subnet {} not /16../28", c.node_subnet));
        }
        if network.cloud == Cloud::Azure && vpc.iter().any(|v| v.overlaps(&c.service_cidr)) {
            return Err(format!(
                "{name}: AKS service range {} in the VNet",
                c.service_cidr
            ));
        }
        if network.cloud == Cloud::Azure {
            let forbidden = ps(&[
                "169.254.0.0/16",
                "172.30.0.0/16",
                "172.31.0.0/16",
                "192.0.2.0/24",
            ]);
            for r in ranges(c) {
                if forbidden.iter().any(|f| f.overlaps(&r)) {
                    return Err(format!("{name}: {r} overlaps an AKS forbidden range"));
                }
            }
        }
        if matches!(network.cni, Cni::Overlay | Cni::Kubenet) {
            if c.node_pod_mask != 24 {
                return Err(format!("{name}: overlay per-node /{}", c.node_pod_mask));
            }
            if vpc.iter().any(|v| v.overlaps(&c.pod_cidr)) {
                return Err(format!(
                    "{name}: overlay pod range {} in the VNet",
                    c.pod_cidr
                ));
            }
            if matches!(plan.model, NetworkModel::Flat | NetworkModel::Mapped) {
                return Err(format!("overlay planned {}", plan.model));
            }
        }
        // EKS custom networking: pod ranges are VPC subnets, unique, routed as they are.
        if network.cni == Cni::CustomNetworking && plan.model != NetworkModel::Flat {
            return Err(format!("custom networking planned {}", plan.model));
        }
        if matches!(network.cni, Cni::VpcCni | Cni::AzureCni) {
            if plan.model != NetworkModel::Flat {
                return Err(format!("pods in node subnets planned {}", plan.model));
            }
            if !c.pods_in_node_subnet || c.pod_cidr != c.node_subnet {
                return Err(format!("{name}: pods not in the node subnet"));
            }
            let needed = (max_nodes + surge) * (pods + 1) + reserved;
            if addresses(&c.node_subnet) < needed {
                return Err(format!(
                    "{name}: node subnet {} holds fewer than {needed}",
                    c.node_subnet
                ));
            }
        } else {
            // Per-node ranges for every node and surge node.
            let per_node = c
                .node_pod_mask
                .checked_sub(c.pod_cidr.len())
                .map_or(0, |d| 1u64 << d);
            if per_node < max_nodes + surge {
                return Err(format!(
                    "{name}: {} holds {per_node} per-node ranges for {max_nodes} + {surge}",
                    c.pod_cidr
                ));
            }
            if addresses(&c.node_subnet) < max_nodes + surge + reserved {
                return Err(format!("{name}: node subnet {} too small", c.node_subnet));
            }
            if c.node_pod_mask > 28 {
                return Err(format!("{name}: per-node /{} below /28", c.node_pod_mask));
            }
            if plan.model == NetworkModel::Flat
                && !kind_pools(&network.pod_pools)
                    .iter()
                    .any(|pool| pool.contains(&c.pod_cidr))
            {
                return Err(format!(
                    "{name}: flat pod range {} outside its pools",
                    c.pod_cidr
                ));
            }
        }
        if plan.model == NetworkModel::Flat
            && !kind_pools(&network.service_pools)
                .iter()
                .any(|pool| pool.contains(&c.service_cidr))
        {
            return Err(format!(
                "{name}: flat service range {} outside its pools",
                c.service_cidr
            ));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn every_cloud_rule_holds_on_every_plan(req in request()) {
        match plan(&req) {
            Ok(planned) => {
                if let Err(broken) = check(&req, &planned) {
                    prop_assert!(false, "{broken}\nrequest: {req:?}");
                }
            }
            // A request the rules make impossible is refused with a reason, never a panic.
            Err(Error::Infeasible { .. } | Error::InvalidSpec { .. }) => {}
            Err(other) => prop_assert!(false, "unexpected error {other}"),
        }
    }
}
