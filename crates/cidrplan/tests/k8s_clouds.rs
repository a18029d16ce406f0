//! Cloud profiles (issue 16, `docs/clouds.md`): scenarios per cloud, each asserting the
//! ranges, the rules the plan names and the reasons, not only the model.

use cidrplan::k8s::{
    plan, AllocationSpec, Cloud, ClusterSpec, Cni, ModelChoice, Network, NetworkModel, Plan,
    PlanRequest, Requirements,
};
use cidrplan::{Error, Prefix};

fn p(text: &str) -> Prefix {
    text.parse().expect("valid prefix")
}

fn ps(list: &[&str]) -> Vec<Prefix> {
    list.iter().map(|t| p(t)).collect()
}

fn cluster(name: &str, nodes: u32, max_nodes: u32, pods: u32) -> ClusterSpec {
    ClusterSpec {
        name: name.into(),
        nodes,
        max_nodes: Some(max_nodes),
        max_pods_per_node: Some(pods),
        ..ClusterSpec::default()
    }
}

/// The rules a plan names, as (code, range, clusters).
fn rules(plan: &Plan) -> Vec<(&'static str, String, String)> {
    plan.rules
        .iter()
        .map(|r| (r.code, r.range.to_string(), r.clusters.join(",")))
        .collect()
}

fn has_rule(plan: &Plan, code: &str, range: &str) -> bool {
    plan.rules
        .iter()
        .any(|r| r.code == code && r.range.to_string() == range)
}

/// EKS with an exhausted VPC: the VPC's free half holds node subnets only, pods come from
/// 100.64.0.0/10 (custom networking), and service ranges come from private space outside
/// the VPC, never from 100.64.0.0/10.
fn eks() -> PlanRequest {
    PlanRequest {
        network: Network {
            pools: ps(&["10.20.0.0/16"]),
            node_pools: ps(&["10.20.0.0/16"]),
            pod_pools: ps(&["100.64.0.0/10"]),
            service_pools: ps(&["172.16.0.0/12"]),
            allocations: vec![AllocationSpec {
                name: "vpc-used".into(),
                cidr: p("10.20.0.0/17"),
                reachable: true,
                origin: None,
                labels: Default::default(),
            }],
            cloud: Cloud::Aws,
            cni: Cni::CustomNetworking,
            ..Network::default()
        },
        clusters: vec![
            ClusterSpec {
                services: Some(100),
                ..cluster("prod", 100, 200, 110)
            },
            cluster("stage", 20, 50, 110),
        ],
        model: ModelChoice::Flat,
        ..PlanRequest::default()
    }
}

#[test]
fn eks_pods_in_rfc6598_services_in_private_space_outside_the_vpc() {
    let planned = plan(&eks()).expect("plans");
    let ranges: Vec<(String, String, String)> = planned
        .clusters
        .iter()
        .map(|c| {
            (
                c.pod_cidr.to_string(),
                c.service_cidr.to_string(),
                c.node_subnet.to_string(),
            )
        })
        .collect();
    // 100.64.0.0/16 is OVN-Kubernetes' join subnet: skipped while clear /16s are left.
    assert_eq!(
        ranges,
        [
            (
                "100.65.0.0/16".into(),
                "172.16.0.0/24".into(),
                "10.20.128.0/24".into()
            ),
            (
                "100.66.0.0/18".into(),
                "172.16.16.0/20".into(),
                "10.20.129.0/26".into()
            ),
        ]
    );
    assert_eq!(
        rules(&planned),
        [
            (
                "eks_custom_networking_subnets",
                "100.65.0.0/16".into(),
                "prod".into()
            ),
            (
                "eks_custom_networking_subnets",
                "100.66.0.0/18".into(),
                "stage".into()
            ),
            (
                "eks_service_cidr_outside_vpc",
                "172.16.0.0/24".into(),
                "prod".into()
            ),
            (
                "eks_service_cidr_outside_vpc",
                "172.16.16.0/20".into(),
                "stage".into()
            ),
            (
                "eks_service_cidr_private",
                "172.16.0.0/24".into(),
                "prod".into()
            ),
            (
                "eks_service_cidr_private",
                "172.16.16.0/20".into(),
                "stage".into()
            ),
            // 100 services fit a /25; EKS takes /24 at the smallest.
            (
                "eks_service_cidr_size",
                "172.16.0.0/24".into(),
                "prod".into()
            ),
        ]
    );
    // Pods in the pod pool are routed in the VPC: flat keeps their source address toward it.
    let prod = &planned.clusters[0];
    assert!(prod.non_masquerade_cidrs.contains(&p("100.64.0.0/10")));
    assert!(planned
        .reachability
        .iter()
        .any(|r| r.from == "pod:prod" && r.to == "pod:stage" && r.how.as_str() == "direct"));
    // Headroom counts pod ranges in the pod pool, not in the exhausted VPC.
    assert!(planned.headroom.more_clusters > 0, "{:?}", planned.headroom);
}

/// The issue's failure: island with `allow_non_rfc1918` planned a 100.65.0.0/20 service
/// range for EKS. Now the services come from private space, and with none outside the VPC
/// the plan fails naming the rules.
#[test]
fn eks_never_takes_a_service_range_in_rfc6598() {
    let mut request = eks();
    // Island shares one service range; custom networking is flat only (its pod ranges are
    // VPC subnets), so the pods here come from per-node ranges of Cilium or Calico.
    request.network.cni = Cni::Default;
    request.model = ModelChoice::Island;
    request.requirements = Requirements {
        allow_non_rfc1918: true,
        ..Requirements::default()
    };
    let planned = plan(&request).expect("plans");
    // One shared service range, the /20 stage needs; prod's /24 is its start.
    let services: Vec<Prefix> = planned.clusters.iter().map(|c| c.service_cidr).collect();
    assert_eq!(services, [p("172.16.0.0/24"), p("172.16.0.0/20")]);
    assert!(has_rule(
        &planned,
        "eks_service_cidr_private",
        "172.16.0.0/20"
    ));
    request.network.service_pools.clear(); // services from the VPC's pool: all of it is VPC
    let error = plan(&request).expect_err("no service space outside the VPC");
    let text = error.to_string();
    assert!(matches!(error, Error::Infeasible { .. }), "{text}");
    assert!(
        text.contains("eks_service_cidr_private") && text.contains("eks_service_cidr_outside_vpc"),
        "{text}"
    );
}

#[test]
fn eks_refuses_a_pinned_service_range_it_would_refuse() {
    let mut request = eks();
    request.clusters[0].service_cidr = Some(p("100.65.0.0/20"));
    let text = plan(&request).expect_err("refused").to_string();
    assert!(
        text.contains("clusters[0].service_cidr") && text.contains("eks_service_cidr_private"),
        "{text}"
    );
    request.clusters[0].service_cidr = Some(p("10.20.200.0/24"));
    let text = plan(&request).expect_err("refused").to_string();
    assert!(text.contains("eks_service_cidr_outside_vpc"), "{text}");
    request.clusters[0].service_cidr = Some(p("172.16.0.0/26"));
    let text = plan(&request).expect_err("refused").to_string();
    assert!(text.contains("eks_service_cidr_size"), "{text}");
}

/// AKS overlay: nodes from the VNet, one overlay pod range every cluster reuses, /24 per
/// node whatever the pods, surge nodes counted; flat is ruled out naming the rule.
#[test]
fn aks_overlay_reuses_one_pod_range_outside_the_vnet() {
    let request = PlanRequest {
        network: Network {
            pools: ps(&["10.10.0.0/16"]),
            node_pools: ps(&["10.10.0.0/16"]),
            pod_pools: ps(&["192.168.0.0/16"]),
            service_pools: ps(&["172.16.0.0/12"]),
            cloud: Cloud::Azure,
            cni: Cni::Overlay,
            ..Network::default()
        },
        clusters: vec![cluster("east", 50, 127, 30), cluster("west", 50, 100, 110)],
        ..PlanRequest::default()
    };
    let planned = plan(&request).expect("plans");
    assert_ne!(planned.model, NetworkModel::Flat);
    for c in &planned.clusters {
        // 127 nodes + 1 surge = 128 /24s: a /17.
        assert_eq!(c.pod_cidr, p("192.168.0.0/17"), "{}", c.name);
        assert_eq!(c.node_pod_mask, 24, "{}", c.name);
        assert_eq!(c.service_cidr, p("172.16.0.0/20"), "{}", c.name);
        assert!(p("10.10.0.0/16").contains(&c.node_subnet), "{}", c.name);
    }
    assert_eq!(
        rules(&planned),
        [
            (
                "aks_forbidden_ranges",
                "172.30.0.0/16".into(),
                String::new()
            ),
            (
                "aks_forbidden_ranges",
                "172.31.0.0/16".into(),
                String::new()
            ),
            (
                "aks_overlay_node_24",
                "192.168.0.0/17".into(),
                "east,west".into()
            ),
            (
                "aks_pods_outside_vnet",
                "192.168.0.0/17".into(),
                "east,west".into()
            ),
            (
                "aks_service_cidr_outside_vnet",
                "172.16.0.0/20".into(),
                "east,west".into()
            ),
            (
                "surge_in_pod_range",
                "192.168.0.0/17".into(),
                "east,west".into()
            ),
        ]
    );
    let flat = planned
        .ranking
        .iter()
        .find(|m| m.model == NetworkModel::Flat)
        .expect("ranked");
    assert!(!flat.feasible);
    let mut forced = request.clone();
    forced.model = ModelChoice::Flat;
    let text = plan(&forced).expect_err("flat is ruled out").to_string();
    assert!(text.contains("aks_pods_outside_vnet"), "{text}");
    // Overlay nodes run at most 250 pods.
    let mut crowded = request;
    crowded.clusters[0].max_pods_per_node = Some(251);
    let text = plan(&crowded).expect_err("refused").to_string();
    assert!(text.contains("clusters[0].max_pods_per_node"), "{text}");
}

/// AKS flat Azure CNI with surge: pods take node-subnet addresses, sized
/// (nodes + surge) x (max pods + 1) + 5 reserved; no pod range is cut; only flat fits.
#[test]
fn aks_azure_cni_sizes_the_node_subnet_for_nodes_surge_and_pods() {
    let request = PlanRequest {
        network: Network {
            pools: ps(&["10.10.0.0/16"]),
            service_pools: ps(&["172.16.0.0/12"]),
            cloud: Cloud::Azure,
            cni: Cni::AzureCni,
            ..Network::default()
        },
        clusters: vec![
            cluster("app", 50, 50, 30),
            ClusterSpec {
                surge_nodes: Some(3),
                ..cluster("batch", 10, 20, 50)
            },
        ],
        ..PlanRequest::default()
    };
    let planned = plan(&request).expect("plans");
    assert_eq!(planned.model, NetworkModel::Flat);
    let app = &planned.clusters[0];
    // (50 + 1) x 31 = 1,581 + 5 reserved: a /21 (Azure's documented example).
    assert_eq!(app.node_subnet, p("10.10.0.0/21"));
    assert!(app.pods_in_node_subnet);
    assert_eq!((app.pod_cidr, app.node_pod_mask), (app.node_subnet, 32));
    let batch = &planned.clusters[1];
    // (20 + 3) x 51 = 1,173 + 5: a /21.
    assert_eq!(batch.node_subnet, p("10.10.8.0/21"));
    assert_eq!(
        rules(&planned),
        [
            (
                "aks_forbidden_ranges",
                "172.30.0.0/16".into(),
                String::new()
            ),
            (
                "aks_forbidden_ranges",
                "172.31.0.0/16".into(),
                String::new()
            ),
            (
                "aks_service_cidr_outside_vnet",
                "172.16.0.0/20".into(),
                "app".into()
            ),
            (
                "aks_service_cidr_outside_vnet",
                "172.16.16.0/20".into(),
                "batch".into()
            ),
            ("pods_in_node_subnet", "10.10.0.0/21".into(), "app".into()),
            ("pods_in_node_subnet", "10.10.8.0/21".into(), "batch".into()),
        ]
    );
    assert!(
        planned.rules[4].message.contains("1,581"),
        "{:?}",
        planned.rules[4]
    );
    // (2048 - 5) / 31 = 65 nodes, less the surge node.
    assert_eq!(planned.headroom.clusters[0].node_capacity, 64);
    assert!(
        planned.warnings.iter().all(|w| w.code != "range_overlap"),
        "{:?}",
        planned.warnings
    );
    for m in planned
        .ranking
        .iter()
        .filter(|m| m.model != NetworkModel::Flat)
    {
        assert!(!m.feasible, "{}", m.model);
    }
    let mut pinned = request.clone();
    pinned.clusters[0].pod_cidr = Some(p("10.10.64.0/18"));
    let text = plan(&pinned).expect_err("no pod range to pin").to_string();
    assert!(
        text.contains("clusters[0].pod_cidr") && text.contains("pods_in_node_subnet"),
        "{text}"
    );
    let mut island = request;
    island.model = ModelChoice::Island;
    let text = plan(&island).expect_err("island is ruled out").to_string();
    assert!(text.contains("pods_in_node_subnet"), "{text}");
}

/// AKS never uses its forbidden ranges, even when they are the lowest free space.
#[test]
fn aks_skips_forbidden_ranges_in_the_pools() {
    let request = PlanRequest {
        network: Network {
            pools: ps(&["172.30.0.0/15", "172.28.0.0/15"]),
            // AKS service ranges lie outside the VNet (aks_service_cidr_outside_vnet).
            service_pools: ps(&["10.100.0.0/16"]),
            cloud: Cloud::Azure,
            ..Network::default()
        },
        clusters: vec![cluster("a", 10, 10, 30)],
        model: ModelChoice::Flat,
        ..PlanRequest::default()
    };
    let planned = plan(&request).expect("plans");
    let forbidden = [p("172.30.0.0/16"), p("172.31.0.0/16")];
    for c in &planned.clusters {
        for range in [c.pod_cidr, c.service_cidr, c.node_subnet] {
            assert!(
                !forbidden.iter().any(|f| f.overlaps(&range)),
                "{range} is forbidden"
            );
        }
    }
    assert!(has_rule(&planned, "aks_forbidden_ranges", "172.30.0.0/16"));
    let mut only_forbidden = request;
    only_forbidden.network.pools = ps(&["172.30.0.0/15"]);
    let text = plan(&only_forbidden).expect_err("nothing left").to_string();
    assert!(text.contains("aks_forbidden_ranges"), "{text}");
}

/// GKE VPC-native: nodes in the primary range, pods in a secondary range, services in a
/// range that avoids GKE's reused default 34.118.224.0/20; 8 pods per node, GKE's fewest,
/// take a /28 each.
#[test]
fn gke_secondary_ranges_avoid_the_default_service_range() {
    let request = PlanRequest {
        network: Network {
            pools: ps(&["10.0.0.0/20"]),
            pod_pools: ps(&["10.4.0.0/14"]),
            service_pools: ps(&["34.118.224.0/19"]),
            cloud: Cloud::Gcp,
            cni: Cni::VpcNative,
            ..Network::default()
        },
        clusters: vec![cluster("web", 30, 60, 8), cluster("jobs", 10, 10, 64)],
        model: ModelChoice::Flat,
        ..PlanRequest::default()
    };
    // GKE runs 8 to 256 pods per node ("Configure maximum Pods per node").
    let mut too_few = request.clone();
    too_few.clusters[0].max_pods_per_node = Some(4);
    let text = plan(&too_few).expect_err("refused").to_string();
    assert!(
        text.contains("clusters[0].max_pods_per_node") && text.contains("8 to 256"),
        "{text}"
    );
    let planned = plan(&request).expect("plans");
    let web = &planned.clusters[0];
    assert_eq!((web.pod_cidr, web.node_pod_mask), (p("10.4.0.0/22"), 28));
    assert_eq!(web.node_subnet, p("10.0.0.0/26"));
    // 34.118.224.0/20 is GKE's default: both service ranges take the other /20.
    assert_eq!(web.service_cidr, p("34.118.240.0/20"));
    let jobs = &planned.clusters[1];
    assert_eq!((jobs.pod_cidr, jobs.node_pod_mask), (p("10.4.8.0/21"), 25));
    // The second /20 had to take the default: the warning says why.
    assert_eq!(jobs.service_cidr, p("34.118.224.0/20"));
    assert!(planned
        .warnings
        .iter()
        .any(|w| w.code == "vendor_default_unavoidable" && w.message.contains("GKE")));
    assert_eq!(
        rules(&planned),
        [
            (
                "gke_default_service_range",
                "34.118.224.0/20".into(),
                String::new()
            ),
            (
                "gke_unique_secondary_ranges",
                "10.4.0.0/22".into(),
                "web".into()
            ),
            (
                "gke_unique_secondary_ranges",
                "10.4.8.0/21".into(),
                "jobs".into()
            ),
        ]
    );
    // Secondary ranges are unique in the VPC: no model that reuses a pod range fits.
    for model in [ModelChoice::Island, ModelChoice::Archipelago] {
        let text = plan(&PlanRequest {
            model,
            ..request.clone()
        })
        .expect_err("a reused secondary range")
        .to_string();
        assert!(text.contains("gke_unique_secondary_ranges"), "{text}");
    }
}

/// On-prem, fragmented: the generic cloud applies no cloud rule, surge nodes still get
/// per-node ranges, and the reason names fragmentation, not total space.
#[test]
fn on_prem_fragmented_names_fragmentation_and_counts_surge() {
    let allocation = |i: u32| AllocationSpec {
        name: format!("dc-{i}"),
        cidr: Prefix::new(
            cidrplan::Family::V4,
            0x0a00_0000 + (u128::from(i) << 16),
            24,
        )
        .expect("aligned"),
        reachable: true,
        origin: None,
        labels: Default::default(),
    };
    let request = PlanRequest {
        network: Network {
            pools: ps(&["10.0.0.0/13"]),
            // A /24 in every /16 but the last two: 6 of the 8 /16s are broken.
            allocations: (0..6).map(allocation).collect(),
            ..Network::default()
        },
        clusters: (0..3)
            .map(|i| ClusterSpec {
                surge_nodes: Some(2),
                ..cluster(&format!("c{i}"), 100, 254, 110)
            })
            .collect(),
        model: ModelChoice::Flat,
        ..PlanRequest::default()
    };
    let text = plan(&request).expect_err("only 2 aligned /16s").to_string();
    assert!(text.contains("fragmentation"), "{text}");
    assert!(text.contains("aligned /16s needed"), "{text}");
    // 254 nodes + 2 surge = 256 /24s: a /16 each. Without surge 253 + 2 still fit one /16.
    let mut fewer = request.clone();
    fewer.clusters.truncate(2);
    let planned = plan(&fewer).expect("two fit");
    assert!(planned.rules.iter().all(|r| r.code == "surge_in_pod_range"));
    assert_eq!(planned.clusters[0].pod_cidr, p("10.6.0.0/16"));
    assert_eq!(planned.headroom.clusters[0].node_capacity, 254);
    // 255 nodes + 2 surge need 257 /24s: a /15, two aligned /16s, and only two are free.
    let mut bigger = fewer;
    bigger.clusters[0].max_nodes = Some(255);
    let text = plan(&bigger)
        .expect_err("the surge tips it over")
        .to_string();
    assert!(text.contains("3 aligned /16s needed, 2 free"), "{text}");
}

#[test]
fn a_cni_of_another_cloud_is_refused_naming_the_field() {
    let mut request = eks();
    request.network.cni = Cni::Overlay;
    let text = plan(&request).expect_err("refused").to_string();
    assert!(
        text.contains("network.cni") && text.contains("overlay") && text.contains("azure"),
        "{text}"
    );
}

#[test]
fn kind_pools_read_from_json_with_their_snake_case_names() {
    let request: PlanRequest = serde_json::from_str(
        r#"{"network": {"pools": ["10.20.0.0/16"], "cloud": "aws", "cni": "vpc_cni",
            "node_pools": ["10.20.0.0/16"], "service_pools": ["172.16.0.0/12"]},
            "clusters": [{"name": "a", "nodes": 10, "max_pods_per_node": 29}]}"#,
    )
    .expect("parses");
    let planned = plan(&request).expect("plans");
    // (10 + 0) x 30 + 5 = 305: a /23.
    assert_eq!(planned.clusters[0].node_subnet, p("10.20.0.0/23"));
    assert!(has_rule(&planned, "pods_in_node_subnet", "10.20.0.0/23"));
    let err = serde_json::from_str::<PlanRequest>(
        r#"{"network": {"pools": ["10.0.0.0/8"], "pod_pool": ["100.64.0.0/10"]}}"#,
    )
    .expect_err("typo refused")
    .to_string();
    assert!(err.contains("pod_pool"), "{err}");
}

/// A re-plan keeps a pods-in-node-subnet cluster as it was: its node subnet is still its
/// pod range (no overlap warning, no per-node mask to keep); outgrowing the subnet is named.
#[test]
fn a_replan_keeps_pods_in_the_node_subnet() {
    use cidrplan::k8s::{plan_with, PlanOptions, PreviousPlan};
    let request = PlanRequest {
        network: Network {
            pools: ps(&["10.10.0.0/16"]),
            service_pools: ps(&["172.16.0.0/12"]),
            cloud: Cloud::Azure,
            cni: Cni::AzureCni,
            ..Network::default()
        },
        clusters: vec![cluster("app", 50, 50, 30), cluster("batch", 10, 20, 50)],
        ..PlanRequest::default()
    };
    let first = plan(&request).expect("plans");
    let options = PlanOptions {
        previous: Some(PreviousPlan::from(&first)),
        release: vec![],
    };
    let mut grown = request.clone();
    grown.clusters[0].max_nodes = Some(60); // 61 x 31 + 5 = 1,896: still a /21
    let second = plan_with(&grown, &options).expect("re-plans");
    assert_eq!(
        second.clusters[0].node_subnet,
        first.clusters[0].node_subnet
    );
    assert!(second.clusters[0].pods_in_node_subnet);
    let codes: Vec<&str> = second.warnings.iter().map(|w| w.code).collect();
    assert!(
        !codes.contains(&"range_overlap") && !codes.contains(&"node_pod_mask_kept"),
        "{codes:?}"
    );
    grown.clusters[0].max_nodes = Some(70); // 71 x 31 + 5 = 2,206: more than a /21
    let third = plan_with(&grown, &options).expect("re-plans");
    assert!(
        third
            .warnings
            .iter()
            .any(|w| w.code == "node_subnet_too_small"),
        "{:?}",
        third.warnings
    );
}

/// A cluster whose pod range lives in its own pod pool grows there, in place when the
/// aligned block around it is free.
#[test]
fn a_pod_range_in_a_pod_pool_grows_inside_it() {
    use cidrplan::k8s::{plan_with, PlanOptions, PreviousPlan};
    let first = plan(&eks()).expect("plans");
    let options = PlanOptions {
        previous: Some(PreviousPlan::from(&first)),
        release: vec![],
    };
    let mut grown = eks();
    grown.clusters[0].max_nodes = Some(400); // 400 /24s: a /15
    let second = plan_with(&grown, &options).expect("re-plans");
    let prod = &second.clusters[0];
    assert_eq!(prod.pod_cidr, p("100.64.0.0/15"), "{:?}", prod.growth);
    assert_eq!(prod.service_cidr, first.clusters[0].service_cidr);
    assert_eq!(prod.node_subnet, first.clusters[0].node_subnet);
}

/// kube-controller-manager allocates no per-node ranges where pods take node-subnet
/// addresses: the flags say so instead of a /32 per node.
#[test]
fn kcm_flags_turn_node_ipam_off_for_pods_in_the_node_subnet() {
    use cidrplan::export::{render, ExportFormat};
    let request: PlanRequest = serde_json::from_str(
        r#"{"network": {"pools": ["10.10.0.0/16"], "service_pools": ["172.16.0.0/12"], "cloud": "azure", "cni": "azure_cni"},
            "clusters": [{"name": "a", "nodes": 10, "max_pods_per_node": 30}]}"#,
    )
    .expect("parses");
    let text = render(&plan(&request).expect("plans"), ExportFormat::KcmFlags).expect("renders");
    assert!(text.contains("--allocate-node-cidrs=false"), "{text}");
    assert!(
        !text.contains("--cluster-cidr") && !text.contains("node-cidr-mask-size"),
        "{text}"
    );
}

/// A kind's pools of one family leave the other family's ranges in `pools`: a dual
/// cluster with `pod_pools: [100.64.0.0/10]` takes its IPv6 pod range from `pools`.
#[test]
fn kind_pools_of_one_family_leave_the_other_in_pools() {
    let request: PlanRequest = serde_json::from_str(
        r#"{"network": {"pools": ["10.0.0.0/16", "fd00::/48"], "pod_pools": ["100.64.0.0/10"]},
            "clusters": [{"name": "a", "nodes": 10, "family": "dual"}], "model": "flat"}"#,
    )
    .expect("parses");
    let planned = plan(&request).expect("plans");
    let a = &planned.clusters[0];
    assert!(p("100.64.0.0/10").contains(&a.pod_cidr), "{}", a.pod_cidr);
    let v6 = a.pod_cidr_v6.expect("dual");
    assert!(p("fd00::/48").contains(&v6), "{v6}");
    assert!(p("10.0.0.0/16").contains(&a.node_subnet));
    assert!(p("10.0.0.0/16").contains(&a.service_cidr));
}

/// Without node_pools the VPC is the pools that can be VPC CIDR blocks: an EKS service
/// range never lands in a /16 pool that is the VPC, and a 10.0.0.0/8 pool (the
/// organisation's space) is not read as the VPC.
#[test]
fn eks_services_stay_out_of_a_vpc_given_only_as_pools() {
    let mut request = PlanRequest {
        network: Network {
            pools: ps(&["10.0.0.0/16"]),
            cloud: Cloud::Aws,
            cni: Cni::VpcCni,
            ..Network::default()
        },
        clusters: vec![cluster("a", 10, 10, 29)],
        model: ModelChoice::Flat,
        ..PlanRequest::default()
    };
    let text = plan(&request)
        .expect_err("no space outside the VPC")
        .to_string();
    assert!(text.contains("eks_service_cidr_outside_vpc"), "{text}");
    request.clusters[0].service_cidr = Some(p("10.0.0.0/20"));
    let text = plan(&request).expect_err("a pin in the VPC").to_string();
    assert!(text.contains("eks_service_cidr_outside_vpc"), "{text}");
    request.clusters[0].service_cidr = None;
    request.network.service_pools = ps(&["172.16.0.0/12"]);
    let planned = plan(&request).expect("plans");
    assert!(p("172.16.0.0/12").contains(&planned.clusters[0].service_cidr));
    // The organisation's space is not a VPC: services come from it, off the node subnets.
    request.network.pools = ps(&["10.0.0.0/8"]);
    request.network.service_pools = Vec::new();
    let planned = plan(&request).expect("plans");
    let c = &planned.clusters[0];
    assert!(!c.service_cidr.overlaps(&c.node_subnet));
}

/// AKS overlay: a pinned pod range inside the VNet (node_pools, else pools) is refused.
#[test]
fn aks_overlay_refuses_a_pinned_pod_range_in_the_vnet() {
    let mut request = PlanRequest {
        network: Network {
            pools: ps(&["10.0.0.0/16"]),
            pod_pools: ps(&["192.168.0.0/16"]),
            service_pools: ps(&["172.16.0.0/12"]),
            cloud: Cloud::Azure,
            cni: Cni::Overlay,
            ..Network::default()
        },
        clusters: vec![cluster("a", 10, 10, 30)],
        model: ModelChoice::Island,
        ..PlanRequest::default()
    };
    assert!(plan(&request).is_ok());
    request.clusters[0].pod_cidr = Some(p("10.0.128.0/20"));
    let text = plan(&request).expect_err("a pin in the VNet").to_string();
    assert!(text.contains("aks_pods_outside_vnet"), "{text}");
}

/// AKS: a service range never lies in the VNet (node_pools, else pools), placed or pinned.
#[test]
fn aks_service_ranges_stay_out_of_the_vnet() {
    let mut request = PlanRequest {
        network: Network {
            pools: ps(&["10.0.0.0/16"]),
            cloud: Cloud::Azure,
            cni: Cni::AzureCni,
            ..Network::default()
        },
        clusters: vec![cluster("a", 10, 10, 30)],
        model: ModelChoice::Flat,
        ..PlanRequest::default()
    };
    let text = plan(&request)
        .expect_err("no space outside the VNet")
        .to_string();
    assert!(text.contains("aks_service_cidr_outside_vnet"), "{text}");
    request.network.service_pools = ps(&["172.16.0.0/12"]);
    let planned = plan(&request).expect("plans");
    let service = planned.clusters[0].service_cidr;
    assert!(p("172.16.0.0/12").contains(&service));
    assert!(has_rule(
        &planned,
        "aks_service_cidr_outside_vnet",
        &service.to_string()
    ));
    request.clusters[0].service_cidr = Some(p("10.0.240.0/20"));
    let text = plan(&request).expect_err("a pin in the VNet").to_string();
    assert!(text.contains("aks_service_cidr_outside_vnet"), "{text}");
}

/// AWS subnets are /16 to /28: a 1-node cluster's node subnet is a /28 (the rule named),
/// and a node subnet that would need more than a /16 is refused naming the rule.
#[test]
fn aws_node_subnets_are_slash_16_to_slash_28() {
    let mut request = PlanRequest {
        network: Network {
            pools: ps(&["10.0.0.0/8"]),
            node_pools: ps(&["10.0.0.0/16"]),
            service_pools: ps(&["172.16.0.0/12"]),
            cloud: Cloud::Aws,
            ..Network::default()
        },
        clusters: vec![cluster("tiny", 1, 1, 30)],
        model: ModelChoice::Flat,
        ..PlanRequest::default()
    };
    let planned = plan(&request).expect("plans");
    let subnet = planned.clusters[0].node_subnet;
    assert_eq!(subnet.len(), 28);
    assert!(has_rule(&planned, "aws_subnet_size", &subnet.to_string()));
    request.network.cni = Cni::VpcCni;
    request.clusters = vec![cluster("big", 1000, 1000, 110)];
    let text = plan(&request).expect_err("more than a /16").to_string();
    assert!(text.contains("aws_subnet_size"), "{text}");
}
