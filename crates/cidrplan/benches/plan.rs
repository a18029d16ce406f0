//! Planning at fleet scale: 200 clusters of 1,000 nodes in a /8 holding 10^4 allocations,
//! with `model: auto` (all five models drafted and scored, the winner assembled with its
//! holes, reachability, lint and headroom). Target: under 100 ms native.
//!
//! `cargo bench -p cidrplan --bench plan` (add `-- --quick` for a fast pass).

use std::hint::black_box;
use std::time::Duration;

use cidrplan::k8s::{
    plan, AllocationSpec, ClusterSpec, Integration, Network, PlanRequest, Requirements,
};
use cidrplan::{Family, Prefix};
use criterion::{criterion_group, criterion_main, Criterion};

/// Deterministic xorshift so every run measures the same input.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// 10^4 allocations of /24 to /28 scattered over 10.128.0.0/9, the half of the /8 that
/// datacenters already use; one in a hundred must stay reachable from pods.
fn fleet() -> PlanRequest {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let allocations = (0..10_000)
        .map(|i| {
            let len = 24 + (rng.next() % 5) as u8;
            let offset = rng.next() % (1 << 23);
            let first = (0x0A80_0000 + offset) & !((1u64 << (32 - len)) - 1);
            AllocationSpec {
                name: format!("alloc-{i}"),
                cidr: Prefix::new(Family::V4, u128::from(first), len).expect("aligned"),
                reachable: i % 100 == 0,
                origin: None,
                labels: Default::default(),
            }
        })
        .collect();
    let clusters = (0..200)
        .map(|i| ClusterSpec {
            name: format!("cluster-{i}"),
            nodes: 1_000,
            ..ClusterSpec::default()
        })
        .collect();
    PlanRequest {
        network: Network {
            pools: vec!["10.0.0.0/8".parse().expect("valid")],
            allocations,
            ..Network::default()
        },
        clusters,
        // Scarce space (judged), an unprogrammable network and some integration: the talk's
        // island case, so the winner carries a hole and gateway reachability.
        requirements: Requirements {
            network_programmable: Some(false),
            integration: Some(Integration::Some),
            ..Requirements::default()
        },
        ..PlanRequest::default()
    }
}

fn bench_plan(c: &mut Criterion) {
    let request = fleet();
    let result = plan(&request).expect("the fleet plans");
    eprintln!(
        "plan: model {}, {} clusters, {} reachability rows, {} warnings",
        result.model,
        result.clusters.len(),
        result.reachability.len(),
        result.warnings.len()
    );
    let mut group = c.benchmark_group("plan");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(10));
    group.bench_function(
        "200_clusters_x_1000_nodes_in_slash8_with_10k_allocations",
        |b| b.iter(|| plan(black_box(&request))),
    );
    group.finish();
}

criterion_group!(benches, bench_plan);
criterion_main!(benches);
