//! Growth without moving: a kept cluster that needs more room than a range gives gets the
//! aligned block around the range when it is free, or else a second pod range; and how far
//! each cluster can still grow in place (headroom).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::context::Context;
use super::draft::PlacedRanges;
use super::lock::{second_range_limits, Growth, CARRY_SECOND_RANGE};
use super::model::NetworkModel;
use super::sizing::cluster_pod_len;
use super::space::OverlapIndex;
use crate::prefix::host_mask;
use crate::{AddrSet, Family, Prefix};

/// What a range is, for the question "is this block free for cluster `owner`?".
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A pod range that models other than flat share among clusters (IPv4 only).
    SharedPod,
    /// A service range those models share.
    SharedService,
    /// Anything else: unique to its cluster.
    Unique,
    /// A block kept free for a cluster's growth.
    Reserve,
}

/// Every planned range with its owner, to ask whether a block around a range is free.
pub(crate) struct Occupancy<'c> {
    ctx: &'c Context<'c>,
    pools: [AddrSet; 2],
    ranges: Vec<(Prefix, usize, Kind)>,
    index: OverlapIndex,
    /// Ranges grown since the index was built: few, scanned.
    grown: Vec<(Prefix, usize, Kind)>,
    /// Retained clusters' ranges: nobody's to grow into.
    retained: AddrSet,
}

impl<'c> Occupancy<'c> {
    pub(crate) fn new(
        ctx: &'c Context<'c>,
        model: NetworkModel,
        placed: &[PlacedRanges],
        retained: AddrSet,
    ) -> Self {
        let shared = model.reuses_pod_range();
        let mut ranges = Vec::new();
        for (i, p) in placed.iter().enumerate() {
            let kinds = [
                (
                    p.pod,
                    if shared {
                        Kind::SharedPod
                    } else {
                        Kind::Unique
                    },
                ),
                (
                    p.service,
                    if shared {
                        Kind::SharedService
                    } else {
                        Kind::Unique
                    },
                ),
                (p.pod_v6, Kind::Unique),
                (p.service_v6, Kind::Unique),
                (p.node_subnet, Kind::Unique),
                (p.external, Kind::Unique),
            ];
            for (range, kind) in kinds {
                if let Some(range) = range {
                    ranges.push((range, i, kind));
                }
            }
            for &range in &p.extra_pods {
                ranges.push((range, i, Kind::Unique));
            }
            for &range in &p.reserves {
                ranges.push((range, i, Kind::Reserve));
            }
        }
        let index = OverlapIndex::new(ranges.iter().map(|(p, _, _)| p));
        Occupancy {
            ctx,
            // Pools per kind: a range grows inside the space of any kind.
            pools: [ctx.any_space(Family::V4), ctx.any_space(Family::V6)],
            ranges,
            index,
            grown: Vec::new(),
            retained,
        }
    }

    /// Why `block` is not free for cluster `owner` to grow `growing` into, or `None` when
    /// it is: only the range itself and the owner's reserves may lie in it (and, for a
    /// shared pod range, the other clusters' shares of it).
    fn blocker(
        &self,
        block: &Prefix,
        growing: Prefix,
        owner: usize,
        shared_pod: bool,
    ) -> Option<String> {
        let pools = &self.pools[usize::from(block.family() == Family::V6)];
        let in_pools = pools.contains_prefix(block)
            || (shared_pod && self.ctx.req.requirements.allow_non_rfc1918 && {
                super::draft::NON_RFC1918_ISLAND_SPACE
                    .iter()
                    .filter_map(|&(first, len)| Prefix::new(Family::V4, first, len).ok())
                    .any(|space| space.contains(block))
            });
        if !in_pools {
            return Some(format!("{block} is not inside the pools"));
        }
        // A shared pod range may shadow allocations pods need not reach.
        let allocations = if shared_pod {
            &self.ctx.reachable
        } else {
            &self.ctx.allocated
        };
        if allocations.overlaps_prefix(block) {
            return Some(format!("{block} overlaps an allocation"));
        }
        if self.retained.overlaps_prefix(block) {
            return Some(format!(
                "{block} overlaps a retained cluster's ranges (release it to free them)"
            ));
        }
        let in_way = |&(range, other, kind): &(Prefix, usize, Kind)| {
            let own = other == owner && (range == growing || kind == Kind::Reserve);
            !(own || (shared_pod && kind == Kind::SharedPod)) && range.overlaps(block)
        };
        let hit = self
            .index
            .overlapping(block)
            .into_iter()
            .filter_map(|k| self.ranges.get(k))
            .find(|r| in_way(r))
            .or_else(|| self.grown.iter().find(|r| in_way(r)));
        hit.map(|&(range, other, _)| {
            if other == owner {
                return format!("its own range {range} lies in {block}");
            }
            let name = self
                .ctx
                .req
                .clusters
                .get(other)
                .map_or("", |c| c.name.as_str());
            format!("cluster {} holds {range}", crate::text::quoted(name))
        })
    }

    /// The smallest aligned block holding `range` with `len` bits, if free for `owner`.
    fn grow(
        &self,
        range: Prefix,
        len: u8,
        owner: usize,
        shared_pod: bool,
    ) -> Result<Prefix, String> {
        let family = range.family();
        let first = range.first() & !host_mask(family, len);
        let block = Prefix::new(family, first, len).map_err(|e| format!("{e}"))?;
        match self.blocker(&block, range, owner, shared_pod) {
            Some(why) => Err(why),
            None => Ok(block),
        }
    }

    /// The largest block holding `range` that is free for `owner`, at most 16 bits larger.
    pub(crate) fn largest_free(&self, range: Prefix, owner: usize, shared_pod: bool) -> Prefix {
        let mut best = range;
        for len in (range.len().saturating_sub(16)..range.len()).rev() {
            match self.grow(range, len, owner, shared_pod) {
                Ok(block) => best = block,
                Err(_) => break,
            }
        }
        best
    }
}

/// The ranges of retained clusters that block others: all of them, but in models that
/// share ranges their shared pod and service ranges stay shared.
pub(crate) fn retained_set(ctx: &Context<'_>, model: NetworkModel) -> AddrSet {
    let mut retained = Vec::new();
    for c in &ctx.lock.retained {
        for (field, range) in c.ranges() {
            let shared = model.reuses_pod_range()
                && range.family() == Family::V4
                && matches!(field, "pod_cidr" | "service_cidr");
            if !shared {
                retained.push(range);
            }
        }
    }
    AddrSet::from_prefixes(&retained)
}

/// Nodes a cluster's ranges hold once grown in place as far as the free space around
/// them allows (its reserves included): the pod ranges' per-node ranges and the node
/// subnet's addresses, whichever is fewer.
pub(crate) fn in_place_nodes(
    occupancy: &Occupancy<'_>,
    model: NetworkModel,
    i: usize,
    p: &PlacedRanges,
    sizing: &super::sizing::ClusterSizing,
) -> u64 {
    let mut limits = Vec::new();
    let pods = [
        (p.pod, sizing.node_pod_mask, model.reuses_pod_range()),
        (p.pod_v6, sizing.node_pod_mask_v6, false),
    ];
    for (pod, mask, shared) in pods {
        let (Some(pod), Some(mask)) = (pod, mask) else {
            continue;
        };
        // The allocator spans at most 16 bits: the range grows no further than that.
        let floor = mask.saturating_sub(16);
        let grown = occupancy.largest_free(pod, i, shared);
        let grown = if grown.len() < floor {
            Prefix::new(
                pod.family(),
                pod.first() & !host_mask(pod.family(), floor),
                floor,
            )
            .unwrap_or(grown)
        } else {
            grown
        };
        let extras = p
            .extra_pods
            .iter()
            .copied()
            .filter(|e| e.family() == pod.family());
        limits.push(node_capacity(mask, core::iter::once(grown).chain(extras)));
    }
    if let Some(subnet) = p.node_subnet {
        let grown = occupancy.largest_free(subnet, i, false);
        let size = super::space::block_size(grown.family(), grown.len());
        let overhead = u128::from(sizing.surge_nodes) + u128::from(sizing.reserved_per_subnet);
        limits.push(u64::try_from(size.saturating_sub(overhead)).unwrap_or(u64::MAX));
    }
    limits
        .into_iter()
        .min()
        .unwrap_or(0)
        .min(super::headroom::HEADROOM_CAP)
}

/// Nodes a list of pod ranges of per-node `mask` holds, saturating.
pub(crate) fn node_capacity(mask: u8, ranges: impl IntoIterator<Item = Prefix>) -> u64 {
    ranges.into_iter().fold(0u64, |sum, r| {
        let bits = u32::from(mask.saturating_sub(r.len()));
        sum.saturating_add(1u64.checked_shl(bits).unwrap_or(u64::MAX))
    })
}

/// A second pod range a kept cluster needs: (cluster, family, length); the carve places it.
pub(crate) type PendingExtra = (usize, Family, u8);

/// Grows every kept cluster that needs more room, in cluster order; returns the second
/// pod ranges to carve. Growth notes go to each cluster's `growth`.
pub(crate) fn grow_kept(
    ctx: &Context<'_>,
    model: NetworkModel,
    placed: &mut [PlacedRanges],
    retained: &AddrSet,
) -> Vec<PendingExtra> {
    let mut pending = Vec::new();
    let needs_growth = ctx.lock.kept.iter().enumerate().any(|(i, kept)| {
        kept.is_some()
            && placed
                .get(i)
                .is_some_and(|p| short(ctx, p, i).next().is_some())
    });
    if !needs_growth {
        return pending;
    }
    // What was placed before any growth; each growth is added to it as it happens.
    let mut occupancy = Occupancy::new(ctx, model, placed, retained.clone());
    for (i, slot) in placed.iter_mut().enumerate() {
        if ctx.lock.kept.get(i).is_none_or(Option::is_none) {
            continue;
        }
        let wants: Vec<Short> = short(ctx, slot, i).collect();
        for need in wants {
            let shared_pod = need.field == "pod_cidr" && model.reuses_pod_range();
            let grown = occupancy.grow(need.range, need.len, i, shared_pod);
            // Mapped: the external range grows with the pod range, 1:1.
            let external = match (model, need.field, slot.external, &grown) {
                (NetworkModel::Mapped, "pod_cidr", Some(ext), Ok(_)) => {
                    Some(occupancy.grow(ext, need.len, i, false))
                }
                _ => None,
            };
            let outcome = match (grown, external) {
                (Ok(block), None) => Ok((block, None)),
                (Ok(block), Some(Ok(ext))) => Ok((block, Some(ext))),
                (Ok(_), Some(Err(why))) => Err(format!("its external range cannot grow: {why}")),
                (Err(why), _) => Err(why),
            };
            match outcome {
                Ok((block, ext)) => {
                    match need.field {
                        "pod_cidr" => slot.pod = Some(block),
                        "pod_cidr_v6" => slot.pod_v6 = Some(block),
                        _ => slot.node_subnet = Some(block),
                    }
                    if need.field != "node_subnet" {
                        add_grown_parts(&mut slot.pod_parts, need.range, block);
                    }
                    let kind = if shared_pod {
                        Kind::SharedPod
                    } else {
                        Kind::Unique
                    };
                    occupancy.grown.push((block, i, kind));
                    if let Some(ext) = ext {
                        slot.external = Some(ext);
                        occupancy.grown.push((ext, i, Kind::Unique));
                    }
                    slot.growth.push(Growth {
                        range: need.field,
                        how: "in_place",
                        from: need.range,
                        to: Some(block),
                        reason: format!(
                            "{} needs a /{} ({}); the aligned block {block} around {} was free, \
                             so the range grew in place and every node keeps its range",
                            need.field, need.len, need.why, need.range
                        ),
                        carried_by: Vec::new(),
                        limits: Vec::new(),
                    });
                }
                Err(why) => {
                    let unique_pod = need.field == "pod_cidr_v6"
                        || (need.field == "pod_cidr" && !model.reuses_pod_range());
                    if let (true, Some(mask)) = (unique_pod, need.mask) {
                        let held = node_capacity(mask, slot.pods_of(need.range.family()));
                        let missing = u32::try_from(u64::from(need.max_nodes).saturating_sub(held))
                            .unwrap_or(u32::MAX);
                        let len = cluster_pod_len(mask, missing).unwrap_or(mask.saturating_sub(16));
                        pending.push((i, need.range.family(), len));
                        slot.growth.push(Growth {
                            range: need.field,
                            how: "second_range",
                            from: need.range,
                            to: None,
                            reason: format!(
                                "{} needs a /{} ({}) but cannot grow in place: {why}; a second \
                                 pod range of /{len} holds the {missing} more nodes",
                                need.field, need.len, need.why
                            ),
                            carried_by: CARRY_SECOND_RANGE.to_vec(),
                            limits: second_range_limits(),
                        });
                    } else {
                        let what = if need.field == "node_subnet" {
                            "a cluster's nodes take one subnet here; add a subnet to the \
                             nodes' network by hand, or release the cluster to plan it anew"
                        } else {
                            "a shared pod range takes no second range; release the cluster \
                             to plan it anew"
                        };
                        slot.growth.push(Growth {
                            range: need.field,
                            how: "none",
                            from: need.range,
                            to: None,
                            reason: format!(
                                "{} needs a /{} ({}) but cannot grow in place: {why}; {what}",
                                need.field, need.len, need.why
                            ),
                            carried_by: Vec::new(),
                            limits: Vec::new(),
                        });
                    }
                }
            }
        }
    }
    pending
}

/// A kept range too small for the cluster's request.
struct Short {
    field: &'static str,
    range: Prefix,
    /// The length it needs.
    len: u8,
    /// The per-node mask, for pod ranges.
    mask: Option<u8>,
    max_nodes: u32,
    why: String,
}

fn short<'p>(ctx: &Context<'_>, p: &'p PlacedRanges, i: usize) -> impl Iterator<Item = Short> + 'p {
    let sizing = ctx.sizings.get(i).cloned();
    let mut out = Vec::new();
    if let Some(s) = sizing {
        let pods = [
            ("pod_cidr", p.pod, s.node_pod_mask),
            ("pod_cidr_v6", p.pod_v6, s.node_pod_mask_v6),
        ];
        for (field, pod, mask) in pods {
            let (Some(pod), Some(mask)) = (pod, mask) else {
                continue;
            };
            // An IPv6-only cluster's pod range is its `pod_cidr` on the wire; here it is
            // the IPv6 pod range either way.
            let held = node_capacity(mask, p.pods_of(pod.family()));
            if held >= u64::from(s.max_nodes) {
                continue;
            }
            let others = held.saturating_sub(node_capacity(mask, [pod]));
            let missing =
                u32::try_from(u64::from(s.max_nodes).saturating_sub(others)).unwrap_or(u32::MAX);
            let len = cluster_pod_len(mask, missing).unwrap_or(mask.saturating_sub(16));
            if len < pod.len() {
                out.push(Short {
                    field,
                    range: pod,
                    len,
                    mask: Some(mask),
                    max_nodes: s.max_nodes,
                    why: format!(
                        "max_nodes {} of per-node /{mask} ranges; it holds {held}",
                        s.max_nodes
                    ),
                });
            }
        }
        if let Some(subnet) = p.node_subnet {
            if s.node_subnet_len < subnet.len() && subnet.family() == s.node_family {
                out.push(Short {
                    field: "node_subnet",
                    range: subnet,
                    len: s.node_subnet_len,
                    mask: None,
                    max_nodes: s.max_nodes,
                    why: format!(
                        "{} addresses for max_nodes {}, surge and reserved addresses",
                        s.node_subnet_addresses, s.max_nodes
                    ),
                });
            }
        }
    }
    out.into_iter()
}

/// Records a pod range that grew in place from `from` to `to` in `parts` (the deployed
/// pieces, see `ClusterPlan::pod_cidr_parts`): `from` stays a piece of its own (itself, or
/// the pieces already listed for its family), and the blocks of `to` around it follow.
fn add_grown_parts(parts: &mut Vec<Prefix>, from: Prefix, to: Prefix) {
    if !parts.iter().any(|p| p.family() == from.family()) {
        parts.push(from);
    }
    let added =
        crate::AddrSet::from_prefixes(&[to]).difference(&crate::AddrSet::from_prefixes(&[from]));
    parts.extend(added.to_prefixes());
}
