//! Core benchmarks: overlap report, aggregate, exclude and carve at 10^4, 10^5 and 10^6
//! random prefixes of realistic lengths, beside the baseline the targets are stated
//! against: sorting 10^6 u64 keys, measured in the same run.
//!
//! IPv4 inputs come in two shapes: `ipv4` packs them into 10.0.0.0/8 (an enterprise IPAM
//! export: dense, with millions of overlapping pairs at 10^6), `ipv4-spread` spreads them
//! over the unicast space like a routing table.
//!
//! `cargo bench -p cidrplan --bench core` (add `-- --quick` for a fast pass).

use std::hint::black_box;
use std::time::Duration;

use cidrplan::{
    aggregate, carve, exclude, overlaps, CarveInput, CarveRequest, Family, NamedPrefix,
    OverlapOptions, Prefix, RequestSize, Strategy,
};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

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

/// IPv4 lengths as seen in routing tables and IPAM exports: mostly /24, some /16-/32.
fn v4_len(rng: &mut Rng) -> u8 {
    const LENS: [u8; 16] = [
        16, 18, 20, 22, 23, 24, 24, 24, 24, 24, 25, 26, 27, 28, 30, 32,
    ];
    LENS[(rng.next() % 16) as usize]
}

fn v6_len(rng: &mut Rng) -> u8 {
    const LENS: [u8; 8] = [32, 40, 48, 48, 56, 56, 64, 64];
    LENS[(rng.next() % 8) as usize]
}

/// `n` IPv4 prefixes inside 10.0.0.0/8.
fn v4_prefixes(n: usize, seed: u64) -> Vec<Prefix> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|_| {
            let len = v4_len(&mut rng);
            let addr = (10u128 << 24) | u128::from(rng.next() as u32 & 0x00ff_ffff);
            let mask = (1u128 << (32 - len)) - 1;
            Prefix::new(Family::V4, addr & !mask, len).unwrap()
        })
        .collect()
}

/// `n` IPv4 prefixes spread over 1.0.0.0-223.255.255.255, as in a routing table.
fn v4_spread(n: usize, seed: u64) -> Vec<Prefix> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|_| {
            let len = v4_len(&mut rng);
            let addr = u128::from((1u32 << 24) + (rng.next() as u32) % (222u32 << 24));
            let mask = (1u128 << (32 - len)) - 1;
            Prefix::new(Family::V4, addr & !mask, len).unwrap()
        })
        .collect()
}

/// `n` IPv6 prefixes inside 2001:db8::/32.
fn v6_prefixes(n: usize, seed: u64) -> Vec<Prefix> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|_| {
            let len = v6_len(&mut rng);
            let low = (u128::from(rng.next()) << 64 | u128::from(rng.next())) & ((1u128 << 96) - 1);
            let addr = (0x2001_0db8u128 << 96) | low;
            let mask = (1u128 << (128 - len)) - 1;
            Prefix::new(Family::V6, addr & !mask, len).unwrap()
        })
        .collect()
}

const SIZES: [usize; 3] = [10_000, 100_000, 1_000_000];

fn baseline(c: &mut Criterion) {
    let mut rng = Rng(7);
    let keys: Vec<u64> = (0..1_000_000).map(|_| rng.next()).collect();
    c.bench_function("baseline/sort_1e6_u64", |b| {
        b.iter_batched(
            || keys.clone(),
            |mut k| {
                k.sort_unstable();
                k
            },
            criterion::BatchSize::LargeInput,
        )
    });
}

fn bench_aggregate(c: &mut Criterion) {
    let mut group = c.benchmark_group("aggregate");
    for n in SIZES {
        let v4 = v4_prefixes(n, 1);
        group.bench_with_input(BenchmarkId::new("ipv4", n), &v4, |b, p| {
            b.iter(|| aggregate(black_box(p)))
        });
        let v6 = v6_prefixes(n, 2);
        group.bench_with_input(BenchmarkId::new("ipv6", n), &v6, |b, p| {
            b.iter(|| aggregate(black_box(p)))
        });
    }
    group.finish();
}

fn bench_overlaps(c: &mut Criterion) {
    let mut group = c.benchmark_group("overlaps");
    for n in SIZES {
        for (family, prefixes) in [
            ("ipv4", v4_prefixes(n, 3)),
            ("ipv4-spread", v4_spread(n, 13)),
            ("ipv6", v6_prefixes(n, 4)),
        ] {
            let items: Vec<NamedPrefix> = prefixes
                .into_iter()
                .enumerate()
                .map(|(i, p)| NamedPrefix::new(format!("n{i}"), p))
                .collect();
            group.bench_with_input(BenchmarkId::new(family, n), &items, |b, items| {
                b.iter(|| overlaps(black_box(items), &OverlapOptions::default()))
            });
        }
    }
    group.finish();
}

fn bench_exclude(c: &mut Criterion) {
    let mut group = c.benchmark_group("exclude");
    let v4_parent: Prefix = "10.0.0.0/8".parse().unwrap();
    let v6_parent: Prefix = "2001:db8::/32".parse().unwrap();
    for n in SIZES {
        let v4 = v4_prefixes(n, 5);
        group.bench_with_input(BenchmarkId::new("ipv4", n), &v4, |b, used| {
            b.iter(|| exclude(v4_parent, black_box(used)))
        });
        let v6 = v6_prefixes(n, 6);
        group.bench_with_input(BenchmarkId::new("ipv6", n), &v6, |b, used| {
            b.iter(|| exclude(v6_parent, black_box(used)))
        });
    }
    group.finish();
}

/// Mixed requests: mostly small subnets with a few large ones, as an IPAM batch looks.
fn mixed_requests(n: usize, family: Family) -> Vec<CarveRequest> {
    let mut rng = Rng(11);
    (0..n)
        .map(|i| {
            let size = match (family, rng.next() % 10) {
                (Family::V4, 0) => RequestSize::Len(22),
                (Family::V4, 1..=3) => RequestSize::Count(u128::from(rng.next() % 500 + 1)),
                (Family::V4, _) => RequestSize::Len(28 + (rng.next() % 5) as u8),
                (Family::V6, 0) => RequestSize::Len(48),
                (Family::V6, _) => RequestSize::Len(64),
            };
            CarveRequest::new(format!("r{i}"), size)
        })
        .collect()
}

fn bench_carve(c: &mut Criterion) {
    let mut group = c.benchmark_group("carve");
    for n in SIZES {
        for strategy in Strategy::ALL {
            let input = CarveInput {
                pools: vec!["10.0.0.0/8".parse().unwrap()],
                requests: mixed_requests(n, Family::V4),
                reserved: v4_prefixes(n / 100, 9),
                strategy,
            };
            group.bench_with_input(
                BenchmarkId::new(format!("ipv4-{strategy}"), n),
                &input,
                |b, input| b.iter(|| carve(black_box(input)).map(|r| r.allocations.len())),
            );
        }
        let input = CarveInput {
            pools: vec!["2001:db8::/32".parse().unwrap()],
            requests: mixed_requests(n, Family::V6),
            reserved: v6_prefixes(n / 100, 10),
            strategy: Strategy::BestFit,
        };
        group.bench_with_input(BenchmarkId::new("ipv6-best-fit", n), &input, |b, input| {
            b.iter(|| carve(black_box(input)).map(|r| r.allocations.len()))
        });
    }
    // A million /32s out of a /8: work grows with the requests, not the addresses.
    let hosts = CarveInput {
        pools: vec!["10.0.0.0/8".parse().unwrap()],
        requests: (0..1_000_000)
            .map(|i| CarveRequest::new(format!("h{i}"), RequestSize::Len(32)))
            .collect(),
        reserved: vec![],
        strategy: Strategy::FirstFit,
    };
    group.bench_function("ipv4-1e6-hosts-first-fit", |b| {
        b.iter(|| carve(black_box(&hosts)).map(|r| r.allocations.len()))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    targets = baseline, bench_aggregate, bench_overlaps, bench_exclude, bench_carve
}
criterion_main!(benches);
