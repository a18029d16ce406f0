//! Placing every cluster's ranges for one network model: the shared ranges (holes) first,
//! then one first-fit carve of the unique ranges around allocations, pins and holes.
//!
//! First-fit keeps ranges in address order, the way operators number clusters (the talk's
//! 10.0.0.0/16, 10.1.0.0/16, ...), and is deterministic.

use crate::text::quoted;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::avoid::first_fit_avoiding;
use super::context::Context;
use super::grow::{grow_kept, PendingExtra};
use super::lint::Warning;
use super::lock::Growth;
use super::model::NetworkModel;
use super::request::{Layout, RangeKind};
use super::space::{block_size, grouped, lowest_block};
use crate::{carve, AddrSet, CarveInput, CarveRequest, Error, Family, Prefix, RequestSize};
use crate::{Result, Strategy};

/// Where the non-RFC 1918 island ranges come from, in order of preference: RFC 6598 shared
/// address space, then the class E block.
pub const NON_RFC1918_ISLAND_SPACE: [(u128, u8); 2] = [(0x6440_0000, 10), (0xF000_0000, 4)];

/// One cluster's ranges as placed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PlacedRanges {
    pub(crate) pod: Option<Prefix>,
    pub(crate) service: Option<Prefix>,
    pub(crate) pod_v6: Option<Prefix>,
    pub(crate) service_v6: Option<Prefix>,
    pub(crate) node_subnet: Option<Prefix>,
    pub(crate) external: Option<Prefix>,
    /// Further pod ranges (either family) of a cluster that outgrew its pod range.
    pub(crate) extra_pods: Vec<Prefix>,
    /// The pod ranges as deployed pieces, once one grew in place (`pod_cidr_parts`).
    pub(crate) pod_parts: Vec<Prefix>,
    /// Blocks kept free around the cluster's ranges for growth in place.
    pub(crate) reserves: Vec<Prefix>,
    /// What a re-plan did to the cluster's ranges that were too small.
    pub(crate) growth: Vec<Growth>,
    /// Pods take addresses from the node subnet: `pod` is the node subnet itself.
    pub(crate) pods_in_node_subnet: bool,
}

impl PlacedRanges {
    /// The pod ranges of `family`: the pod range, then the extra ones.
    pub(crate) fn pods_of(&self, family: Family) -> impl Iterator<Item = Prefix> + '_ {
        let main = match family {
            Family::V4 => self.pod,
            Family::V6 => self.pod_v6,
        };
        main.into_iter().chain(
            self.extra_pods
                .iter()
                .copied()
                .filter(move |p| p.family() == family),
        )
    }

    /// Every range the cluster holds, reserves included.
    pub(crate) fn all_ranges(&self) -> impl Iterator<Item = Prefix> + '_ {
        [
            self.pod,
            self.service,
            self.pod_v6,
            self.service_v6,
            self.node_subnet,
            self.external,
        ]
        .into_iter()
        .flatten()
        .chain(self.extra_pods.iter().copied())
        .chain(self.reserves.iter().copied())
    }
}

/// Every cluster's ranges for one model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Draft {
    pub(crate) model: NetworkModel,
    pub(crate) clusters: Vec<PlacedRanges>,
    /// Growth reserves that did not fit (then the ranges were placed without them).
    pub(crate) warnings: Vec<Warning>,
    /// Archipelago: the IPv4 range every group's pod ranges share (each group is flat
    /// inside it).
    pub(crate) group_range: Option<Prefix>,
}

/// Places every range of `model`; `Error::Infeasible` when the space does not allow it.
///
/// Kept clusters (the context's lock) start with every range of the previous plan, grow
/// first (in place, else a second pod range), and new ranges are carved around them and
/// around retained clusters.
pub(crate) fn draft(ctx: &Context<'_>, model: NetworkModel) -> Result<Draft> {
    super::cloud::check_model(ctx, model)?;
    let specs = &ctx.req.clusters;
    let mut placed: Vec<PlacedRanges> = specs
        .iter()
        .enumerate()
        .map(
            |(i, c)| match ctx.lock.kept.get(i).and_then(Option::as_ref) {
                Some(k) => PlacedRanges {
                    pod: k.pod_v4(),
                    service: k.service_v4(),
                    pod_v6: k.pod_v6(),
                    service_v6: k.service_v6(),
                    node_subnet: Some(k.node_subnet),
                    external: k.external_pod_cidr,
                    extra_pods: k.extra_pod_cidrs.clone(),
                    pod_parts: k.pod_cidr_parts.clone(),
                    reserves: k.growth_reserve.clone(),
                    growth: Vec::new(),
                    pods_in_node_subnet: false,
                },
                None => PlacedRanges {
                    pod: c.pod_cidr,
                    service: c.service_cidr,
                    pod_v6: c.pod_cidr_v6,
                    service_v6: c.service_cidr_v6,
                    node_subnet: c.node_subnet,
                    ..PlacedRanges::default()
                },
            },
        )
        .collect();
    let retained = super::grow::retained_set(ctx, model);
    let pending = grow_kept(ctx, model, &mut placed, &retained);
    let mut holes = retained;
    let mut warnings = Vec::new();
    // A kept cluster keeps its per-node masks: more pods per node than a node's range holds
    // twice over cannot be given to running nodes.
    for (i, kept) in ctx.lock.kept.iter().enumerate() {
        let (Some(kept), Some(sizing)) = (kept, ctx.sizings.get(i)) else {
            continue;
        };
        if sizing.pods_in_node_subnet {
            continue; // no per-node range: each pod takes one node-subnet address
        }
        let masks = [
            (Family::V4, sizing.node_pod_mask),
            (Family::V6, sizing.node_pod_mask_v6),
        ];
        for (family, kept_mask) in masks {
            let wanted = super::sizing::node_pod_mask(family, sizing.max_pods_per_node);
            if let (Some(kept_mask), Some(wanted)) = (kept_mask, wanted) {
                if wanted < kept_mask {
                    warnings.push(Warning {
                        code: "node_pod_mask_kept",
                        message: format!(
                            "cluster {}: max_pods_per_node {} wants per-node /{wanted} ranges; \
                             its nodes keep /{kept_mask} (a running node's range cannot change), \
                             so each node holds {} pod addresses; release the cluster to plan \
                             it anew",
                            quoted(&kept.name),
                            sizing.max_pods_per_node,
                            grouped(block_size(family, kept_mask))
                        ),
                    });
                }
            }
        }
    }

    // Unique ranges go before the shared service range so that, as in the talk's mapped
    // example, external ranges follow the shared pod range directly (10.0.0.0/16 inside,
    // 10.1.0.0/16 outside).
    let mut group_range = None;
    if model.reuses_pod_range() {
        group_range = place_shared_pods(ctx, model, &mut placed, &mut holes, &mut warnings)?;
    }
    carve_unique(
        ctx,
        model,
        Family::V4,
        &mut placed,
        &holes,
        &pending,
        &mut warnings,
    )?;
    if model.reuses_pod_range() {
        place_shared_services(ctx, model, &mut placed, &mut holes, &mut warnings)?;
    }
    carve_unique(
        ctx,
        model,
        Family::V6,
        &mut placed,
        &holes,
        &pending,
        &mut warnings,
    )?;
    // With the VPC CNI or flat Azure CNI the node subnet is the pod range.
    for (slot, sizing) in placed.iter_mut().zip(&ctx.sizings) {
        if sizing.pods_in_node_subnet && (slot.pod.is_none() || slot.pod == slot.node_subnet) {
            slot.pod = slot.node_subnet;
            slot.pods_in_node_subnet = true;
        }
    }
    Ok(Draft {
        model,
        clusters: placed,
        warnings,
        group_range,
    })
}

/// The shared IPv4 range of `pick` (pod or service) that kept and retained clusters
/// already use: the largest, lowest first.
fn kept_shared(
    ctx: &Context<'_>,
    pick: fn(&super::lock::LockedCluster) -> Option<Prefix>,
) -> Option<Prefix> {
    ctx.lock
        .kept
        .iter()
        .flatten()
        .chain(&ctx.lock.retained)
        .filter_map(pick)
        .min_by_key(|p| (p.len(), p.first()))
}

/// The shared range new members of length `len` reuse: the kept one, grown to the
/// aligned block holding it when a new member needs more (when that block is free).
fn reuse_kept(
    ctx: &Context<'_>,
    model: NetworkModel,
    kept: Prefix,
    len: u8,
    placed: &[PlacedRanges],
    taken: &AddrSet,
    what: &str,
) -> Result<Prefix> {
    if len >= kept.len() {
        return Ok(kept);
    }
    let first = kept.first() & !crate::prefix::host_mask(Family::V4, len);
    let block = Prefix::new(Family::V4, first, len)?;
    let shared_here = |p: &PlacedRanges| match what {
        "pod range" => [p.pod, None],
        _ => [p.service, None],
    };
    let in_way = placed.iter().flat_map(|p| {
        let mine = shared_here(p);
        p.all_ranges().filter(move |r| !mine.contains(&Some(*r)))
    });
    let blocked = ctx.reachable.overlaps_prefix(&block)
        || taken.overlaps_prefix(&block)
        || in_way.into_iter().any(|r| r.overlaps(&block));
    if blocked {
        return Err(Error::Infeasible {
            model: model.as_str().into(),
            reason: format!(
                "the kept shared {what} {kept} cannot grow to the /{len} a new cluster needs: \
                 {block} is not free; release the kept clusters to plan the range anew"
            ),
        });
    }
    Ok(block)
}

/// Island, isolated and mapped share one pod range sized for the largest cluster;
/// archipelago shares one range sized for the largest group, flat inside each group.
fn place_shared_pods(
    ctx: &Context<'_>,
    model: NetworkModel,
    placed: &mut [PlacedRanges],
    holes: &mut AddrSet,
    warnings: &mut Vec<Warning>,
) -> Result<Option<Prefix>> {
    let wanted: Vec<bool> = placed
        .iter()
        .zip(&ctx.sizings)
        .map(|(p, s)| p.pod.is_none() && s.pod_len.is_some() && !s.pods_in_node_subnet)
        .collect();
    let wants = |i: usize| wanted.get(i).copied().unwrap_or(false);
    if model != NetworkModel::Archipelago {
        let members: Vec<usize> = (0..placed.len()).filter(|&i| wants(i)).collect();
        let Some(len) = members.iter().filter_map(|&i| ctx.sizings[i].pod_len).min() else {
            return Ok(None);
        };
        let hole = match kept_shared(ctx, |k| k.pod_v4()) {
            Some(kept) => reuse_kept(ctx, model, kept, len, placed, holes, "pod range")?,
            None => pick_shared(
                ctx,
                model,
                RangeKind::Pod,
                len,
                holes,
                "pod range",
                warnings,
            )?,
        };
        holes.insert(hole);
        for i in members {
            if let Some(own) = ctx.sizings[i].pod_len {
                placed[i].pod = Prefix::new(Family::V4, hole.first(), own).ok();
            }
        }
        return Ok(None);
    }

    // Archipelago: the range a group needs is its members packed largest first, which
    // always fits in the total rounded up to a power of two.
    let mut group_lens = Vec::new();
    for (name, members) in &ctx.groups {
        let total = members
            .iter()
            .filter(|&&i| wants(i))
            .filter_map(|&i| ctx.sizings[i].pod_len)
            .fold(0u128, |sum, len| {
                sum.saturating_add(block_size(Family::V4, len))
            });
        if total == 0 {
            continue;
        }
        let len = len_for(total).ok_or_else(|| Error::Infeasible {
            model: model.as_str().into(),
            reason: format!(
                "group {} needs {} pod addresses, more than the whole IPv4 space",
                quoted(name),
                grouped(total)
            ),
        })?;
        group_lens.push(len);
    }
    let Some(len) = group_lens.iter().min().copied() else {
        return Ok(None);
    };
    // Kept clusters fix the group range: the block covering their pod ranges.
    let kept_pods: Vec<Prefix> = ctx
        .lock
        .kept
        .iter()
        .flatten()
        .filter_map(super::lock::LockedCluster::pod_v4)
        .collect();
    let hole = match covering(&kept_pods) {
        Some(kept) => reuse_kept(ctx, model, kept, len, placed, holes, "pod range")?,
        None => pick_shared(
            ctx,
            model,
            RangeKind::Pod,
            len,
            holes,
            "group range",
            warnings,
        )?,
    };
    holes.insert(hole);
    for (_, members) in &ctx.groups {
        let inside: Vec<usize> = members.iter().copied().filter(|&i| wants(i)).collect();
        if inside.is_empty() {
            continue;
        }
        let requests = inside
            .iter()
            .filter_map(|&i| {
                ctx.sizings[i].pod_len.map(|len| {
                    CarveRequest::new(format!("clusters[{i}].pod_cidr"), RequestSize::Len(len))
                })
            })
            .collect();
        // The group's kept clusters keep their ranges inside the group range.
        let reserved: Vec<Prefix> = members
            .iter()
            .filter(|&&i| !wants(i))
            .filter_map(|&i| placed[i].pod)
            .collect();
        let result = carve(&CarveInput {
            pools: alloc::vec![hole],
            requests,
            reserved,
            strategy: Strategy::BestFit,
        })
        .map_err(|e| infeasible(model, e))?;
        for (&i, allocation) in inside.iter().zip(result.allocations) {
            placed[i].pod = Some(allocation.prefix);
        }
    }
    Ok(Some(hole))
}

/// Every model but flat shares one service range too: VIPs never leave a cluster.
fn place_shared_services(
    ctx: &Context<'_>,
    model: NetworkModel,
    placed: &mut [PlacedRanges],
    holes: &mut AddrSet,
    warnings: &mut Vec<Warning>,
) -> Result<()> {
    let members: Vec<usize> = (0..placed.len())
        .filter(|&i| placed[i].service.is_none() && ctx.sizings[i].service_len.is_some())
        .collect();
    let Some(len) = members
        .iter()
        .filter_map(|&i| ctx.sizings[i].service_len)
        .min()
    else {
        return Ok(());
    };
    // Everything placed so far (pinned ranges included) stays clear of the service range.
    let placed_so_far: Vec<Prefix> = placed
        .iter()
        .flat_map(|p| [p.pod, p.node_subnet, p.external])
        .flatten()
        .collect();
    let taken = holes.union(&AddrSet::from_prefixes(&placed_so_far));
    let hole = match kept_shared(ctx, |k| k.service_v4()) {
        Some(kept) => reuse_kept(ctx, model, kept, len, placed, holes, "service range")?,
        None => pick_shared(
            ctx,
            model,
            RangeKind::Service,
            len,
            &taken,
            "service range",
            warnings,
        )?,
    };
    holes.insert(hole);
    for i in members {
        if let Some(own) = ctx.sizings[i].service_len {
            placed[i].service = Prefix::new(Family::V4, hole.first(), own).ok();
        }
    }
    Ok(())
}

/// Chooses a shared IPv4 range of length `len`: it must shadow no reachable allocation, no
/// pinned range and nothing in `taken`. Preference: free space of 100.64.0.0/10 then
/// 240.0.0.0/4 when allowed, free space of the pools, then pool space that shadows only
/// allocations pods need not reach. Every tier is limited to what the cloud's rules let
/// a range of `kind` take.
#[allow(clippy::too_many_arguments)]
fn pick_shared(
    ctx: &Context<'_>,
    model: NetworkModel,
    kind: RangeKind,
    len: u8,
    taken: &AddrSet,
    what: &str,
    warnings: &mut Vec<Warning>,
) -> Result<Prefix> {
    // Where to look, best first: each tier's (space, blocked, defaults to avoid in it).
    let mut tiers: Vec<(AddrSet, AddrSet)> = Vec::new();
    if ctx.req.requirements.allow_non_rfc1918 {
        let blocked_all = ctx.blocked().union(taken);
        for (first, space_len) in NON_RFC1918_ISLAND_SPACE {
            if let Ok(space) = Prefix::new(Family::V4, first, space_len) {
                let free = ctx
                    .restrict(kind, AddrSet::from_prefixes(&[space]))
                    .difference(&blocked_all);
                tiers.push((free, super::vendor_defaults::avoidable_in(&[space])));
            }
        }
    }
    let listed = ctx.req.network.pools_for_family(kind, Family::V4);
    let in_pools = super::vendor_defaults::avoidable_in(&listed);
    // The space less what is blocked and `taken`: the context's share, less `taken`.
    tiers.push((ctx.free_v4(kind).difference(taken), in_pools.clone()));
    let shadowing = ctx.unshadowed_v4(kind).difference(taken);
    // A block clear of every known default wins over one that is not, in any tier but the
    // last: shadowing allocations pods need not reach is worse than overlapping a default.
    let free_tiers = tiers.len();
    tiers.push((shadowing.clone(), in_pools));
    let clear =
        |(free, avoid): &(AddrSet, AddrSet)| lowest_block(&free.difference(avoid), Family::V4, len);
    let found = tiers[..free_tiers]
        .iter()
        .find_map(clear)
        .map(|b| (b, false))
        .or_else(|| {
            tiers[..free_tiers]
                .iter()
                .find_map(|(free, _)| lowest_block(free, Family::V4, len))
                .map(|b| (b, true))
        })
        .or_else(|| {
            tiers[free_tiers..]
                .iter()
                .find_map(clear)
                .map(|b| (b, false))
        })
        .or_else(|| lowest_block(&shadowing, Family::V4, len).map(|b| (b, true)));
    if let Some((block, colliding)) = found {
        if colliding {
            warnings.push(Warning {
                code: "vendor_default_unavoidable",
                message: format!(
                    "the shared {what} {block} overlaps {}: every free /{len} left overlaps a \
                     known default, so the lowest was taken",
                    super::vendor_defaults::describe_overlapping(&block)
                ),
            });
        }
        return Ok(block);
    }
    let largest = shadowing
        .to_prefixes()
        .into_iter()
        .min_by_key(|p| (p.len(), p.first()))
        .map_or_else(
            || String::from("nothing is left"),
            |p| format!("the largest is {p}"),
        );
    Err(Error::Infeasible {
        model: model.as_str().into(),
        reason: format!(
            "the shared {what} needs a /{len} ({} addresses) in {} that shadows no reachable \
             allocation and no pinned range; {largest}{}",
            grouped(block_size(Family::V4, len)),
            ctx.space_names(kind, Family::V4),
            super::cloud::why_limited(ctx, kind)
        ),
    })
}

/// A range a cluster owns alone.
#[derive(Clone, Copy, PartialEq, Eq)]
enum UniqueKind {
    Pod,
    External,
    Service,
    NodeSubnet,
    ExtraPod,
}

/// A range to carve: (cluster, kind, length, reserve bits).
type Wanted = (usize, UniqueKind, u8, u8);

/// Carves the ranges of `family` each cluster owns alone, in one first-fit pass: second
/// pod ranges of kept clusters first, then pod ranges (flat) or external ranges (mapped),
/// service ranges (flat) and node subnets, by kind or cluster by cluster (the request's
/// `layout`); IPv6 ranges are always unique. A range with a growth reserve is carved as
/// the reserve's block and placed at its start.
fn carve_unique(
    ctx: &Context<'_>,
    model: NetworkModel,
    family: Family,
    placed: &mut [PlacedRanges],
    holes: &AddrSet,
    pending: &[PendingExtra],
    warnings: &mut Vec<Warning>,
) -> Result<()> {
    type Kind = UniqueKind;
    let bits = |i: usize| ctx.reserve_bits.get(i).copied().unwrap_or(0);
    // (cluster, kind, length, reserve bits)
    let mut wanted: Vec<(usize, Kind, u8, u8)> = pending
        .iter()
        .filter(|&&(_, f, _)| f == family)
        .map(|&(i, _, len)| (i, Kind::ExtraPod, len, 0))
        .collect();
    let per_cluster = |i: usize, p: &PlacedRanges, s: &super::sizing::ClusterSizing| {
        let mut out: Vec<(usize, Kind, u8, u8)> = Vec::new();
        match family {
            Family::V4 => {
                match (model, p.pod, s.pod_len) {
                    (NetworkModel::Flat, None, Some(_)) if s.pods_in_node_subnet => {}
                    (NetworkModel::Flat, None, Some(len)) => out.push((i, Kind::Pod, len, bits(i))),
                    // One external address per internal address: the 1:1 mapping.
                    (NetworkModel::Mapped, Some(pod), Some(_)) if p.external.is_none() => {
                        out.push((i, Kind::External, pod.len(), 0));
                    }
                    _ => {}
                }
                if let (NetworkModel::Flat, None, Some(len)) = (model, p.service, s.service_len) {
                    out.push((i, Kind::Service, len, 0));
                }
            }
            Family::V6 => {
                if let (None, Some(len)) = (p.pod_v6, s.pod_len_v6) {
                    out.push((i, Kind::Pod, len, bits(i)));
                }
                if let (None, Some(len)) = (p.service_v6, s.service_len_v6) {
                    out.push((i, Kind::Service, len, 0));
                }
            }
        }
        if s.node_family == family && p.node_subnet.is_none() {
            out.push((i, Kind::NodeSubnet, s.node_subnet_len, bits(i)));
        }
        out
    };
    let rows: Vec<(usize, Kind, u8, u8)> = placed
        .iter()
        .zip(&ctx.sizings)
        .enumerate()
        .flat_map(|(i, (p, s))| per_cluster(i, p, s))
        .collect();
    match ctx.req.layout {
        Layout::ByCluster => wanted.extend(rows),
        // Every cluster's pod (or external) range, then every service range, then every
        // node subnet, so ranges of a kind sit together.
        Layout::ByKind => {
            for group in [
                &[Kind::Pod, Kind::External][..],
                &[Kind::Service],
                &[Kind::NodeSubnet],
            ] {
                wanted.extend(rows.iter().copied().filter(|r| group.contains(&r.1)));
            }
        }
    }
    if wanted.is_empty() {
        return Ok(());
    }
    let kind_of = |kind: Kind| match kind {
        Kind::Pod | Kind::External | Kind::ExtraPod => RangeKind::Pod,
        Kind::Service => RangeKind::Service,
        Kind::NodeSubnet => RangeKind::Node,
    };
    // One first-fit pass when every kind takes the same space (the layout orders it);
    // else one pass per kind, each around what the passes before it placed.
    let same_space = RangeKind::ALL
        .iter()
        .all(|&k| ctx.space(k, family) == ctx.space(RangeKind::Pod, family));
    let batches: Vec<(RangeKind, Vec<Wanted>)> = if same_space {
        alloc::vec![(RangeKind::Pod, wanted)]
    } else {
        RangeKind::ALL
            .iter()
            .map(|&k| {
                let rows = wanted.iter().copied().filter(|w| kind_of(w.1) == k);
                (k, rows.collect::<Vec<_>>())
            })
            .filter(|(_, rows)| !rows.is_empty())
            .collect()
    };
    for (space_kind, wanted) in batches {
        carve_batch(
            ctx, model, family, placed, holes, warnings, space_kind, &wanted,
        )?;
    }
    Ok(())
}

/// One first-fit carve of `wanted` (cluster, kind, length, reserve bits) in the space of
/// `space_kind`, around everything placed so far.
#[allow(clippy::too_many_arguments)]
fn carve_batch(
    ctx: &Context<'_>,
    model: NetworkModel,
    family: Family,
    placed: &mut [PlacedRanges],
    holes: &AddrSet,
    warnings: &mut Vec<Warning>,
    space_kind: RangeKind,
    wanted: &[Wanted],
) -> Result<()> {
    type Kind = UniqueKind;
    let blocked = ctx.blocked().union(holes);
    // Ranges placed so far (kept ranges, their second ranges and reserves included).
    let reserved: Vec<Prefix> = placed
        .iter()
        .flat_map(PlacedRanges::all_ranges)
        .filter(|r| r.family() == family)
        .collect();
    let field = |i: usize, kind: Kind| {
        let suffix = match (kind, family) {
            (Kind::Pod, Family::V4) => "pod_cidr",
            (Kind::Pod, Family::V6) => "pod_cidr_v6",
            (Kind::Service, Family::V4) => "service_cidr",
            (Kind::Service, Family::V6) => "service_cidr_v6",
            (Kind::External, _) => "external_pod_cidr",
            (Kind::NodeSubnet, _) => "node_subnet",
            (Kind::ExtraPod, _) => "extra_pod_cidrs",
        };
        format!("clusters[{i}].{suffix}")
    };
    let pools: Vec<Prefix> = ctx.space(space_kind, family).to_vec();
    if pools.is_empty() {
        return Err(Error::Infeasible {
            model: model.as_str().into(),
            reason: format!(
                "no {family} space is left for {} once the cloud's rules apply{}",
                space_kind.field(),
                super::cloud::why_limited(ctx, space_kind)
            ),
        });
    }
    // The pools as listed: a default covering a listed pool whole is not avoided in it.
    let listed = ctx.req.network.pools_for_family(space_kind, family);
    let avoid = super::vendor_defaults::avoidable_in(&listed);
    let space_names = ctx.space_names(space_kind, family);
    let run = |with_reserve: bool| {
        let requests: Vec<CarveRequest> = wanted
            .iter()
            .map(|&(i, kind, len, bits)| {
                let len = if with_reserve {
                    len.saturating_sub(bits)
                } else {
                    len
                };
                CarveRequest::new(field(i, kind), RequestSize::Len(len))
            })
            .collect();
        // A network's pools are the space it routes: touching pools form one range, so a
        // cluster's block may span them (carving alone keeps each block inside one pool).
        first_fit_avoiding(&pools, &requests, &reserved, &blocked, &avoid)
    };
    let reserving = wanted.iter().any(|w| w.3 > 0);
    let mut with_reserve = reserving;
    let mut result = run(with_reserve);
    if reserving && matches!(result, Err(Error::SpaceExhausted { .. })) {
        with_reserve = false;
        result = run(false);
        if result.is_ok() {
            warnings.push(Warning {
                code: "growth_reserve_unmet",
                message: format!(
                    "the {family} growth reserves do not fit in {space_names}; the ranges are \
                     placed without them"
                ),
            });
        }
    }
    let result = result.map_err(|e| match e {
        Error::SpaceExhausted { .. } => {
            let lens: Vec<u8> = wanted.iter().map(|w| w.2).collect();
            let free_set = AddrSet::from_prefixes(&pools)
                .difference(&blocked.union(&AddrSet::from_prefixes(&reserved)));
            Error::Infeasible {
                model: model.as_str().into(),
                reason: format!(
                    "{e}; {}{}",
                    binding_constraint(family, &lens, &free_set, &space_names),
                    super::cloud::why_limited(ctx, space_kind)
                ),
            }
        }
        other => infeasible(model, other),
    })?;
    for &j in &result.colliding {
        let (Some(&(i, kind, len, bits)), Some(block)) = (wanted.get(j), result.blocks.get(j))
        else {
            continue;
        };
        let shown = if with_reserve && bits > 0 {
            Prefix::new(family, block.first(), len).unwrap_or(*block)
        } else {
            *block
        };
        let name = specs_name(ctx, i);
        warnings.push(Warning {
            code: "vendor_default_unavoidable",
            message: format!(
                "cluster {name}: {} {shown} overlaps {}: every free /{} left in {} overlaps a \
                 known default, so the lowest was taken",
                field(i, kind).rsplit('.').next().unwrap_or_default(),
                super::vendor_defaults::describe_overlapping(block),
                block.len(),
                space_names
            ),
        });
    }
    for (&(i, kind, len, bits), &block) in wanted.iter().zip(&result.blocks) {
        let Some(slot) = placed.get_mut(i) else {
            continue;
        };
        let range = if with_reserve && bits > 0 {
            slot.reserves.push(block);
            Prefix::new(family, block.first(), len).unwrap_or(block)
        } else {
            block
        };
        let prefix = Some(range);
        match (kind, family) {
            (Kind::Pod, Family::V4) => slot.pod = prefix,
            (Kind::Pod, Family::V6) => slot.pod_v6 = prefix,
            (Kind::Service, Family::V4) => slot.service = prefix,
            (Kind::Service, Family::V6) => slot.service_v6 = prefix,
            (Kind::External, _) => slot.external = prefix,
            (Kind::NodeSubnet, _) => slot.node_subnet = prefix,
            (Kind::ExtraPod, _) => {
                slot.extra_pods.push(range);
                if let Some(note) = slot.growth.iter_mut().find(|g| {
                    g.how == "second_range" && g.to.is_none() && g.from.family() == family
                }) {
                    note.to = Some(range);
                }
            }
        }
    }
    Ok(())
}

/// What keeps ranges of lengths `lens` out of `free`: the total space when they need more
/// addresses than are free, else fragmentation, named by the largest block size whose
/// aligned free blocks are too few for the ranges of that size or larger.
pub(crate) fn binding_constraint(
    family: Family,
    lens: &[u8],
    free: &AddrSet,
    pools: &str,
) -> String {
    let need = lens.iter().fold(0u128, |sum, &len| {
        sum.saturating_add(block_size(family, len))
    });
    let have = free.count(family).saturating_u128();
    if need > have {
        return format!(
            "total space: its unique ranges need {} addresses and {} are free in {pools}",
            grouped(need),
            grouped(have)
        );
    }
    let mut sizes: Vec<u8> = lens.to_vec();
    sizes.sort_unstable();
    sizes.dedup();
    for &len in &sizes {
        // Ranges of this size or larger, counted in blocks of this size.
        let wanted = lens.iter().filter(|&&l| l <= len).fold(0u128, |sum, &l| {
            sum.saturating_add(block_size(family, l) / block_size(family, len).max(1))
        });
        let aligned = super::space::count_blocks(free, family, len);
        if wanted > aligned {
            return format!(
                "fragmentation: {} aligned /{len}s needed, {} free in {pools} (its unique \
                 ranges need {} addresses and {} are free, but not in aligned blocks)",
                grouped(wanted),
                grouped(aligned),
                grouped(need),
                grouped(have)
            );
        }
    }
    format!(
        "its unique ranges need {} addresses and {} are free in {pools}",
        grouped(need),
        grouped(have)
    )
}

/// Cluster `i`'s name, quoted for messages.
fn specs_name(ctx: &Context<'_>, i: usize) -> String {
    ctx.req
        .clusters
        .get(i)
        .map_or_else(|| format!("#{i}"), |c| quoted(&c.name))
}

/// The smallest prefix holding every IPv4 prefix of `ranges`.
fn covering(ranges: &[Prefix]) -> Option<Prefix> {
    let first = ranges.iter().map(Prefix::first).min()?;
    let last = ranges.iter().map(Prefix::last).max()?;
    let differ = 32 - ((first ^ last) as u32).leading_zeros();
    let len = u8::try_from(32 - differ).ok()?;
    Prefix::new(
        Family::V4,
        first & !crate::prefix::host_mask(Family::V4, len),
        len,
    )
    .ok()
}

/// The prefix length of the smallest power-of-two block holding `addresses` IPv4 addresses.
fn len_for(addresses: u128) -> Option<u8> {
    if addresses == 0 {
        return None;
    }
    let bits = 128 - (addresses - 1).leading_zeros();
    32u32.checked_sub(bits).and_then(|l| u8::try_from(l).ok())
}

fn infeasible(model: NetworkModel, e: Error) -> Error {
    match e {
        Error::Infeasible { .. } => e,
        other => Error::Infeasible {
            model: model.as_str().into(),
            reason: format!("{other}"),
        },
    }
}
