//! Placing every cluster's ranges for one network model: the shared ranges (holes) first,
//! then one first-fit carve of the unique ranges around allocations, pins and holes.
//!
//! First-fit keeps ranges in address order, the way operators number clusters (the talk's
//! 10.0.0.0/16, 10.1.0.0/16, ...), and is deterministic.

use crate::export::quoted;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::context::Context;
use super::model::NetworkModel;
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
}

/// Every cluster's ranges for one model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Draft {
    pub(crate) model: NetworkModel,
    pub(crate) clusters: Vec<PlacedRanges>,
}

/// Places every range of `model`; `Error::Infeasible` when the space does not allow it.
pub(crate) fn draft(ctx: &Context<'_>, model: NetworkModel) -> Result<Draft> {
    let specs = &ctx.req.clusters;
    let mut placed: Vec<PlacedRanges> = specs
        .iter()
        .map(|c| PlacedRanges {
            pod: c.pod_cidr,
            service: c.service_cidr,
            pod_v6: c.pod_cidr_v6,
            service_v6: c.service_cidr_v6,
            node_subnet: c.node_subnet,
            external: None,
        })
        .collect();
    let mut holes = AddrSet::new();

    // Unique ranges go before the shared service range so that, as in the talk's mapped
    // example, external ranges follow the shared pod range directly (10.0.0.0/16 inside,
    // 10.1.0.0/16 outside).
    if model.reuses_pod_range() {
        place_shared_pods(ctx, model, &mut placed, &mut holes)?;
    }
    carve_unique(ctx, model, Family::V4, &mut placed, &holes)?;
    if model.reuses_pod_range() {
        place_shared_services(ctx, model, &mut placed, &mut holes)?;
    }
    carve_unique(ctx, model, Family::V6, &mut placed, &holes)?;
    Ok(Draft {
        model,
        clusters: placed,
    })
}

/// Island, isolated and mapped share one pod range sized for the largest cluster;
/// archipelago shares one range sized for the largest group, flat inside each group.
fn place_shared_pods(
    ctx: &Context<'_>,
    model: NetworkModel,
    placed: &mut [PlacedRanges],
    holes: &mut AddrSet,
) -> Result<()> {
    let wanted: Vec<bool> = placed
        .iter()
        .zip(&ctx.sizings)
        .map(|(p, s)| p.pod.is_none() && s.pod_len.is_some())
        .collect();
    let wants = |i: usize| wanted.get(i).copied().unwrap_or(false);
    if model != NetworkModel::Archipelago {
        let members: Vec<usize> = (0..placed.len()).filter(|&i| wants(i)).collect();
        let Some(len) = members.iter().filter_map(|&i| ctx.sizings[i].pod_len).min() else {
            return Ok(());
        };
        let hole = pick_shared(ctx, model, len, holes, "pod range")?;
        holes.insert(hole);
        for i in members {
            if let Some(own) = ctx.sizings[i].pod_len {
                placed[i].pod = Prefix::new(Family::V4, hole.first(), own).ok();
            }
        }
        return Ok(());
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
        return Ok(());
    };
    let hole = pick_shared(ctx, model, len, holes, "group range")?;
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
        let result = carve(&CarveInput {
            pools: alloc::vec![hole],
            requests,
            reserved: Vec::new(),
            strategy: Strategy::BestFit,
        })
        .map_err(|e| infeasible(model, e))?;
        for (&i, allocation) in inside.iter().zip(result.allocations) {
            placed[i].pod = Some(allocation.prefix);
        }
    }
    Ok(())
}

/// Every model but flat shares one service range too: VIPs never leave a cluster.
fn place_shared_services(
    ctx: &Context<'_>,
    model: NetworkModel,
    placed: &mut [PlacedRanges],
    holes: &mut AddrSet,
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
    let hole = pick_shared(ctx, model, len, &taken, "service range")?;
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
/// allocations pods need not reach.
fn pick_shared(
    ctx: &Context<'_>,
    model: NetworkModel,
    len: u8,
    taken: &AddrSet,
    what: &str,
) -> Result<Prefix> {
    let blocked_all = ctx.allocated.union(&ctx.pinned).union(taken);
    let blocked_reachable = ctx.reachable.union(&ctx.pinned).union(taken);
    if ctx.req.requirements.allow_non_rfc1918 {
        for (first, space_len) in NON_RFC1918_ISLAND_SPACE {
            let Ok(space) = Prefix::new(Family::V4, first, space_len) else {
                continue;
            };
            let free = AddrSet::from_prefixes(&[space]).difference(&blocked_all);
            if let Some(block) = lowest_block(&free, Family::V4, len) {
                return Ok(block);
            }
        }
    }
    let pools = AddrSet::from_prefixes(&ctx.pools_v4);
    if let Some(block) = lowest_block(&pools.difference(&blocked_all), Family::V4, len) {
        return Ok(block);
    }
    let shadowing = pools.difference(&blocked_reachable);
    if let Some(block) = lowest_block(&shadowing, Family::V4, len) {
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
             allocation and no pinned range; {largest}",
            grouped(block_size(Family::V4, len)),
            ctx.pool_names(Family::V4)
        ),
    })
}

/// Carves the ranges of `family` each cluster owns alone, in one first-fit pass in cluster
/// order: pod ranges (flat) or external ranges (mapped), then service ranges (flat), then
/// node subnets; IPv6 ranges are always unique.
fn carve_unique(
    ctx: &Context<'_>,
    model: NetworkModel,
    family: Family,
    placed: &mut [PlacedRanges],
    holes: &AddrSet,
) -> Result<()> {
    #[derive(Clone, Copy)]
    enum Kind {
        Pod,
        External,
        Service,
        NodeSubnet,
    }
    // Requests in placement order: every cluster's pod (or external) range, then every
    // service range, then every node subnet, so ranges of a kind sit together.
    let rows = || placed.iter().zip(&ctx.sizings).enumerate();
    let mut wanted: Vec<(usize, Kind, u8)> = Vec::new();
    match family {
        Family::V4 => {
            for (i, (p, s)) in rows() {
                match (model, p.pod, s.pod_len) {
                    (NetworkModel::Flat, None, Some(len)) => wanted.push((i, Kind::Pod, len)),
                    // One external address per internal address: the 1:1 mapping.
                    (NetworkModel::Mapped, Some(pod), Some(_)) => {
                        wanted.push((i, Kind::External, pod.len()));
                    }
                    _ => {}
                }
            }
            for (i, (p, s)) in rows() {
                if let (NetworkModel::Flat, None, Some(len)) = (model, p.service, s.service_len) {
                    wanted.push((i, Kind::Service, len));
                }
            }
        }
        Family::V6 => {
            for (i, (p, s)) in rows() {
                if let (None, Some(len)) = (p.pod_v6, s.pod_len_v6) {
                    wanted.push((i, Kind::Pod, len));
                }
            }
            for (i, (p, s)) in rows() {
                if let (None, Some(len)) = (p.service_v6, s.service_len_v6) {
                    wanted.push((i, Kind::Service, len));
                }
            }
        }
    }
    for (i, (p, s)) in rows() {
        if s.node_family == family && p.node_subnet.is_none() {
            wanted.push((i, Kind::NodeSubnet, s.node_subnet_len));
        }
    }
    if wanted.is_empty() {
        return Ok(());
    }

    let blocked = ctx.allocated.union(&ctx.pinned).union(holes);
    let mut reserved: Vec<Prefix> = blocked
        .to_prefixes()
        .into_iter()
        .filter(|p| p.family() == family)
        .collect();
    // Ranges placed so far (shared pod ranges of other families' pins are already in).
    for p in placed.iter() {
        reserved.extend(
            [
                p.pod,
                p.service,
                p.pod_v6,
                p.service_v6,
                p.node_subnet,
                p.external,
            ]
            .into_iter()
            .flatten()
            .filter(|r| r.family() == family),
        );
    }
    let field = |i: usize, kind: Kind| {
        let suffix = match (kind, family) {
            (Kind::Pod, Family::V4) => "pod_cidr",
            (Kind::Pod, Family::V6) => "pod_cidr_v6",
            (Kind::Service, Family::V4) => "service_cidr",
            (Kind::Service, Family::V6) => "service_cidr_v6",
            (Kind::External, _) => "external_pod_cidr",
            (Kind::NodeSubnet, _) => "node_subnet",
        };
        format!("clusters[{i}].{suffix}")
    };
    let requests = wanted
        .iter()
        .map(|&(i, kind, len)| CarveRequest::new(field(i, kind), RequestSize::Len(len)))
        .collect();
    let result = carve(&CarveInput {
        // A network's pools are the space it routes: touching pools form one range, so a
        // cluster's block may span them (carving alone keeps each block inside one pool).
        pools: AddrSet::from_prefixes(ctx.pools(family)).to_prefixes(),
        requests,
        reserved,
        strategy: Strategy::FirstFit,
    })
    .map_err(|e| match e {
        Error::SpaceExhausted { .. } => {
            let unique = wanted.iter().fold(0u128, |sum, &(_, _, len)| {
                sum.saturating_add(block_size(family, len))
            });
            let free = AddrSet::from_prefixes(ctx.pools(family))
                .difference(&blocked)
                .count(family)
                .saturating_u128();
            Error::Infeasible {
                model: model.as_str().into(),
                reason: format!(
                    "{e}; its unique ranges need {} addresses and {} are free in {}",
                    grouped(unique),
                    grouped(free),
                    ctx.pool_names(family)
                ),
            }
        }
        other => infeasible(model, other),
    })?;
    for (&(i, kind, _), allocation) in wanted.iter().zip(result.allocations) {
        let Some(slot) = placed.get_mut(i) else {
            continue;
        };
        let prefix = Some(allocation.prefix);
        match (kind, family) {
            (Kind::Pod, Family::V4) => slot.pod = prefix,
            (Kind::Pod, Family::V6) => slot.pod_v6 = prefix,
            (Kind::Service, Family::V4) => slot.service = prefix,
            (Kind::Service, Family::V6) => slot.service_v6 = prefix,
            (Kind::External, _) => slot.external = prefix,
            (Kind::NodeSubnet, _) => slot.node_subnet = prefix,
        }
    }
    Ok(())
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
