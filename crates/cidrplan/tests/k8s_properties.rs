//! Properties of planning over random networks: flat ranges collide with nothing, island
//! ranges shadow nothing pods must reach, every routed range lies in the pools, plans are
//! deterministic, and no input panics.

use cidrplan::k8s::{
    plan, recommend, AllocationSpec, ClusterFamily, ClusterSpec, Integration, IpSpace, ModelChoice,
    Network, NetworkModel, Plan, PlanRequest, Requirements,
};
use cidrplan::{Error, Family, Prefix};
use proptest::prelude::*;

/// An aligned IPv4 prefix of length `len` inside `within`, chosen by `seed`.
fn inside(within: Prefix, len: u8, seed: u32) -> Prefix {
    let len = len.max(within.len()).min(32);
    let slots = 1u64 << (len - within.len());
    let index = u128::from(u64::from(seed) % slots);
    let first = within.first() + (index << (32 - len));
    Prefix::new(Family::V4, first, len).expect("aligned by construction")
}

fn pool() -> impl Strategy<Value = Prefix> {
    (8u8..=16, any::<u32>())
        .prop_map(|(len, seed)| inside("10.0.0.0/8".parse().expect("valid"), len, seed))
}

fn v6_pool() -> Prefix {
    "fd00::/48".parse().expect("valid")
}

fn request() -> impl Strategy<Value = PlanRequest> {
    (
        pool(),
        prop::collection::vec((1u8..=20, any::<u32>(), any::<bool>()), 0..12),
        prop::collection::vec(
            (
                1u32..400,
                0u32..200,
                0usize..5,
                0usize..3,
                0usize..4,
                any::<bool>(),
            ),
            1..6,
        ),
        any::<bool>(),
    )
        .prop_map(|(pool, allocations, clusters, scarce)| {
            let allocations = allocations
                .into_iter()
                .enumerate()
                .map(|(i, (extra, seed, reachable))| AllocationSpec {
                    name: format!("alloc-{i}"),
                    cidr: inside(pool, pool.len() + extra, seed),
                    reachable,
                    origin: None,
                    labels: Default::default(),
                })
                .collect();
            let clusters = clusters
                .into_iter()
                .enumerate()
                .map(
                    |(i, (nodes, grow, pods, services, group, dual))| ClusterSpec {
                        name: format!("c{i}"),
                        nodes,
                        max_nodes: Some(nodes + grow),
                        max_pods_per_node: Some([8, 16, 30, 64, 110][pods]),
                        services: Some([256, 1024, 4096][services]),
                        group: ["east", "west", "south"].get(group).map(|g| g.to_string()),
                        family: if dual {
                            ClusterFamily::Dual
                        } else {
                            ClusterFamily::Ipv4
                        },
                        ..ClusterSpec::default()
                    },
                )
                .collect();
            PlanRequest {
                network: Network {
                    pools: vec![pool, v6_pool()],
                    allocations,
                    ..Network::default()
                },
                clusters,
                requirements: Requirements {
                    ip_space: Some(if scarce {
                        IpSpace::Scarce
                    } else {
                        IpSpace::Plentiful
                    }),
                    integration: Some(Integration::Some),
                    ..Requirements::default()
                },
                model: ModelChoice::Auto,
                growth_reserve: None,
                layout: Default::default(),
            }
        })
}

fn with_model(req: &PlanRequest, model: ModelChoice) -> PlanRequest {
    PlanRequest {
        model,
        ..req.clone()
    }
}

/// Plans `model`, or `None` when it does not fit; any other error fails the test.
fn try_plan(req: &PlanRequest, model: ModelChoice) -> Option<Plan> {
    match plan(&with_model(req, model)) {
        Ok(p) => Some(p),
        Err(Error::Infeasible { .. }) => None,
        Err(other) => panic!("unexpected error {other}"),
    }
}

/// Every range of a planned cluster the network must route, with its field name.
fn routed(p: &Plan, model: NetworkModel) -> Vec<(usize, &'static str, Prefix)> {
    let mut out = Vec::new();
    for (i, c) in p.clusters.iter().enumerate() {
        out.push((i, "node_subnet", c.node_subnet));
        if model == NetworkModel::Flat {
            out.push((i, "pod_cidr", c.pod_cidr));
            out.push((i, "service_cidr", c.service_cidr));
        }
        if let Some(external) = c.external_pod_cidr {
            out.push((i, "external_pod_cidr", external));
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

    #[test]
    fn flat_never_overlaps_an_allocation_or_another_cluster(req in request()) {
        let Some(p) = try_plan(&req, ModelChoice::Flat) else { return Ok(()) };
        let ranges = routed(&p, NetworkModel::Flat);
        for (i, field, range) in &ranges {
            for a in &req.network.allocations {
                prop_assert!(!range.overlaps(&a.cidr), "c{i} {field} {range} overlaps {}", a.cidr);
            }
            for (j, other_field, other) in &ranges {
                if (i, field) != (j, other_field) {
                    prop_assert!(!range.overlaps(other), "c{i} {field} {range} overlaps c{j} {other_field} {other}");
                }
            }
        }
    }

    #[test]
    fn ipv6_ranges_are_unique_in_every_model(req in request()) {
        for choice in [ModelChoice::Flat, ModelChoice::Island, ModelChoice::Archipelago] {
            let Some(p) = try_plan(&req, choice) else { continue };
            let v6: Vec<Prefix> = p
                .clusters
                .iter()
                .flat_map(|c| [c.pod_cidr_v6, c.service_cidr_v6])
                .flatten()
                .collect();
            for (i, a) in v6.iter().enumerate() {
                prop_assert!(v6_pool().contains(a), "{a} outside the IPv6 pool");
                for b in &v6[i + 1..] {
                    prop_assert!(!a.overlaps(b), "{a} overlaps {b}");
                }
            }
        }
    }

    #[test]
    fn archipelago_is_flat_inside_a_group(req in request()) {
        let Some(p) = try_plan(&req, ModelChoice::Archipelago) else { return Ok(()) };
        for (i, a) in p.clusters.iter().enumerate() {
            for b in &p.clusters[i + 1..] {
                if a.group == b.group {
                    prop_assert!(!a.pod_cidr.overlaps(&b.pod_cidr), "{} and {} share {}", a.name, b.name, a.pod_cidr);
                }
            }
        }
        // Headroom per group, against counting the free blocks one by one.
        for g in &p.headroom.groups {
            let members: Vec<_> = p.clusters.iter().filter(|c| g.clusters.contains(&c.name)).collect();
            let Some(template) = p.clusters.iter().find(|c| c.name == g.template) else {
                prop_assert!(members.is_empty());
                continue;
            };
            let len = template.pod_cidr.len();
            prop_assume!(len - g.cidr.len() <= 16);
            let step = 1u128 << (32 - u32::from(len));
            let mut free = 0u64;
            let mut first = g.cidr.first();
            while first + step - 1 <= g.cidr.last() {
                let block = Prefix::new(Family::V4, first, len).expect("aligned");
                if !members.iter().any(|c| c.pod_cidr.overlaps(&block)) {
                    free += 1;
                }
                first += step;
            }
            prop_assert_eq!(g.more_clusters, free, "group {}", g.name);
            for c in &members {
                prop_assert!(g.cidr.contains(&c.pod_cidr));
            }
        }
        let joining: u64 = p.headroom.groups.iter().map(|g| g.more_clusters).sum();
        prop_assert!(p.headroom.more_clusters <= joining);
    }

    #[test]
    fn mapped_externals_are_unique_twins_of_the_pod_range(req in request()) {
        let Some(p) = try_plan(&req, ModelChoice::Mapped) else { return Ok(()) };
        for (i, a) in p.clusters.iter().enumerate() {
            let external = a.external_pod_cidr.expect("mapped clusters have an external range");
            prop_assert_eq!(external.len(), a.pod_cidr.len());
            prop_assert!(!external.overlaps(&a.pod_cidr));
            for m in &a.node_mappings {
                prop_assert!(a.pod_cidr.contains(&m.internal) && external.contains(&m.external));
                prop_assert_eq!(m.internal.first() - a.pod_cidr.first(), m.external.first() - external.first());
            }
            for b in &p.clusters[i + 1..] {
                prop_assert!(!external.overlaps(&b.external_pod_cidr.expect("mapped")));
            }
        }
    }

    #[test]
    fn island_never_shadows_a_reachable_allocation(req in request()) {
        let Some(p) = try_plan(&req, ModelChoice::Island) else { return Ok(()) };
        for c in &p.clusters {
            for a in req.network.allocations.iter().filter(|a| a.reachable) {
                prop_assert!(!c.pod_cidr.overlaps(&a.cidr), "{} shadows {}", c.pod_cidr, a.cidr);
                prop_assert!(!c.service_cidr.overlaps(&a.cidr), "{} shadows {}", c.service_cidr, a.cidr);
            }
            for other in &p.clusters {
                prop_assert!(!c.pod_cidr.overlaps(&other.node_subnet));
            }
        }
        prop_assert!(p.warnings.iter().all(|w| w.code != "shadows_reachable"));
    }

    #[test]
    fn every_plan_fits_its_pools(req in request()) {
        let pool = req.network.pools[0];
        for (choice, model) in [
            (ModelChoice::Flat, NetworkModel::Flat),
            (ModelChoice::Island, NetworkModel::Island),
            (ModelChoice::Isolated, NetworkModel::Isolated),
            (ModelChoice::Mapped, NetworkModel::Mapped),
            (ModelChoice::Archipelago, NetworkModel::Archipelago),
        ] {
            let Some(p) = try_plan(&req, choice) else { continue };
            prop_assert_eq!(p.model, model);
            for c in &p.clusters {
                // Without allow_non_rfc1918 even shared ranges come from the pools.
                for range in [c.pod_cidr, c.service_cidr, c.node_subnet].into_iter().chain(c.external_pod_cidr) {
                    prop_assert!(pool.contains(&range), "{model}: {range} outside {pool}");
                }
            }
        }
    }

    #[test]
    fn plans_are_deterministic(req in request()) {
        let first = plan(&req);
        let second = plan(&req);
        prop_assert_eq!(first, second);
        prop_assert_eq!(recommend(&req), recommend(&req));
    }

    #[test]
    fn arbitrary_numbers_and_pins_never_panic(
        nodes in any::<u32>(),
        max_nodes in proptest::option::of(any::<u32>()),
        pods in proptest::option::of(any::<u32>()),
        services in proptest::option::of(any::<u32>()),
        pin in proptest::option::of((0u8..=32, any::<u32>())),
        family in 0usize..3,
        pool_len in 0u8..=32,
    ) {
        let pin = pin.map(|(len, seed)| inside("0.0.0.0/0".parse().expect("valid"), len, seed));
        let req = PlanRequest {
            network: Network {
                pools: vec![inside("10.0.0.0/8".parse().expect("valid"), pool_len, 0), "fd00::/48".parse().expect("valid")],
                ..Network::default()
            },
            clusters: vec![ClusterSpec {
                name: "x".into(),
                nodes,
                max_nodes,
                max_pods_per_node: pods,
                services,
                family: [ClusterFamily::Ipv4, ClusterFamily::Ipv6, ClusterFamily::Dual][family],
                pod_cidr: pin,
                service_cidr: pin,
                node_subnet: pin,
                ..ClusterSpec::default()
            }],
            ..PlanRequest::default()
        };
        for model in [ModelChoice::Auto, ModelChoice::Flat, ModelChoice::Island, ModelChoice::Mapped, ModelChoice::Archipelago] {
            if let Err(e) = plan(&with_model(&req, model)) {
                prop_assert!(Error::ALL_CODES.contains(&e.code()));
                prop_assert!(!e.to_string().is_empty());
            }
        }
    }
}

proptest! {
    /// Per-node IPv4 ranges are never smaller than a /28 and hold twice the pods (the
    /// brute-force model: the smallest power of two at least 16 and at least 2 x pods).
    #[test]
    fn per_node_ranges_are_never_smaller_than_a_28(pods in 1u32..=100_000) {
        let mask = cidrplan::k8s::sizing::node_pod_mask_v4(pods).expect("in range");
        let mut size = 16u64;
        while size < 2 * u64::from(pods) {
            size *= 2;
        }
        prop_assert_eq!(1u64 << (32 - u32::from(mask)), size);
        prop_assert!(mask <= cidrplan::k8s::sizing::MIN_NODE_POD_RANGE_V4);
    }
}

/// A fragmented pool holding known defaults (AKS 10.0.0.0/16; Docker 172.17.0.0/16, EKS
/// 172.20.0.0/16, AKS 172.30-31.0.0/16), with clusters big enough to run out of clear
/// space now and then.
fn crowded_request() -> impl Strategy<Value = PlanRequest> {
    (
        prop::sample::select(vec!["10.0.0.0/12", "172.16.0.0/12", "172.16.0.0/13"]),
        prop::collection::vec((1u8..=6, any::<u32>()), 0..10),
        prop::collection::vec((1u32..2000, 0usize..3), 1..10),
    )
        .prop_map(|(pool, allocations, clusters)| {
            let pool: Prefix = pool.parse().expect("valid");
            PlanRequest {
                network: Network {
                    pools: vec![pool],
                    allocations: allocations
                        .into_iter()
                        .enumerate()
                        .map(|(i, (extra, seed))| AllocationSpec {
                            name: format!("alloc-{i}"),
                            cidr: inside(pool, pool.len() + extra, seed),
                            reachable: true,
                            origin: None,
                            labels: Default::default(),
                        })
                        .collect(),
                    ..Network::default()
                },
                clusters: clusters
                    .into_iter()
                    .enumerate()
                    .map(|(i, (nodes, pods))| ClusterSpec {
                        name: format!("c{i}"),
                        nodes,
                        max_pods_per_node: Some([16, 64, 110][pods]),
                        services: Some(1024),
                        ..ClusterSpec::default()
                    })
                    .collect(),
                ..PlanRequest::default()
            }
        })
}

/// The defaults placement must avoid in a one-pool network: every one but those covering
/// the pool whole (Cilium's 10.0.0.0/8).
fn avoidable(pool: Prefix) -> Vec<Prefix> {
    cidrplan::k8s::VENDOR_DEFAULTS
        .iter()
        .map(|d| d.prefix)
        .filter(|d| !d.contains(&pool))
        .collect()
}

/// Brute force: whether some aligned `/len` inside `pool` overlaps nothing in `taken`.
fn clear_block_exists(pool: Prefix, len: u8, taken: &[Prefix]) -> bool {
    let step = 1u128 << (32 - u32::from(len));
    let mut first = pool.first();
    while first + step - 1 <= pool.last() {
        let block = Prefix::new(Family::V4, first, len).expect("aligned");
        if !taken.iter().any(|t| t.overlaps(&block)) {
            return true;
        }
        first += step;
    }
    false
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// No planned range overlaps a known default while a block of its size clear of every
    /// default, allocation and other range was left (placement is first-fit, so a block
    /// free at the end was free at the range's turn), and each one that does is warned.
    #[test]
    fn placement_avoids_known_defaults_when_it_can(req in crowded_request()) {
        let pool = req.network.pools[0];
        let defaults = avoidable(pool);
        let allocations: Vec<Prefix> = req.network.allocations.iter().map(|a| a.cidr).collect();
        if let Some(p) = try_plan(&req, ModelChoice::Flat) {
            let ranges = routed(&p, NetworkModel::Flat);
            let mut colliding = 0;
            for (k, &(i, field, range)) in ranges.iter().enumerate() {
                if !defaults.iter().any(|d| d.overlaps(&range)) {
                    continue;
                }
                colliding += 1;
                let mut taken: Vec<Prefix> = ranges
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != k)
                    .map(|(_, r)| r.2)
                    .collect();
                taken.extend(&allocations);
                taken.extend(&defaults);
                prop_assert!(
                    !clear_block_exists(pool, range.len(), &taken),
                    "cluster {} {} {} overlaps a default though a clear block was free",
                    i, field, range
                );
            }
            let warned = p.warnings.iter().filter(|w| w.code == "vendor_default_unavoidable").count();
            prop_assert_eq!(warned, colliding);
        }
        if let Some(p) = try_plan(&req, ModelChoice::Island) {
            let hole = p.clusters.iter().map(|c| c.pod_cidr).min_by_key(|c| c.len()).expect("a cluster");
            if defaults.iter().any(|d| d.overlaps(&hole)) {
                let mut taken = allocations.clone();
                taken.extend(&defaults);
                prop_assert!(!clear_block_exists(pool, hole.len(), &taken), "island pod range {hole}");
            }
        }
    }
}

/// The properties above skip models that do not fit; make sure the generator leaves them
/// plenty of plans to check.
#[test]
fn generated_requests_mostly_fit() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = request();
    let mut fits = [0usize; 2];
    for _ in 0..100 {
        let req = strategy.new_tree(&mut runner).expect("generates").current();
        for (slot, model) in [ModelChoice::Flat, ModelChoice::Island]
            .into_iter()
            .enumerate()
        {
            if try_plan(&req, model).is_some() {
                fits[slot] += 1;
            }
        }
    }
    assert!(
        fits[0] >= 30 && fits[1] >= 50,
        "flat fit {}, island fit {} of 100",
        fits[0],
        fits[1]
    );
}
