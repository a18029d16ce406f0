//! Who reaches whom, and how: the model's rules applied to the planned ranges.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::context::Context;
use super::datapath::{Datapath, Landmarks};
use super::draft::Draft;
use super::model::NetworkModel;
use super::space::OverlapIndex;
use crate::{Family, Prefix};

/// How traffic gets from one side to the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum How {
    /// Routed as is: the destination sees the pod's own IP.
    Direct,
    /// Source NAT to the node's IP (masquerade).
    Snat,
    /// Only through a gateway: load balancer VIP to NodePort, L4 into an L7 proxy
    /// (Ingress), or a proxy with a leg on the island.
    Gateway,
    /// Through the node's 1:1 mapping between internal and external pod ranges.
    Nat,
    /// Not at all: shadowed by a reused range, or the model forbids it.
    None,
}

impl How {
    /// The wire name (`"direct"`, `"snat"`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            How::Direct => "direct",
            How::Snat => "snat",
            How::Gateway => "gateway",
            How::Nat => "nat",
            How::None => "none",
        }
    }
}

/// One cell of the reachability matrix.
///
/// Sides are `pod:<cluster>`, `network` (everything routed that is not listed),
/// `internet` (everything outside the pools) and `allocation:<name>`. Rows for allocations are listed for those marked reachable and for
/// those a cluster's ranges shadow, pods to allocation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Reach {
    /// Where traffic starts.
    pub from: String,
    /// Where it goes.
    pub to: String,
    /// How it gets there.
    pub how: How,
    /// The family of the addresses the row is about.
    pub family: Family,
}

/// Most `pod:<cluster>` to `allocation:<name>` rows a plan lists; the rest are counted in a
/// `reachability_truncated` warning. Clusters times reachable allocations can be large.
pub const MAX_ALLOCATION_ROWS: usize = 100_000;

/// Builds the matrix from each cluster's decisions (`datapaths[i]`, one per family):
/// pods to the network, the internet and back, pods to pods of every other cluster, and
/// pods to each allocation that is reachable or shadowed, IPv4 rows before IPv6 rows of
/// each cluster. Returns the rows and how many allocation rows were left out past
/// [`MAX_ALLOCATION_ROWS`].
pub(crate) fn matrix(
    ctx: &Context<'_>,
    draft: &Draft,
    index: &OverlapIndex,
    datapaths: &[Vec<Datapath>],
    landmarks: &Landmarks,
) -> (Vec<Reach>, usize) {
    let allocations = &ctx.req.network.allocations;
    let pods: Vec<String> = ctx
        .req
        .clusters
        .iter()
        .map(|c| format!("pod:{}", c.name))
        .collect();
    let reachable: Vec<usize> = (0..allocations.len())
        .filter(|&a| allocations.get(a).is_some_and(|x| x.reachable))
        .collect();
    // Reachable allocations per family (IPv4, IPv6).
    let mut reachable_of = [0usize; 2];
    for &a in &reachable {
        if let Some(x) = allocations.get(a) {
            reachable_of[usize::from(x.cidr.family() == Family::V6)] += 1;
        }
    }
    let group_of = ctx.group_of();
    let everyone: Vec<usize> = (0..draft.clusters.len()).collect();
    let collisions = [Family::V4, Family::V6].map(|f| pod_collisions(datapaths, f));
    let mut out = Vec::new();
    let mut allocation_rows = 0usize;
    let mut dropped = 0usize;
    for ((i, placed), pod) in draft.clusters.iter().enumerate().zip(&pods) {
        let Some(mine) = datapaths.get(i) else {
            continue;
        };
        for dp in mine {
            let family = dp.family;
            let at = usize::from(family == Family::V6);
            let (network, internet) = (landmarks.network(family), landmarks.internet(family));
            // The clusters whose pods this one reaches by their own addresses: itself, and
            // every cluster (flat; IPv6) or its group (archipelago) unless isolated.
            let domain: &[usize] = if dp.allowed_egress.is_some() {
                core::slice::from_ref(&i)
            } else {
                match (draft.model, family) {
                    (NetworkModel::Flat, _) | (_, Family::V6) => &everyone,
                    (NetworkModel::Archipelago, _) => group_of
                        .get(i)
                        .and_then(|&g| ctx.groups.get(g))
                        .map_or(core::slice::from_ref(&i), |(_, members)| members),
                    _ => core::slice::from_ref(&i),
                }
            };
            let pod_range = |k: usize| {
                datapaths
                    .get(k)
                    .and_then(|d| d.iter().find(|d| d.family == family))
                    .map(|d| d.pod_cidr)
            };
            let mut row = |from: &str, to: &str, how: How| {
                out.push(Reach {
                    from: String::from(from),
                    to: String::from(to),
                    how,
                    family,
                });
            };
            if let Some(address) = network {
                row(pod, "network", dp.egress_to(address));
            }
            row("network", pod, dp.ingress);
            if let Some(address) = internet {
                row(pod, "internet", dp.egress_to(address));
            }
            for (j, other) in pods.iter().enumerate() {
                if i == j {
                    continue;
                }
                let Some(theirs) = datapaths
                    .get(j)
                    .and_then(|d| d.iter().find(|d| d.family == family))
                else {
                    continue;
                };
                // Another cluster this one reaches directly holds (part of) j's range: the
                // traffic goes there instead. Walk the shorter of the two lists.
                let holders = collisions[at].get(j).map_or(&[][..], Vec::as_slice);
                let shadowed = if holders.len() <= domain.len() {
                    holders.iter().any(|k| *k == i || domain.contains(k))
                } else {
                    domain.iter().chain([&i]).any(|&k| {
                        k != j && pod_range(k).is_some_and(|p| p.overlaps(&theirs.pod_cidr))
                    })
                };
                row(pod, other, pod_to_pod(dp, theirs, shadowed));
            }
            // Allocations inside this cluster's own pod or service ranges are shadowed: the
            // pods' traffic to them stays inside the cluster.
            let own = match family {
                Family::V4 => [placed.pod, placed.service],
                Family::V6 => [placed.pod_v6, placed.service_v6],
            };
            let mut shadowed: Vec<usize> = own
                .into_iter()
                .flatten()
                .flat_map(|r| index.overlapping(&r))
                .collect();
            shadowed.sort_unstable();
            shadowed.dedup();
            // The rows this family's pods have: reachable allocations and shadowed ones.
            let rows = reachable_of[at]
                + shadowed
                    .iter()
                    .filter(|&&a| {
                        allocations
                            .get(a)
                            .is_some_and(|x| !x.reachable && x.cidr.family() == family)
                    })
                    .count();
            let mut listed = 0usize;
            // Both lists ascend: merged, not sorted again per cluster (10^6 allocations).
            // Past the cap the rest are counted, not walked.
            for a in union_ascending(&reachable, &shadowed) {
                if allocation_rows >= MAX_ALLOCATION_ROWS {
                    break;
                }
                let Some(allocation) = allocations.get(a).filter(|x| x.cidr.family() == family)
                else {
                    continue;
                };
                listed += 1;
                allocation_rows += 1;
                let how = if shadowed.binary_search(&a).is_ok() {
                    How::None
                } else {
                    dp.egress_to(allocation.cidr.first())
                };
                out.push(Reach {
                    from: pod.clone(),
                    to: format!("allocation:{}", allocation.name),
                    how,
                    family,
                });
            }
            dropped += rows - listed;
        }
    }
    (out, dropped)
}

/// The union of two ascending lists without repeats, ascending.
fn union_ascending<'a>(a: &'a [usize], b: &'a [usize]) -> impl Iterator<Item = usize> + 'a {
    let (mut i, mut j) = (0, 0);
    core::iter::from_fn(move || {
        let next = match (a.get(i), b.get(j)) {
            (Some(&x), Some(&y)) => x.min(y),
            (Some(&x), None) => x,
            (None, Some(&y)) => y,
            (None, None) => return None,
        };
        while a.get(i) == Some(&next) {
            i += 1;
        }
        while b.get(j) == Some(&next) {
            j += 1;
        }
        Some(next)
    })
}

/// How pods of `from` reach pods of `to` (same family). Pods whose source is kept toward
/// the other range reach it directly (flat; a group of an archipelago); otherwise the
/// other cluster's ingress decides (its gateway, its mapping), provided `from` may leave
/// at all. A range `shadowed` by a cluster `from` reaches directly (its own pod range, a
/// group peer's) is never reached directly: the traffic goes to that cluster.
fn pod_to_pod(from: &Datapath, to: &Datapath, shadowed: bool) -> How {
    let overlap = shadowed;
    if !overlap {
        match from.egress_to(to.pod_cidr.first()) {
            How::Direct => return How::Direct,
            How::None => return How::None,
            _ => {}
        }
    }
    match to.ingress {
        How::Gateway if from.allowed_egress.is_none() => How::Gateway,
        How::Nat => match to.external_pod_cidr {
            Some(external) if from.egress_to(external.first()) != How::None => How::Nat,
            _ => How::None,
        },
        How::Direct if !overlap => from.egress_to(to.pod_cidr.first()),
        _ => How::None,
    }
}

/// For each cluster, the other clusters whose pod range of `family` overlaps its own, by
/// a sweep over the ranges sorted by first address.
fn pod_collisions(datapaths: &[Vec<Datapath>], family: Family) -> Vec<Vec<usize>> {
    let mut ranges: Vec<(Prefix, usize)> = datapaths
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            d.iter()
                .find(|d| d.family == family)
                .map(|d| (d.pod_cidr, i))
        })
        .collect();
    ranges.sort_by_key(|&(p, i)| (p.first(), p.last(), i));
    let mut out = alloc::vec![Vec::new(); datapaths.len()];
    let mut active: Vec<(Prefix, usize)> = Vec::new();
    for &(range, i) in &ranges {
        active.retain(|(p, _)| p.last() >= range.first());
        for &(_, k) in &active {
            if let Some(list) = out.get_mut(i) {
                list.push(k);
            }
            if let Some(list) = out.get_mut(k) {
                list.push(i);
            }
        }
        active.push((range, i));
    }
    out
}
