//! Warnings about a plan: collisions with allocations, with other clusters and with vendor
//! defaults (each naming both sides), and Kubernetes rule violations (mostly from pins).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::context::Context;
use super::draft::Draft;
use super::model::NetworkModel;
use super::sizing::{MAX_NODE_MASK_DIFFERENCE, MAX_SERVICE_HOST_BITS};
use super::space::{block_size, grouped, OverlapIndex};
use super::vendor_defaults::VENDOR_DEFAULTS;
use crate::{AddrSet, Family, Prefix};

/// Every code a [`Warning`] can carry, sorted (`tests/warning_codes.rs` checks the source
/// emits no other): what `cidrplan lint --allow CODE` accepts.
pub const WARNING_CODES: &[&str] = &[
    "allocation_overlap",
    "archipelago_without_groups",
    "cluster_overlap",
    "cluster_retained",
    "growth_reserve_unmet",
    "node_mappings_truncated",
    "node_mask_difference_too_large",
    "node_pod_mask_kept",
    "node_subnet_too_small",
    "outside_pools",
    "pod_range_smaller_than_node_range",
    "pod_range_too_small",
    "range_cannot_grow",
    "range_overlap",
    "reachability_truncated",
    "service_in_pod_range",
    "service_range_too_large",
    "service_range_too_small",
    "shadows_reachable",
    "too_many_warnings",
    "vendor_default_overlap",
    "vendor_default_unavoidable",
];

/// Most collision warnings listed; the rest are counted in one `too_many_warnings`.
pub const MAX_COLLISION_WARNINGS: usize = 1_000;

/// Something in a plan worth a human's attention.
///
/// Codes: `allocation_overlap`, `shadows_reachable`, `cluster_overlap`,
/// `service_in_pod_range`, `range_overlap`, `vendor_default_overlap`,
/// `vendor_default_unavoidable`, `archipelago_without_groups`, `outside_pools`,
/// `service_range_too_large`, `service_range_too_small`, `pod_range_smaller_than_node_range`,
/// `node_mask_difference_too_large`, `pod_range_too_small`, `node_subnet_too_small`,
/// `too_many_warnings`, `reachability_truncated`, `node_mappings_truncated`; re-plans add
/// `cluster_retained`, `range_cannot_grow`, `growth_reserve_unmet` and `node_pod_mask_kept`
/// (`docs/lockfile.md`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Warning {
    /// Stable snake_case code.
    pub code: &'static str,
    /// What collides with what, naming both sides.
    pub message: String,
}

/// One planned range, named for messages.
struct Entry {
    cluster: usize,
    field: &'static str,
    prefix: Prefix,
    /// Reused across clusters by design (shared pod or service ranges).
    shared: bool,
}

/// For each entry, whether it is shared and repeats the range and field of an earlier
/// shared entry (a shared range is reported once, not once per cluster reusing it).
fn shared_repeats(entries: &[Entry]) -> Vec<bool> {
    let key = |i: usize| (entries[i].shared, entries[i].prefix, entries[i].field);
    let first = crate::sort::first_equal(entries.len(), &mut |a, b| key(a).cmp(&key(b)));
    first
        .iter()
        .enumerate()
        .map(|(i, &f)| entries[i].shared && f != i)
        .collect()
}

/// Every warning of a draft, in a stable order.
pub(crate) fn lint(ctx: &Context<'_>, draft: &Draft, index: &OverlapIndex) -> Vec<Warning> {
    let entries = entries(draft);
    let mut out = Vec::new();
    let mut collisions = Collisions::default();
    rule_checks(ctx, draft, &mut out);
    outside_pools(ctx, draft, &entries, &mut out);
    allocation_checks(ctx, &entries, index, &mut collisions);
    cluster_checks(ctx, draft.model, &entries, &mut collisions);
    vendor_checks(ctx, &entries, index, &mut collisions);
    out.extend(collisions.listed);
    if collisions.dropped > 0 {
        out.push(Warning {
            code: "too_many_warnings",
            message: format!(
                "{} more collisions are not listed (the first {MAX_COLLISION_WARNINGS} are)",
                collisions.dropped
            ),
        });
    }
    out
}

#[derive(Default)]
struct Collisions {
    listed: Vec<Warning>,
    dropped: usize,
}

impl Collisions {
    /// Formats the message only when it will be listed: a fleet of clusters pinned to one
    /// range collides quadratically.
    fn push(&mut self, code: &'static str, message: impl FnOnce() -> String) {
        if self.listed.len() < MAX_COLLISION_WARNINGS {
            self.listed.push(Warning {
                code,
                message: message(),
            });
        } else {
            self.dropped += 1;
        }
    }
}

fn entries(draft: &Draft) -> Vec<Entry> {
    let shared = draft.model.reuses_pod_range();
    let mut out = Vec::new();
    for (i, p) in draft.clusters.iter().enumerate() {
        // Pods in the node subnet: the pod range is the node subnet, listed once.
        let pod = if p.pods_in_node_subnet { None } else { p.pod };
        let fields = [
            ("pod_cidr", pod, shared),
            ("service_cidr", p.service, shared),
            ("pod_cidr_v6", p.pod_v6, false),
            ("service_cidr_v6", p.service_v6, false),
            ("node_subnet", p.node_subnet, false),
            ("external_pod_cidr", p.external, false),
        ];
        for (field, prefix, shared) in fields {
            if let Some(prefix) = prefix {
                out.push(Entry {
                    cluster: i,
                    field,
                    prefix,
                    shared,
                });
            }
        }
    }
    out
}

fn cluster_name<'a>(ctx: &'a Context<'_>, i: usize) -> &'a str {
    ctx.req.clusters.get(i).map_or("", |c| c.name.as_str())
}

fn describe(ctx: &Context<'_>, e: &Entry) -> String {
    format!(
        "cluster {} {} {}",
        cluster_name(ctx, e.cluster),
        e.field,
        e.prefix
    )
}

/// Kubernetes' own rules, which only pinned ranges can break.
fn rule_checks(ctx: &Context<'_>, draft: &Draft, out: &mut Vec<Warning>) {
    for (i, (placed, sizing)) in draft.clusters.iter().zip(&ctx.sizings).enumerate() {
        let name = cluster_name(ctx, i);
        let checks = [
            ("service_cidr", placed.service),
            ("service_cidr_v6", placed.service_v6),
        ];
        for (field, service) in checks {
            let Some(service) = service else { continue };
            if service.host_bits() > MAX_SERVICE_HOST_BITS {
                out.push(Warning {
                    code: "service_range_too_large",
                    message: format!(
                        "cluster {name} {field} {service} has {} host bits; the API server \
                         accepts at most {MAX_SERVICE_HOST_BITS} (IPv4 /12, IPv6 /108)",
                        service.host_bits()
                    ),
                });
            } else if block_size(service.family(), service.len()) < u128::from(sizing.services) {
                out.push(Warning {
                    code: "service_range_too_small",
                    message: format!(
                        "cluster {name} {field} {service} holds fewer than the {} services asked for",
                        sizing.services
                    ),
                });
            }
        }
        let pods = [
            ("pod_cidr", placed.pod, sizing.node_pod_mask),
            ("pod_cidr_v6", placed.pod_v6, sizing.node_pod_mask_v6),
        ];
        for (field, pod, mask) in pods {
            let (Some(pod), Some(mask)) = (pod, mask) else {
                continue;
            };
            if pod.len() > mask {
                out.push(Warning {
                    code: "pod_range_smaller_than_node_range",
                    message: format!(
                        "cluster {name} {field} {pod} is smaller than one per-node /{mask} range"
                    ),
                });
                continue;
            }
            let difference = mask - pod.len();
            if difference > MAX_NODE_MASK_DIFFERENCE {
                out.push(Warning {
                    code: "node_mask_difference_too_large",
                    message: format!(
                        "cluster {name} {field} {pod} with per-node /{mask} ranges is {difference} \
                         bits apart; the node IPAM allocator allows at most {MAX_NODE_MASK_DIFFERENCE}"
                    ),
                });
            } else if (1u64 << difference) < u64::from(sizing.max_nodes) {
                out.push(Warning {
                    code: "pod_range_too_small",
                    message: format!(
                        "cluster {name} {field} {pod} holds {} per-node /{mask} ranges, fewer than \
                         max_nodes {}",
                        1u64 << difference,
                        sizing.max_nodes
                    ),
                });
            }
        }
        if let Some(subnet) = placed.node_subnet {
            if block_size(subnet.family(), subnet.len()) < u128::from(sizing.node_subnet_addresses)
            {
                out.push(Warning {
                    code: "node_subnet_too_small",
                    message: format!(
                        "cluster {name} node_subnet {subnet} holds fewer than the {} addresses \
                         needed ({} nodes, {} surge, {} reserved by the platform)",
                        grouped(u128::from(sizing.node_subnet_addresses)),
                        sizing.max_nodes,
                        sizing.surge_nodes,
                        sizing.reserved_per_subnet
                    ),
                });
            }
        }
    }
}

/// Ranges the network must route that lie outside its pools.
fn outside_pools(ctx: &Context<'_>, draft: &Draft, entries: &[Entry], out: &mut Vec<Warning>) {
    let network = &ctx.req.network;
    let listed = [
        network.pools.as_slice(),
        &network.node_pools,
        &network.pod_pools,
        &network.service_pools,
    ];
    let pools = AddrSet::from_prefixes(&listed.concat());
    for e in entries {
        let routed = match e.field {
            "node_subnet" | "external_pod_cidr" | "pod_cidr_v6" => true,
            "pod_cidr" => draft.model == NetworkModel::Flat,
            _ => false,
        };
        if routed && !pools.contains_prefix(&e.prefix) {
            out.push(Warning {
                code: "outside_pools",
                message: format!(
                    "{} is not inside the network's pools ({}); the network must route it",
                    describe(ctx, e),
                    pool_list(ctx)
                ),
            });
        }
    }
}

fn pool_list(ctx: &Context<'_>) -> String {
    let v4 = ctx.pool_names(Family::V4);
    let v6 = ctx.pool_names(Family::V6);
    match (v4.is_empty(), v6.is_empty()) {
        (false, false) => format!("{v4}, {v6}"),
        (true, _) => v6,
        (false, true) => v4,
    }
}

/// Planned ranges against named allocations. A shared range is reported once per range,
/// not once per cluster reusing it.
fn allocation_checks(
    ctx: &Context<'_>,
    entries: &[Entry],
    index: &OverlapIndex,
    out: &mut Collisions,
) {
    let allocations = &ctx.req.network.allocations;
    for (e, repeat) in entries.iter().zip(shared_repeats(entries)) {
        if repeat {
            continue;
        }
        for a in index.overlapping(&e.prefix) {
            let Some(allocation) = allocations.get(a) else {
                continue;
            };
            if e.shared {
                if allocation.reachable {
                    out.push("shadows_reachable", || {
                        format!(
                            "shared {} {} shadows reachable allocation {} {}: pods cannot reach it",
                            e.field, e.prefix, allocation.name, allocation.cidr
                        )
                    });
                }
            } else {
                out.push("allocation_overlap", || {
                    format!(
                        "{} overlaps allocation {} {}",
                        describe(ctx, e),
                        allocation.name,
                        allocation.cidr
                    )
                });
            }
        }
    }
}

/// Planned ranges against each other, by a sweep over ranges sorted by first address.
fn cluster_checks(ctx: &Context<'_>, model: NetworkModel, entries: &[Entry], out: &mut Collisions) {
    let group_of = ctx.group_of();
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by_key(|&i| {
        let p = entries[i].prefix;
        (p.family(), p.first(), p.last(), i)
    });
    let mut active: Vec<usize> = Vec::new();
    for &i in &order {
        let e = &entries[i];
        active.retain(|&a| {
            let p = entries[a].prefix;
            p.family() == e.prefix.family() && p.last() >= e.prefix.first()
        });
        for &a in &active {
            let other = &entries[a];
            let (first, second) = if a < i { (other, e) } else { (e, other) };
            if first.cluster == second.cluster {
                let pair = (first.field, second.field);
                let code = match pair {
                    ("pod_cidr", "service_cidr") | ("pod_cidr_v6", "service_cidr_v6") => {
                        "service_in_pod_range"
                    }
                    _ => "range_overlap",
                };
                out.push(code, || {
                    format!(
                        "{} overlaps its {} {}",
                        describe(ctx, first),
                        second.field,
                        second.prefix
                    )
                });
                continue;
            }
            let same_group = group_of.get(first.cluster) == group_of.get(second.cluster);
            let intended = first.shared
                && second.shared
                && first.field == second.field
                && !(model == NetworkModel::Archipelago && first.field == "pod_cidr" && same_group);
            if !intended {
                out.push("cluster_overlap", || {
                    format!(
                        "{} overlaps {}",
                        describe(ctx, first),
                        describe(ctx, second)
                    )
                });
            }
        }
        active.push(i);
    }
}

/// Allocations and planned ranges against the vendor defaults. When a default covers a
/// whole pool (Cilium's 10.0.0.0/8 on a 10.0.0.0/8 network), one warning for the pool
/// replaces one per range inside it.
fn vendor_checks(ctx: &Context<'_>, entries: &[Entry], index: &OverlapIndex, out: &mut Collisions) {
    let allocations = &ctx.req.network.allocations;
    let repeats = shared_repeats(entries);
    for d in VENDOR_DEFAULTS {
        let covered: Vec<Prefix> = ctx
            .req
            .network
            .pools
            .iter()
            .copied()
            .filter(|pool| d.prefix.contains(pool))
            .collect();
        for pool in &covered {
            out.push("vendor_default_overlap", || {
                format!(
                    "network pool {pool} lies inside the {} {}: configure that range explicitly \
                     wherever the product is used",
                    d.what, d.prefix
                )
            });
        }
        let in_covered = |p: &Prefix| covered.iter().any(|pool| pool.contains(p));
        for a in index.overlapping(&d.prefix) {
            let Some(allocation) = allocations.get(a) else {
                continue;
            };
            if in_covered(&allocation.cidr) {
                continue;
            }
            out.push("vendor_default_overlap", || {
                format!(
                    "allocation {} {} overlaps the {} {}",
                    allocation.name, allocation.cidr, d.what, d.prefix
                )
            });
        }
        // Whether an entry is reported depends on its prefix alone, so the first of equal
        // shared entries is the one reported.
        for (e, &repeat) in entries.iter().zip(&repeats) {
            if !e.prefix.overlaps(&d.prefix) || in_covered(&e.prefix) {
                continue;
            }
            if e.shared {
                if repeat {
                    continue;
                }
                out.push("vendor_default_overlap", || {
                    format!(
                        "shared {} {} overlaps the {} {}",
                        e.field, e.prefix, d.what, d.prefix
                    )
                });
            } else {
                out.push("vendor_default_overlap", || {
                    format!("{} overlaps the {} {}", describe(ctx, e), d.what, d.prefix)
                });
            }
        }
    }
}
