//! Headroom: how many more nodes each cluster takes, how many more clusters fit, and which
//! limit binds first. Closed-form counts over free blocks; nothing is enumerated.

use alloc::string::String;
use alloc::vec::Vec;

use super::context::Context;
use super::draft::Draft;
use super::grow::{in_place_nodes, node_capacity, retained_set, Occupancy};
use super::model::NetworkModel;
use super::request::RangeKind;
use super::space::{block_size, count_blocks};
use crate::{AddrSet, Family};

/// Headroom counts saturate here; a number this large means "effectively unlimited".
pub const HEADROOM_CAP: u64 = u32::MAX as u64;

/// Growth room of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Headroom {
    /// Per cluster, in request order.
    pub clusters: Vec<ClusterHeadroom>,
    /// More clusters shaped like `template` that fit in the space left.
    pub more_clusters: u64,
    /// The range that runs out first when adding clusters: `pod_cidr`, `service_cidr`,
    /// `node_subnet` or `external_pod_cidr`.
    pub more_clusters_binding: &'static str,
    /// The cluster whose ranges a new cluster is assumed to need (the largest).
    pub template: String,
    /// Archipelago: room in each group's range, in order of first appearance (empty for
    /// other models). A new cluster joining a group needs its pod range there; the fleet's
    /// `more_clusters` counts clusters joining the existing groups.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub groups: Vec<GroupHeadroom>,
}

/// Room in one archipelago group: how many more clusters fit in its range.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GroupHeadroom {
    /// The group.
    pub name: String,
    /// The range its clusters' pod ranges share (every group reuses it).
    pub cidr: crate::Prefix,
    /// Its clusters, in request order.
    pub clusters: Vec<String>,
    /// More clusters like `template` whose pod range fits in what the group leaves free
    /// of `cidr`.
    pub more_clusters: u64,
    /// The group's cluster with the largest pod range.
    pub template: String,
}

/// Growth room of one cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ClusterHeadroom {
    /// The cluster.
    pub name: String,
    /// Nodes today.
    pub nodes: u32,
    /// Nodes its ranges hold.
    pub node_capacity: u64,
    /// `node_capacity - nodes`.
    pub more_nodes: u64,
    /// Nodes its ranges hold once grown in place as far as the free space beside them
    /// allows (growth reserves included), without a range moving or a second range.
    pub in_place_nodes: u64,
    /// The range that runs out first: `pod_cidr` (per-node ranges), `pod_cidr_v6` or
    /// `node_subnet` (node IPs, surge and reserved addresses included).
    pub binding: &'static str,
}

pub(crate) fn headroom(ctx: &Context<'_>, draft: &Draft) -> Headroom {
    let mut clusters = Vec::new();
    let occupancy = Occupancy::new(
        ctx,
        draft.model,
        &draft.clusters,
        retained_set(ctx, draft.model),
    );
    let rows = draft
        .clusters
        .iter()
        .zip(&ctx.sizings)
        .zip(&ctx.req.clusters);
    for (i, ((placed, sizing), spec)) in rows.enumerate() {
        let mut limits: Vec<(u64, &'static str)> = Vec::new();
        let pods = [
            (placed.pod, sizing.node_pod_mask, "pod_cidr"),
            (placed.pod_v6, sizing.node_pod_mask_v6, "pod_cidr_v6"),
        ];
        for (pod, mask, field) in pods {
            if sizing.pods_in_node_subnet {
                break; // the node subnet is the pod range: its limit below covers pods
            }
            if let (Some(pod), Some(mask)) = (pod, mask) {
                let ranges = mask.checked_sub(pod.len()).map_or(0, |d| {
                    1u64.checked_shl(u32::from(d)).unwrap_or(HEADROOM_CAP)
                });
                // Second pod ranges of a cluster that outgrew its first add their nodes.
                let extra = node_capacity(
                    mask,
                    placed
                        .extra_pods
                        .iter()
                        .copied()
                        .filter(|e| e.family() == pod.family()),
                );
                // Surge nodes take per-node ranges during upgrades (surge_in_pod_range).
                let nodes = ranges
                    .saturating_add(extra)
                    .saturating_sub(u64::from(sizing.surge_nodes));
                limits.push((nodes.min(HEADROOM_CAP), field));
            }
        }
        if let Some(subnet) = placed.node_subnet {
            let size = block_size(subnet.family(), subnet.len());
            let overhead = u128::from(sizing.surge_nodes) + u128::from(sizing.reserved_per_subnet);
            let nodes = if sizing.pods_in_node_subnet {
                // Each node takes one address and one per pod (pods_in_node_subnet).
                let per_node = u128::from(sizing.max_pods_per_node) + 1;
                (size.saturating_sub(u128::from(sizing.reserved_per_subnet)) / per_node)
                    .saturating_sub(u128::from(sizing.surge_nodes))
            } else {
                size.saturating_sub(overhead)
            };
            limits.push((
                u64::try_from(nodes)
                    .unwrap_or(HEADROOM_CAP)
                    .min(HEADROOM_CAP),
                "node_subnet",
            ));
        }
        // The tightest limit binds; on a tie, the pod range (listed first) is named.
        let (capacity, binding) = limits
            .iter()
            .copied()
            .min_by_key(|&(n, _)| n)
            .unwrap_or((0, "pod_cidr"));
        clusters.push(ClusterHeadroom {
            name: spec.name.clone(),
            nodes: spec.nodes,
            node_capacity: capacity,
            more_nodes: capacity.saturating_sub(u64::from(spec.nodes)),
            in_place_nodes: in_place_nodes(&occupancy, draft.model, i, placed, sizing)
                .max(capacity),
            binding,
        });
    }
    let (mut more_clusters, mut more_clusters_binding, template) = more_clusters(ctx, draft);
    let groups = group_headroom(ctx, draft);
    if !groups.is_empty() {
        // A new cluster joins a group: its pod range must fit in that group's share.
        let joining = groups
            .iter()
            .fold(0u64, |sum, g| sum.saturating_add(g.more_clusters))
            .min(HEADROOM_CAP);
        if joining < more_clusters {
            more_clusters = joining;
            more_clusters_binding = "pod_cidr";
        }
    }
    Headroom {
        clusters,
        more_clusters,
        more_clusters_binding,
        template,
        groups,
    }
}

/// Per archipelago group: the aligned blocks of its largest member's pod length left free
/// in the group range once its members' pod ranges are taken out.
fn group_headroom(ctx: &Context<'_>, draft: &Draft) -> Vec<GroupHeadroom> {
    let (NetworkModel::Archipelago, Some(range)) = (draft.model, draft.group_range) else {
        return Vec::new();
    };
    let whole = AddrSet::from_prefixes(&[range]);
    ctx.groups
        .iter()
        .map(|(name, members)| {
            let taken: Vec<crate::Prefix> = members
                .iter()
                .filter_map(|&i| draft.clusters.get(i))
                .flat_map(|p| p.pods_of(Family::V4))
                .collect();
            let free = whole.difference(&AddrSet::from_prefixes(&taken));
            let template = members
                .iter()
                .copied()
                .filter_map(|i| ctx.sizings.get(i).and_then(|s| s.pod_len).map(|l| (l, i)))
                .min();
            let more = template.map_or(0, |(len, _)| count_blocks(&free, Family::V4, len));
            GroupHeadroom {
                name: name.clone(),
                cidr: range,
                clusters: members
                    .iter()
                    .filter_map(|&i| ctx.req.clusters.get(i))
                    .map(|c| c.name.clone())
                    .collect(),
                more_clusters: u64::try_from(more)
                    .unwrap_or(HEADROOM_CAP)
                    .min(HEADROOM_CAP),
                template: template
                    .and_then(|(_, i)| ctx.req.clusters.get(i))
                    .map_or_else(String::new, |c| c.name.clone()),
            }
        })
        .collect()
}

/// How many more clusters like the largest fit in the free space left by the plan.
///
/// A new cluster needs aligned blocks of a few sizes that divide one another. Placing the
/// largest first, `k` clusters fit exactly when, for every size `s_j`, the blocks of size
/// `s_j` or larger need no more `s_j`-blocks than the free space has:
/// `k * sum_{i <= j} s_i / s_j <= free_blocks(s_j)`. The smallest bound binds.
fn more_clusters(ctx: &Context<'_>, draft: &Draft) -> (u64, &'static str, String) {
    let largest = (0..ctx.sizings.len()).max_by_key(|&i| {
        let s = &ctx.sizings[i];
        // Largest pod range first, then earliest in the request.
        (
            core::cmp::Reverse(s.pod_len.or(s.pod_len_v6).unwrap_or(u8::MAX)),
            core::cmp::Reverse(i),
        )
    });
    let Some(t) = largest else {
        return (0, "pod_cidr", String::new());
    };
    let sizing = &ctx.sizings[t];
    let template = ctx
        .req
        .clusters
        .get(t)
        .map_or_else(String::new, |c| c.name.clone());
    let family = sizing.node_family;
    let (pod_len, service_len) = match family {
        Family::V4 => (sizing.pod_len, sizing.service_len),
        Family::V6 => (sizing.pod_len_v6, sizing.service_len_v6),
    };
    let mut needs: Vec<(u8, &'static str)> = Vec::new();
    // With pods in the node subnet the node subnet is the pod range: counted once.
    let pod_len = pod_len.filter(|_| !sizing.pods_in_node_subnet);
    match draft.model {
        NetworkModel::Flat => {
            needs.extend(pod_len.map(|l| (l, "pod_cidr")));
            needs.extend(service_len.map(|l| (l, "service_cidr")));
        }
        NetworkModel::Mapped => needs.extend(pod_len.map(|l| (l, "external_pod_cidr"))),
        _ if family == Family::V6 => {
            needs.extend(pod_len.map(|l| (l, "pod_cidr")));
            needs.extend(service_len.map(|l| (l, "service_cidr")));
        }
        _ => {}
    }
    needs.push((sizing.node_subnet_len, "node_subnet"));
    needs.sort_by_key(|&(len, _)| len);

    // One union of everything planned: inserting range by range would cost a pass over
    // the allocations per range.
    let planned: Vec<crate::Prefix> = draft
        .clusters
        .iter()
        .flat_map(super::draft::PlacedRanges::all_ranges)
        .collect();
    let used = ctx
        .blocked()
        .union(&retained_set(ctx, draft.model))
        .union(&AddrSet::from_prefixes(&planned));
    // Ranges of kinds taking the same space are counted together; each space bounds the
    // clusters its own ranges allow.
    let kind_of = |name: &str| match name {
        "service_cidr" => RangeKind::Service,
        "node_subnet" => RangeKind::Node,
        _ => RangeKind::Pod,
    };
    type Needs = Vec<(u8, &'static str)>;
    let mut by_space: Vec<(&[crate::Prefix], Needs)> = Vec::new();
    for &(len, name) in &needs {
        let space = ctx.space(kind_of(name), family);
        match by_space.iter_mut().find(|(s, _)| *s == space) {
            Some((_, list)) => list.push((len, name)),
            None => by_space.push((space, alloc::vec![(len, name)])),
        }
    }
    let mut best: Option<(u128, &'static str)> = None;
    for (space, needs) in &by_space {
        let free = AddrSet::from_prefixes(space).difference(&used);
        for (j, &(len_j, name)) in needs.iter().enumerate() {
            let size_j = block_size(family, len_j);
            let per_cluster = needs[..=j].iter().fold(0u128, |sum, &(len_i, _)| {
                sum.saturating_add(block_size(family, len_i) / size_j.max(1))
            });
            let bound = count_blocks(&free, family, len_j) / per_cluster.max(1);
            best = match best {
                Some((b, _)) if b <= bound => best,
                _ => Some((bound, name)),
            };
        }
    }
    let (count, binding) = best.unwrap_or((0, "node_subnet"));
    (
        u64::try_from(count)
            .unwrap_or(HEADROOM_CAP)
            .min(HEADROOM_CAP),
        binding,
        template,
    )
}
