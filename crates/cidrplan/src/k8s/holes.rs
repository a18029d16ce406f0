//! Holes: ranges several clusters reuse, and the allocations they shadow from pods.

use alloc::string::String;
use alloc::vec::Vec;

use super::context::Context;
use super::draft::Draft;
use super::space::OverlapIndex;
use crate::{aggregate, Prefix};

/// A range reused by several clusters: inside it, pods see their own cluster, so whatever
/// else the network has there is out of their reach.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Hole {
    /// The reused range.
    pub cidr: Prefix,
    /// What is reused: `pod_cidr`, `service_cidr` or `mixed`.
    pub kind: &'static str,
    /// The clusters whose ranges lie in it, in request order.
    pub clusters: Vec<String>,
    /// Allocations inside the hole, which pods cannot reach.
    pub shadows: Vec<Shadowed>,
}

/// An allocation a hole hides from pods.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Shadowed {
    /// The allocation's name.
    pub name: String,
    /// Its range.
    pub cidr: Prefix,
    /// Whether it was marked reachable (then the plan also warns).
    pub reachable: bool,
}

/// Finds the holes of a draft: connected runs of overlapping pod and service ranges that
/// belong to at least two clusters.
pub(crate) fn find_holes(ctx: &Context<'_>, draft: &Draft, index: &OverlapIndex) -> Vec<Hole> {
    // (first, last, cluster, is_service, prefix), both families.
    let mut ranges: Vec<(crate::Family, u128, u128, usize, bool, Prefix)> = Vec::new();
    for (i, placed) in draft.clusters.iter().enumerate() {
        for (prefix, is_service) in [
            (placed.pod, false),
            (placed.pod_v6, false),
            (placed.service, true),
            (placed.service_v6, true),
        ] {
            if let Some(p) = prefix {
                ranges.push((p.family(), p.first(), p.last(), i, is_service, p));
            }
        }
    }
    ranges.sort_by_key(|r| (r.0, r.1, r.2, r.3));

    let mut holes = Vec::new();
    let mut start = 0;
    while start < ranges.len() {
        let (family, _, mut last, ..) = ranges[start];
        let mut end = start + 1;
        while end < ranges.len() && ranges[end].0 == family && ranges[end].1 <= last {
            last = last.max(ranges[end].2);
            end += 1;
        }
        let run = &ranges[start..end];
        if run.iter().any(|r| r.3 != run[0].3) {
            let services = run.iter().filter(|r| r.4).count();
            let kind = match services {
                0 => "pod_cidr",
                n if n == run.len() => "service_cidr",
                _ => "mixed",
            };
            let prefixes: Vec<Prefix> = run.iter().map(|r| r.5).collect();
            for cidr in aggregate(&prefixes) {
                let mut users: Vec<usize> = run
                    .iter()
                    .filter(|r| r.5.overlaps(&cidr))
                    .map(|r| r.3)
                    .collect();
                users.sort_unstable();
                users.dedup();
                let allocations = &ctx.req.network.allocations;
                let shadows = index
                    .overlapping(&cidr)
                    .into_iter()
                    .filter_map(|a| allocations.get(a))
                    .map(|a| Shadowed {
                        name: a.name.clone(),
                        cidr: a.cidr,
                        reachable: a.reachable,
                    })
                    .collect();
                holes.push(Hole {
                    cidr,
                    kind,
                    clusters: users
                        .into_iter()
                        .filter_map(|u| ctx.req.clusters.get(u).map(|c| c.name.clone()))
                        .collect(),
                    shadows,
                });
            }
        }
        start = end;
    }
    holes
}
