//! Who reaches whom, and how: the model's rules applied to the planned ranges.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::context::Context;
use super::draft::Draft;
use super::model::NetworkModel;
use super::space::OverlapIndex;
use crate::sort;

/// How traffic gets from one side to the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
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
/// Sides are `pod:<cluster>`, `network` (everything routed that is not listed) and
/// `allocation:<name>`. Rows for allocations are listed for those marked reachable and for
/// those a cluster's ranges shadow, pods to allocation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Reach {
    /// Where traffic starts.
    pub from: String,
    /// Where it goes.
    pub to: String,
    /// How it gets there.
    pub how: How,
}

/// The mechanism pods of a cluster use toward the main network.
pub(crate) fn egress(model: NetworkModel) -> How {
    match model {
        NetworkModel::Flat => How::Direct,
        NetworkModel::Island | NetworkModel::Archipelago => How::Snat,
        NetworkModel::Isolated => How::None,
        NetworkModel::Mapped => How::Nat,
    }
}

/// The mechanism the main network uses toward a cluster's pods.
pub(crate) fn ingress(model: NetworkModel) -> How {
    match model {
        NetworkModel::Flat => How::Direct,
        NetworkModel::Island | NetworkModel::Archipelago | NetworkModel::Isolated => How::Gateway,
        NetworkModel::Mapped => How::Nat,
    }
}

/// How pods of one cluster reach pods of another.
fn pod_to_pod(model: NetworkModel, same_group: bool) -> How {
    match model {
        NetworkModel::Flat => How::Direct,
        NetworkModel::Archipelago if same_group => How::Direct,
        NetworkModel::Island | NetworkModel::Archipelago => How::Gateway,
        NetworkModel::Isolated => How::None,
        NetworkModel::Mapped => How::Nat,
    }
}

/// Most `pod:<cluster>` to `allocation:<name>` rows a plan lists; the rest are counted in a
/// `reachability_truncated` warning. Clusters times reachable allocations can be large.
pub const MAX_ALLOCATION_ROWS: usize = 100_000;

/// Builds the matrix: pods to network and back, pods to pods of every other cluster, and
/// pods to each allocation that is reachable or shadowed. Returns the rows and how many
/// allocation rows were left out past [`MAX_ALLOCATION_ROWS`].
pub(crate) fn matrix(
    ctx: &Context<'_>,
    draft: &Draft,
    index: &OverlapIndex,
) -> (Vec<Reach>, usize) {
    let model = draft.model;
    let allocations = &ctx.req.network.allocations;
    let group_of = ctx.group_of();
    let pods: Vec<String> = ctx
        .req
        .clusters
        .iter()
        .map(|c| format!("pod:{}", c.name))
        .collect();
    let targets: Vec<String> = allocations
        .iter()
        .map(|a| format!("allocation:{}", a.name))
        .collect();
    let reachable: Vec<usize> = (0..allocations.len())
        .filter(|&a| allocations.get(a).is_some_and(|x| x.reachable))
        .collect();
    let mut out = Vec::new();
    let mut allocation_rows = 0usize;
    let mut dropped = 0usize;
    for ((i, placed), pod) in draft.clusters.iter().enumerate().zip(&pods) {
        out.push(Reach {
            from: pod.clone(),
            to: String::from("network"),
            how: egress(model),
        });
        out.push(Reach {
            from: String::from("network"),
            to: pod.clone(),
            how: ingress(model),
        });
        for (j, other) in pods.iter().enumerate() {
            if i != j {
                out.push(Reach {
                    from: pod.clone(),
                    to: other.clone(),
                    how: pod_to_pod(model, group_of.get(i) == group_of.get(j)),
                });
            }
        }
        // Allocations inside this cluster's own pod or service ranges are shadowed: the
        // pods' traffic to them stays inside the cluster.
        let mut shadowed: Vec<usize> =
            [placed.pod, placed.service, placed.pod_v6, placed.service_v6]
                .into_iter()
                .flatten()
                .flat_map(|r| index.overlapping(&r))
                .collect();
        sort::sort_usizes(&mut shadowed);
        shadowed.dedup();
        let mut listed: Vec<usize> = reachable.iter().chain(&shadowed).copied().collect();
        sort::sort_usizes(&mut listed);
        listed.dedup();
        for a in listed {
            if allocation_rows >= MAX_ALLOCATION_ROWS {
                dropped += 1;
                continue;
            }
            let Some(target) = targets.get(a) else {
                continue;
            };
            allocation_rows += 1;
            out.push(Reach {
                from: pod.clone(),
                to: target.clone(),
                how: if shadowed.binary_search(&a).is_ok() {
                    How::None
                } else {
                    egress(model)
                },
            });
        }
    }
    (out, dropped)
}
