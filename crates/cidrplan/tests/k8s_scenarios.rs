//! Scenarios that read like the talk: given a situation, the recommendation names the
//! model the talk would, for the talk's reasons, and the plans draw the talk's pictures.

use cidrplan::k8s::{
    example, plan, recommend, AllocationSpec, ClusterSpec, Exposure, Footprint, How, Integration,
    IpSpace, ModelChoice, ModelScore, Network, NetworkModel, PlanRequest, Recommendation,
    Requirements, Source,
};
use cidrplan::Prefix;

fn p(text: &str) -> Prefix {
    text.parse().expect("valid prefix")
}

/// A /8 where three datacenters already hold seven eighths: 2,097,152 addresses free.
fn crowded_network() -> Network {
    let allocation = |name: &str, cidr: &str| AllocationSpec {
        name: name.into(),
        cidr: p(cidr),
        reachable: true,
        origin: None,
        labels: Default::default(),
    };
    Network {
        pools: vec![p("10.0.0.0/8")],
        allocations: vec![
            allocation("dc-east", "10.0.0.0/9"),
            allocation("dc-west", "10.128.0.0/10"),
            allocation("vpn", "10.192.0.0/11"),
        ],
        ..Network::default()
    }
}

fn clusters(count: usize, max_nodes: u32, groups: &[&str]) -> Vec<ClusterSpec> {
    (0..count)
        .map(|i| ClusterSpec {
            name: format!("c{}", i + 1),
            nodes: max_nodes / 2,
            max_nodes: Some(max_nodes),
            group: groups.get(i).map(|g| g.to_string()),
            ..ClusterSpec::default()
        })
        .collect()
}

fn standing(rec: &Recommendation, model: NetworkModel) -> &ModelScore {
    rec.ranking
        .iter()
        .find(|m| m.model == model)
        .expect("every model is ranked")
}

/// The effect and source of the reason `model` got for `criterion`.
fn reason(rec: &Recommendation, model: NetworkModel, criterion: &str) -> (i32, Source) {
    let score = standing(rec, model);
    let r = score
        .reasons
        .iter()
        .find(|r| r.criterion == criterion)
        .unwrap_or_else(|| panic!("{model} has no {criterion} reason: {:#?}", score.reasons));
    (r.effect, r.source)
}

fn order(rec: &Recommendation) -> Vec<&'static str> {
    rec.ranking.iter().map(|m| m.model.as_str()).collect()
}

#[test]
fn scarce_space_unprogrammable_network_some_integration_ranks_island_first() {
    let request = PlanRequest {
        network: crowded_network(),
        clusters: clusters(4, 200, &[]),
        requirements: Requirements {
            ip_space: Some(IpSpace::Scarce),
            network_programmable: Some(false),
            integration: Some(Integration::Some),
            ..Requirements::default()
        },
        model: ModelChoice::Auto,
        growth_reserve: None,
        layout: Default::default(),
    };
    let rec = recommend(&request).expect("recommends");
    assert_eq!(
        rec.recommended,
        Some(NetworkModel::Island),
        "{:?}",
        order(&rec)
    );
    assert_eq!(order(&rec)[0], "island");
    // Island: the three good-when items of the talk that hold here.
    let island = NetworkModel::Island;
    assert_eq!(reason(&rec, island, "integration"), (2, Source::Talk));
    assert_eq!(reason(&rec, island, "ip_space"), (2, Source::Talk));
    assert_eq!(
        reason(&rec, island, "network_programmable"),
        (2, Source::Talk)
    );
    // Flat: two bad-when items.
    assert_eq!(
        reason(&rec, NetworkModel::Flat, "ip_space"),
        (-3, Source::Talk)
    );
    assert_eq!(
        reason(&rec, NetworkModel::Flat, "network_programmable"),
        (-3, Source::Talk)
    );
    // Isolated: "any integration need" is its bad-when.
    assert_eq!(
        reason(&rec, NetworkModel::Isolated, "integration"),
        (-3, Source::Talk)
    );
    // The plan auto-picks island: one shared pod range, reached through gateways.
    let planned = plan(&request).expect("plans");
    assert_eq!(planned.model, NetworkModel::Island);
    assert!(planned
        .clusters
        .iter()
        .all(|c| c.pod_cidr == planned.clusters[0].pod_cidr));
    assert!(planned
        .clusters
        .iter()
        .all(|c| c.egress == How::Snat && c.ingress == How::Gateway));
}

#[test]
fn plentiful_programmable_high_integration_large_footprint_ranks_flat_first() {
    let request = PlanRequest {
        network: Network {
            pools: vec![p("10.0.0.0/8")],
            ..Network::default()
        },
        clusters: clusters(4, 1000, &[]),
        requirements: Requirements {
            ip_space: Some(IpSpace::Plentiful),
            network_programmable: Some(true),
            integration: Some(Integration::High),
            kubernetes_footprint: Some(Footprint::Large),
            ..Requirements::default()
        },
        model: ModelChoice::Auto,
        growth_reserve: None,
        layout: Default::default(),
    };
    let rec = recommend(&request).expect("recommends");
    assert_eq!(order(&rec)[0], "flat");
    let flat = NetworkModel::Flat;
    for criterion in [
        "ip_space",
        "network_programmable",
        "integration",
        "kubernetes_footprint",
    ] {
        assert_eq!(
            reason(&rec, flat, criterion),
            (2, Source::Talk),
            "{criterion}"
        );
    }
    assert_eq!(standing(&rec, flat).score, 8);
    // Island reaches pods only through gateways: a poor fit for high integration, and
    // 1,000-node clusters are the talk's "large number of nodes".
    assert_eq!(
        reason(&rec, NetworkModel::Island, "integration"),
        (-2, Source::Derived)
    );
    assert_eq!(
        reason(&rec, NetworkModel::Island, "node_count"),
        (-3, Source::Measured)
    );
    let planned = plan(&request).expect("plans");
    let pods: Vec<String> = planned
        .clusters
        .iter()
        .map(|c| c.pod_cidr.to_string())
        .collect();
    assert_eq!(
        pods,
        // 10.0.0.0/14 holds AKS's default service range 10.0.0.0/16: avoided.
        ["10.4.0.0/14", "10.8.0.0/14", "10.12.0.0/14", "10.16.0.0/14"]
    );
    assert!(planned.holes.is_empty());
}

#[test]
fn high_cross_cluster_integration_and_scarce_space_ranks_archipelago_first() {
    let request = PlanRequest {
        network: crowded_network(),
        clusters: clusters(4, 200, &["east", "east", "west", "west"]),
        requirements: Requirements {
            ip_space: Some(IpSpace::Scarce),
            cross_cluster_integration: Some(Integration::High),
            ..Requirements::default()
        },
        model: ModelChoice::Auto,
        growth_reserve: None,
        layout: Default::default(),
    };
    let rec = recommend(&request).expect("recommends");
    assert_eq!(order(&rec)[0], "archipelago", "{:?}", order(&rec));
    let archipelago = NetworkModel::Archipelago;
    assert_eq!(
        reason(&rec, archipelago, "cross_cluster_integration"),
        (2, Source::Talk)
    );
    assert_eq!(reason(&rec, archipelago, "ip_space"), (2, Source::Talk));
    assert_eq!(
        reason(&rec, NetworkModel::Island, "cross_cluster_integration"),
        (-2, Source::Derived)
    );
    assert_eq!(
        reason(&rec, NetworkModel::Isolated, "cross_cluster_integration"),
        (-3, Source::Talk)
    );
    // Each group is flat inside and the groups reuse one range.
    let planned = plan(&request).expect("plans");
    let c = &planned.clusters;
    assert_ne!(c[0].pod_cidr, c[1].pod_cidr);
    assert_eq!(
        (c[0].pod_cidr, c[1].pod_cidr),
        (c[2].pod_cidr, c[3].pod_cidr)
    );
    let how = |from: &str, to: &str| {
        planned
            .reachability
            .iter()
            .find(|r| r.from == from && r.to == to)
            .map(|r| r.how)
    };
    assert_eq!(how("pod:c1", "pod:c2"), Some(How::Direct));
    assert_eq!(how("pod:c1", "pod:c3"), Some(How::Gateway));
}

#[test]
fn island_bad_when_items_are_each_named() {
    let mut request = example();
    request.requirements = Requirements {
        debug_connectivity: true,
        direct_to_endpoint: true,
        exposed_services: Some(Exposure::Many),
        non_http_services: true,
        client_ip_firewalls: true,
        ..Requirements::default()
    };
    let rec = recommend(&request).expect("recommends");
    let island = NetworkModel::Island;
    for criterion in [
        "debug_connectivity",
        "direct_to_endpoint",
        "exposed_services",
        "client_ip_firewalls",
    ] {
        assert_eq!(
            reason(&rec, island, criterion),
            (-3, Source::Talk),
            "{criterion}"
        );
    }
    assert_eq!(
        reason(&rec, island, "non_http_services"),
        (-2, Source::Talk)
    );
    assert_eq!(order(&rec)[0], "flat");
}

#[test]
fn the_talks_flat_picture() {
    let planned = plan(&example()).expect("plans");
    assert_eq!(planned.model, NetworkModel::Flat);
    let [one, two] = &planned.clusters[..] else {
        panic!("two clusters")
    };
    // The talk numbers from 10.0.0.0/16, which is AKS's default service range: the plan
    // starts one /16 later.
    assert_eq!(
        (one.pod_cidr, two.pod_cidr),
        (p("10.1.0.0/16"), p("10.2.0.0/16"))
    );
    // No planned range overlaps a default (the warnings left are the network's own).
    assert!(planned
        .warnings
        .iter()
        .filter(|w| w.code.starts_with("vendor_default"))
        .all(|w| w.message.starts_with("network pool") || w.message.starts_with("allocation")));
    assert_eq!((one.node_pod_mask, two.node_pod_mask), (24, 24));
    assert_eq!(
        (one.node_subnet, two.node_subnet),
        (p("10.240.0.0/24"), p("10.240.1.0/24"))
    );
    // ip-masq-agent: do not masquerade toward the whole network.
    assert_eq!(one.non_masquerade_cidrs, [p("10.0.0.0/8")]);
    // "Other: 10.128.1.1 ?" - reached directly.
    assert!(planned
        .reachability
        .iter()
        .any(|r| r.from == "pod:cluster-1" && r.to == "allocation:other" && r.how == How::Direct));
}

#[test]
fn the_talks_island_picture() {
    let request = PlanRequest {
        model: ModelChoice::Island,
        ..example()
    };
    let planned = plan(&request).expect("plans");
    assert!(planned
        .clusters
        .iter()
        .all(|c| c.pod_cidr == p("10.1.0.0/16")));
    // The hole is 10.1.0.0/16 (10.0.0.0/16 is AKS's default service range), reused by both clusters, shadowing nothing pods need.
    let hole = &planned.holes[0];
    assert_eq!(hole.cidr, p("10.1.0.0/16"));
    assert_eq!(hole.clusters, ["cluster-1", "cluster-2"]);
    assert!(hole.shadows.is_empty());
    // Pods reach Other by masquerading as their node; Other reaches pods via gateways.
    assert!(planned
        .reachability
        .iter()
        .any(|r| r.from == "pod:cluster-2" && r.to == "allocation:other" && r.how == How::Snat));
    assert_eq!(planned.clusters[0].non_masquerade_cidrs, [p("10.1.0.0/16")]);
}

#[test]
fn the_talks_mapped_picture() {
    let request = PlanRequest {
        model: ModelChoice::Mapped,
        ..example()
    };
    let planned = plan(&request).expect("plans");
    let one = &planned.clusters[0];
    // The talk's picture one /16 later (10.0.0.0/16 is AKS's default service range).
    assert_eq!(one.pod_cidr, p("10.1.0.0/16"));
    assert_eq!(one.external_pod_cidr, Some(p("10.2.0.0/16")));
    // Node 1's 10.1.1.0/24 is seen outside as 10.2.1.0/24: pod 10.1.1.1 is 10.2.1.1.
    let node1 = &one.node_mappings[1];
    assert_eq!(
        (node1.internal, node1.external),
        (p("10.1.1.0/24"), p("10.2.1.0/24"))
    );
    assert_eq!(
        planned.clusters[1].external_pod_cidr,
        Some(p("10.3.0.0/16"))
    );
}

#[test]
fn infeasible_flat_names_the_numbers() {
    let allocation = |name: &str, cidr: &str| AllocationSpec {
        name: name.into(),
        cidr: p(cidr),
        reachable: true,
        origin: None,
        labels: Default::default(),
    };
    let request = PlanRequest {
        network: Network {
            pools: vec![p("10.0.0.0/8")],
            allocations: vec![
                allocation("dc1", "10.0.0.0/9"),
                allocation("dc2", "10.128.0.0/10"),
                allocation("dc3", "10.192.0.0/11"),
                allocation("dc4", "10.224.0.0/12"),
                allocation("dc5", "10.240.0.0/13"),
                allocation("dc6", "10.248.0.0/15"),
            ],
            ..Network::default()
        },
        clusters: clusters(4, 1000, &[]),
        requirements: Requirements::default(),
        model: ModelChoice::Auto,
        growth_reserve: None,
        layout: Default::default(),
    };
    let rec = recommend(&request).expect("recommends");
    let flat = standing(&rec, NetworkModel::Flat);
    assert!(!flat.feasible);
    assert!(flat.reasons.iter().any(|r| r
        .text
        .starts_with("flat needs 4 x /14 = 1,048,576 addresses for pods")
        && r.text.ends_with("393,216 are free in 10.0.0.0/8")));
    assert!(rec.ip_space_judged && rec.ip_space == IpSpace::Scarce);
    // Infeasible models rank last whatever their score.
    assert!(!rec.ranking[4].feasible && !rec.ranking[3].feasible);
    let err = plan(&PlanRequest {
        model: ModelChoice::Flat,
        ..request
    })
    .expect_err("flat does not fit");
    assert_eq!(err.code(), "infeasible");
}

#[test]
fn requests_reject_unknown_fields_by_name() {
    let text = r#"{"network": {"pools": ["10.0.0.0/8"]},
                   "clusters": [{"name": "a", "nodes": 3, "max_pod": 30}]}"#;
    let err = serde_json::from_str::<PlanRequest>(text).expect_err("typo is rejected");
    assert!(err.to_string().contains("unknown field `max_pod`"), "{err}");
}

#[test]
fn defaults_are_documented_values() {
    let text =
        r#"{"network": {"pools": ["10.0.0.0/8"]}, "clusters": [{"name": "a", "nodes": 250}]}"#;
    let request: PlanRequest = serde_json::from_str(text).expect("parses");
    let planned = plan(&request).expect("plans");
    let a = &planned.clusters[0];
    // max_nodes = nodes, 110 pods -> /24 per node, 250 nodes -> /16, 4096 services -> /20.
    assert_eq!(
        (a.pod_cidr.len(), a.node_pod_mask, a.service_cidr.len()),
        (16, 24, 20)
    );
}

#[test]
fn a_networks_touching_pools_are_one_routed_range() {
    // Touching pools are one routed range (here 10.0.0.0/15): a cluster's pod range may
    // span the two /17s, as the network routes both (carving alone keeps each block inside
    // one pool).
    let request = PlanRequest {
        network: Network {
            pools: vec![p("10.0.128.0/17"), p("10.0.0.0/17"), p("10.1.0.0/16")],
            ..Network::default()
        },
        clusters: vec![ClusterSpec {
            name: "big".into(),
            nodes: 200,
            ..ClusterSpec::default()
        }],
        model: ModelChoice::Flat,
        ..example()
    };
    let planned = plan(&request).expect("plans across the touching pools");
    let cluster = &planned.clusters[0];
    assert_eq!(cluster.pod_cidr.len(), 16, "{:?}", cluster.pod_cidr);
    assert_eq!(cluster.pod_cidr, p("10.0.0.0/16"));
}

/// Issue 16: in 172.16.0.0/12 the pod ranges skip Docker's bridge (172.17.0.0/16), EKS's
/// alternate service range (172.20.0.0/16) and AKS's reserved 172.30-31.0.0/16 while clear
/// /16s are left; the last cluster, for which none is, takes the lowest free one and the
/// warning says why.
#[test]
fn placement_skips_known_defaults_until_none_is_clear() {
    let request = PlanRequest {
        network: Network {
            pools: vec![p("172.16.0.0/12")],
            ..Network::default()
        },
        clusters: clusters(12, 250, &[]),
        model: ModelChoice::Flat,
        layout: cidrplan::k8s::Layout::ByKind,
        ..PlanRequest::default()
    };
    let planned = plan(&request).expect("plans");
    let pods: Vec<String> = planned
        .clusters
        .iter()
        .map(|c| c.pod_cidr.to_string())
        .collect();
    let clear = [16, 18, 19, 21, 22, 23, 24, 25, 26, 27, 28, 29];
    let expected: Vec<String> = clear.iter().map(|b| format!("172.{b}.0.0/16")).collect();
    assert_eq!(pods, expected);
    // Services and node subnets: no clear /16 is left, but clear /20s and /24s are not
    // either, so they go on the lowest free block (172.17.0.0/16, Docker's) with the reason.
    let services: Vec<String> = planned
        .clusters
        .iter()
        .map(|c| c.service_cidr.to_string())
        .collect();
    assert_eq!(services[0], "172.17.0.0/20");
    let unavoidable: Vec<&str> = planned
        .warnings
        .iter()
        .filter(|w| w.code == "vendor_default_unavoidable")
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(unavoidable.len(), 24, "{unavoidable:#?}");
    assert_eq!(
        unavoidable[0],
        "cluster \"c1\": service_cidr 172.17.0.0/20 overlaps the Docker default bridge range \
         172.17.0.0/16: every free /20 left in 172.16.0.0/12 overlaps a known default, so the \
         lowest was taken"
    );
}

/// Issue 16: without groups, archipelago is island with nothing gained: it is listed after
/// the feasible models with that reason, never recommended, and warned when asked for.
#[test]
fn archipelago_without_groups_is_not_recommended() {
    let request = PlanRequest {
        network: Network {
            pools: vec![p("10.0.0.0/8")],
            ..Network::default()
        },
        clusters: clusters(3, 250, &[]),
        requirements: Requirements {
            cross_cluster_integration: Some(Integration::High),
            ip_space: Some(IpSpace::Scarce),
            ..Requirements::default()
        },
        ..PlanRequest::default()
    };
    let rec = recommend(&request).expect("recommends");
    assert_ne!(rec.recommended, Some(NetworkModel::Archipelago));
    let last_feasible = rec.ranking.iter().rfind(|m| m.feasible).expect("some fit");
    assert_eq!(last_feasible.model, NetworkModel::Archipelago);
    assert_eq!(
        reason(&rec, NetworkModel::Archipelago, "groups"),
        (-3, Source::Derived)
    );
    let asked = plan(&PlanRequest {
        model: ModelChoice::Archipelago,
        ..request.clone()
    })
    .expect("plans");
    assert!(asked
        .warnings
        .iter()
        .any(|w| w.code == "archipelago_without_groups" && w.message.contains("which is island")));
    // With two meshes the reason goes away and archipelago can win.
    let meshed = PlanRequest {
        clusters: clusters(3, 250, &["east", "east", "west"]),
        ..request
    };
    let rec = recommend(&meshed).expect("recommends");
    assert!(standing(&rec, NetworkModel::Archipelago)
        .reasons
        .iter()
        .all(|r| r.criterion != "groups"));
    assert_eq!(rec.recommended, Some(NetworkModel::Archipelago));
}

/// Issue 16: headroom per group. East's two /16s fill the /15 every group reuses, so no
/// more cluster joins east; west has one /16 free; the fleet's count is what joins a group.
#[test]
fn archipelago_headroom_is_per_group() {
    let request = PlanRequest {
        network: Network {
            pools: vec![p("10.0.0.0/8")],
            ..Network::default()
        },
        clusters: clusters(3, 250, &["east", "east", "west"]),
        model: ModelChoice::Archipelago,
        ..PlanRequest::default()
    };
    let planned = plan(&request).expect("plans");
    let groups = &planned.headroom.groups;
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0].name, "east");
    assert_eq!(groups[0].cidr.len(), 15);
    assert_eq!(groups[0].clusters, ["c1", "c2"]);
    assert_eq!(groups[0].more_clusters, 0);
    assert_eq!(
        (groups[1].name.as_str(), groups[1].more_clusters),
        ("west", 1)
    );
    assert_eq!(planned.headroom.more_clusters, 1);
    assert_eq!(planned.headroom.more_clusters_binding, "pod_cidr");
    // Pod ranges are unique inside each group, and reused across groups.
    let pods: Vec<Prefix> = planned.clusters.iter().map(|c| c.pod_cidr).collect();
    assert!(!pods[0].overlaps(&pods[1]));
    assert!(pods[2] == pods[0] || pods[2] == pods[1]);
}

/// Issue 16, on-prem and fragmented: 8 clusters of 250 nodes need a /16 of pods each, and
/// 10.0.0.0/12 holds plenty of addresses, but an allocation in every other /16 leaves only
/// 5 aligned /16s (AKS's 10.0.0.0/16 taken by a datacenter). The reason names
/// fragmentation, not the total, and the ways out, each checked by planning.
#[test]
fn fragmented_on_prem_names_fragmentation_and_the_ways_out() {
    let allocations = (0..11)
        .map(|k| AllocationSpec {
            name: format!("rack-{k}"),
            cidr: p(&format!("10.{}.128.0/24", k)),
            reachable: true,
            origin: None,
            labels: Default::default(),
        })
        .collect();
    let request = PlanRequest {
        network: Network {
            pools: vec![p("10.0.0.0/12")],
            allocations,
            ..Network::default()
        },
        clusters: clusters(8, 250, &[]),
        model: ModelChoice::Flat,
        layout: cidrplan::k8s::Layout::ByKind,
        ..PlanRequest::default()
    };
    let err = plan(&request).expect_err("does not fit");
    let text = err.to_string();
    assert_eq!(err.code(), "infeasible");
    assert!(
        text.contains("fragmentation: 8 aligned /16s needed, 5 free in 10.0.0.0/12"),
        "{text}"
    );
    assert!(
        text.contains("it fits (each checked by planning) with half the max_pods_per_node"),
        "{text}"
    );
    // Mapped needs unique external ranges as large as flat's; archipelago has no mesh.
    assert!(
        text.ends_with("or with the model island or isolated"),
        "{text}"
    );
    // Each option named does fit.
    let mut fewer_pods = request.clone();
    for c in &mut fewer_pods.clusters {
        c.max_pods_per_node = Some(55);
    }
    let fitted = plan(&fewer_pods).expect("half the pods per node fits");
    assert!(fitted.clusters.iter().all(|c| c.pod_cidr.len() == 17));
    for model in [ModelChoice::Island, ModelChoice::Isolated] {
        plan(&PlanRequest {
            model,
            ..request.clone()
        })
        .expect("the other models fit");
    }
}

/// Issue 16: an island that cannot reuse a range without hiding something pods reach is
/// told that non-RFC 1918 space would do, because planning it with that space fits.
#[test]
fn infeasible_island_suggests_non_rfc1918_space_checked() {
    let request = PlanRequest {
        network: Network {
            pools: vec![p("10.0.0.0/16")],
            allocations: vec![AllocationSpec {
                name: "dc".into(),
                cidr: p("10.0.0.0/24"),
                reachable: true,
                origin: None,
                labels: Default::default(),
            }],
            ..Network::default()
        },
        clusters: clusters(2, 250, &[]),
        model: ModelChoice::Island,
        ..PlanRequest::default()
    };
    let text = plan(&request).expect_err("does not fit").to_string();
    assert!(text.contains("requirements.allow_non_rfc1918"), "{text}");
    let mut allowed = request.clone();
    allowed.requirements.allow_non_rfc1918 = true;
    let planned = plan(&allowed).expect("fits in 100.64.0.0/10");
    assert_eq!(planned.clusters[0].pod_cidr, p("100.65.0.0/16"));
}
