//! The core's own code that stays where the standard library (or serde's derive) offers the
//! same, each measured beside that alternative on the same input in the same run:
//!
//! - `radix`: the radix sort of packed IPv4 ranges (`src/radix.rs`, compiled into this
//!   benchmark as it is) against `sort_unstable`;
//! - `read`: `Prefix::parse` of canonical IPv4 and plain IPv6 text, which the fast readers
//!   (`src/prefix_text.rs`) take, against the same text with one leading space, which they
//!   leave to the general parser (`core::net`'s address parser; the space costs a `trim`);
//! - `write`: a prefix's `Display` (`PrefixText`) against `core::net`'s `Display` of the
//!   address and `{}` of the length;
//! - `entries`: the entry reader of overlap items (`src/wire/entry_de.rs`), which says what
//!   it expected, against serde's derived untagged enum of the same three shapes.
//!
//! `cargo bench -p cidrplan --bench kept` (add `-- --quick` for a fast pass). The figures
//! are in `docs/ARCHITECTURE.md` ("What the core keeps of its own").

extern crate alloc;

use std::hint::black_box;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use cidrplan::{Family, Prefix};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

#[allow(dead_code, unreachable_pub, unused_imports)]
#[path = "../src/radix.rs"]
mod radix;

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

/// `n` random IPv4 prefixes of /16 to /32 inside 10.0.0.0/8.
fn v4_prefixes(n: usize, seed: u64) -> Vec<Prefix> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|_| {
            let len = 16 + (rng.next() % 17) as u8;
            let addr = (10u128 << 24) | u128::from(rng.next() as u32 & 0x00ff_ffff);
            let mask = !((1u128 << (32 - len)) - 1) & 0xffff_ffff;
            Prefix::new(Family::V4, addr & mask, len).unwrap()
        })
        .collect()
}

/// `n` random IPv6 prefixes of /32 to /64 inside 2001:db8::/32-ish space.
fn v6_prefixes(n: usize, seed: u64) -> Vec<Prefix> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|_| {
            let len = 32 + (rng.next() % 33) as u8;
            let addr = (0x2001_0db8u128 << 96) | (u128::from(rng.next()) << 32);
            let mask = !((1u128 << (128 - len)) - 1);
            Prefix::new(Family::V6, addr & mask, len).unwrap()
        })
        .collect()
}

const SIZES: [usize; 2] = [100_000, 1_000_000];

fn bench_radix(c: &mut Criterion) {
    let mut group = c.benchmark_group("radix");
    for n in SIZES {
        // Packed as the address set packs IPv4 ranges: first << 32 | last.
        let keys: Vec<u64> = v4_prefixes(n, 1)
            .iter()
            .map(|p| ((p.first() as u64) << 32) | p.last() as u64)
            .collect();
        group.bench_with_input(BenchmarkId::new("radix_sort_u64", n), &keys, |b, keys| {
            b.iter_batched(
                || keys.clone(),
                |mut k| {
                    radix::sort_u64(&mut k);
                    k
                },
                criterion::BatchSize::LargeInput,
            )
        });
        group.bench_with_input(
            BenchmarkId::new("std_sort_unstable", n),
            &keys,
            |b, keys| {
                b.iter_batched(
                    || keys.clone(),
                    |mut k| {
                        k.sort_unstable();
                        k
                    },
                    criterion::BatchSize::LargeInput,
                )
            },
        );
    }
    group.finish();
}

fn bench_read(c: &mut Criterion) {
    let mut group = c.benchmark_group("read");
    let n = 100_000;
    for (family, prefixes) in [("ipv4", v4_prefixes(n, 2)), ("ipv6", v6_prefixes(n, 3))] {
        let fast: Vec<String> = prefixes.iter().map(ToString::to_string).collect();
        let general: Vec<String> = fast.iter().map(|t| format!(" {t}")).collect();
        group.bench_with_input(
            BenchmarkId::new(format!("{family}_fast_reader"), n),
            &fast,
            |b, texts| {
                b.iter(|| {
                    texts
                        .iter()
                        .map(|t| Prefix::parse(black_box(t)).unwrap().len() as usize)
                        .sum::<usize>()
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new(format!("{family}_core_net_parser"), n),
            &general,
            |b, texts| {
                b.iter(|| {
                    texts
                        .iter()
                        .map(|t| Prefix::parse(black_box(t)).unwrap().len() as usize)
                        .sum::<usize>()
                })
            },
        );
    }
    group.finish();
}

fn bench_write(c: &mut Criterion) {
    use std::fmt::Write;
    let mut group = c.benchmark_group("write");
    let n = 100_000;
    for (family, prefixes) in [("ipv4", v4_prefixes(n, 4)), ("ipv6", v6_prefixes(n, 5))] {
        group.bench_with_input(
            BenchmarkId::new(format!("{family}_prefix_text"), n),
            &prefixes,
            |b, prefixes| {
                b.iter(|| {
                    let mut out = String::new();
                    for p in prefixes {
                        write!(out, "{p}").unwrap();
                        out.push('\n');
                    }
                    out
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new(format!("{family}_core_fmt"), n),
            &prefixes,
            |b, prefixes| {
                b.iter(|| {
                    let mut out = String::new();
                    for p in prefixes {
                        match p.family() {
                            Family::V4 => {
                                write!(out, "{}/{}", Ipv4Addr::from(p.first() as u32), p.len())
                            }
                            Family::V6 => {
                                write!(out, "{}/{}", Ipv6Addr::from(p.first()), p.len())
                            }
                        }
                        .unwrap();
                        out.push('\n');
                    }
                    out
                })
            },
        );
    }
    group.finish();
}

/// The same three shapes as `wire::ItemEntry`, read by serde's derived untagged enum.
#[allow(dead_code)]
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum UntaggedItem {
    Cidr(String),
    Pair(String, String),
    Named { name: String, cidr: String },
}

/// The untagged alternative of `wire::OverlapsInput` for a list of items.
#[allow(dead_code)]
#[derive(serde::Deserialize)]
struct UntaggedInput {
    items: Vec<UntaggedItem>,
}

fn bench_entries(c: &mut Criterion) {
    let mut group = c.benchmark_group("entries");
    let n = 100_000;
    let pairs: Vec<(String, String)> = v4_prefixes(n, 6)
        .iter()
        .enumerate()
        .map(|(i, p)| (format!("n{i}"), p.to_string()))
        .collect();
    let json = serde_json::to_string(&serde_json::json!({ "items": pairs })).unwrap();
    group.bench_with_input(
        BenchmarkId::new("pairs_entry_reader", n),
        &json,
        |b, json| {
            b.iter(|| {
                serde_json::from_str::<cidrplan::wire::OverlapsInput>(black_box(json))
                    .map(|input| input.items.0.len())
                    .unwrap()
            })
        },
    );
    group.bench_with_input(
        BenchmarkId::new("pairs_serde_untagged", n),
        &json,
        |b, json| {
            b.iter(|| {
                serde_json::from_str::<UntaggedInput>(black_box(json))
                    .map(|input| input.items.len())
                    .unwrap()
            })
        },
    );
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    targets = bench_radix, bench_read, bench_write, bench_entries
}
criterion_main!(benches);
