//! The plan: a draft's ranges turned into what operators configure and what they must
//! know (egress and ingress mechanisms, ip-masq-agent settings, holes, reachability,
//! warnings and headroom).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::cloud::RuleApplied;
use super::context::Context;
use super::datapath::{decide, Datapath, Landmarks};
use super::draft::{Draft, PlacedRanges};
use super::headroom::{headroom, Headroom};
use super::holes::{find_holes, Hole};
use super::lint::{lint, Warning};
use super::lock::{Growth, LockedCluster};
use super::model::NetworkModel;
use super::reachability::{matrix, How, Reach, MAX_ALLOCATION_ROWS};
use super::recommend::ModelScore;
use super::request::PlanRequest;
use super::space::OverlapIndex;
use crate::text::quoted;
use crate::{aggregate, Error, Prefix, Result};

/// Most per-node mappings a mapped plan lists for one cluster; its rule (node k of the
/// internal range maps to node k of the external range) covers the rest.
pub const MAX_LISTED_NODE_MAPPINGS: u32 = 4_096;

/// Most per-node mappings a plan lists over all its clusters: without it, 500 mapped
/// clusters of 4,096 nodes would list two million rows for a request of a few kilobytes.
/// Clusters past the budget list fewer, and a `node_mappings_truncated` warning says so.
pub const MAX_LISTED_NODE_MAPPINGS_PER_PLAN: usize = 100_000;

/// A complete plan.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Plan {
    /// The model planned.
    pub model: NetworkModel,
    /// Every model's score and reasons, as `recommend` ranks them.
    pub ranking: Vec<ModelScore>,
    /// One entry per cluster, in request order.
    pub clusters: Vec<ClusterPlan>,
    /// Ranges reused by several clusters, and what they shadow.
    pub holes: Vec<Hole>,
    /// Who reaches whom, and how.
    pub reachability: Vec<Reach>,
    /// Collisions and rule violations.
    pub warnings: Vec<Warning>,
    /// The cloud's rules that decided something in this plan, each with the range it
    /// decided (`docs/clouds.md` gives every rule's source).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub rules: Vec<RuleApplied>,
    /// Growth room.
    pub headroom: Headroom,
    /// The request planned, so a plan file is a lock file that stands on its own: edit the
    /// request, re-plan with this plan as the previous one, review the diff. Its `network`
    /// is the network the plan was made in (`cidrplan verify` reads the allocations'
    /// addresses there); a plan lists it once, here, as 10^6 allocations make it most of
    /// the plan.
    pub request: PlanRequest,
    /// Clusters of the previous plan no longer requested: their ranges stay reserved (a
    /// `cluster_retained` warning names each) until a re-plan releases them.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub retained: Vec<LockedCluster>,
    /// Clusters of the previous plan this plan released, in the order given.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub released: Vec<String>,
}

/// One cluster's ranges and how its pods meet the network.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ClusterPlan {
    /// The cluster.
    pub name: String,
    /// Pod range (kube-controller-manager `--cluster-cidr`): IPv4, or IPv6 for IPv6-only.
    pub pod_cidr: Prefix,
    /// Per-node pod range mask (`--node-cidr-mask-size-ipv4`, or `-ipv6` for IPv6-only).
    pub node_pod_mask: u8,
    /// Most pods a node runs (the kubelet's `maxPods`); the per-node range holds twice as
    /// many addresses.
    pub max_pods_per_node: u32,
    /// Service range (`--service-cluster-ip-range`).
    pub service_cidr: Prefix,
    /// Where node IPs live, in the main network.
    pub node_subnet: Prefix,
    /// Pods take their addresses from the node subnet (`cni` `vpc_cni` or `azure_cni`):
    /// `pod_cidr` is the node subnet, `node_pod_mask` is 32 (each pod one address of it)
    /// and no per-node range is cut.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "core::ops::Not::not"))]
    pub pods_in_node_subnet: bool,
    /// Mapped only: the unique range the pod range is mapped to, node by node.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub external_pod_cidr: Option<Prefix>,
    /// How pods reach the main network (the first family's `datapath`).
    pub egress: How,
    /// How the main network reaches pods (the first family's `datapath`).
    pub ingress: How,
    /// ip-masq-agent `nonMasqueradeCIDRs`: destinations pods reach without masquerade,
    /// every family's [`Datapath::no_masquerade`].
    pub non_masquerade_cidrs: Vec<Prefix>,
    /// What the nodes do with pod traffic, per family (IPv4 first): the one decision every
    /// export renders and the reachability matrix is read from.
    pub datapath: Vec<Datapath>,
    /// Archipelago only: the group the cluster belongs to.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub group: Option<String>,
    /// ClusterMesh `cluster.id` where the model meshes clusters (flat: one mesh of the
    /// plan; archipelago: one per group): 1..=255, unique in the mesh, never changed by a
    /// re-plan (a new cluster gets the lowest id free in its mesh). `None` past 255.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub mesh_id: Option<u16>,
    /// Cilium `cluster.name`: a lowercase DNS label of at most 32 characters, never
    /// `default`, unique in the plan (retained clusters included), never changed by a
    /// re-plan.
    pub cilium_name: String,
    /// IPv6 pod range (IPv6 and dual clusters).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub pod_cidr_v6: Option<Prefix>,
    /// IPv6 per-node mask (IPv6 and dual clusters).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub node_pod_mask_v6: Option<u8>,
    /// IPv6 service range (IPv6 and dual clusters).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub service_cidr_v6: Option<Prefix>,
    /// Mapped only: the 1:1 mapping of the current nodes' ranges.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub node_mappings: Vec<NodeMapping>,
    /// Further pod ranges (either family) added when the cluster outgrew a pod range that
    /// could not grow in place; every datapath entry and the exports that take a list of
    /// pod ranges carry them (see `growth`).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub extra_pod_cidrs: Vec<Prefix>,
    /// The pod ranges as the CNI's pools hold them once a range grew in place (either
    /// family): the range first deployed, then each block added around it, in order. Calico
    /// refuses to change an IPPool's CIDR and Cilium to change an entry of its pod CIDR
    /// list, so these exports keep every deployed piece as it is and add the new ones.
    /// Empty while every pod range is one piece; the lock file carries it forward.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub pod_cidr_parts: Vec<Prefix>,
    /// Blocks kept free for growth in place: each holds one of the cluster's ranges at its
    /// start, and nothing else is placed in it.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub growth_reserve: Vec<Prefix>,
    /// What this re-plan did to the cluster's ranges that were too small, with the reasons.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub growth: Vec<Growth>,
}

/// Mapped model: node `node`'s internal pod range and the external range it appears as.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NodeMapping {
    /// Node index, from 0, in the order the node IPAM allocator hands out ranges.
    pub node: u32,
    /// The node's range inside the cluster.
    pub internal: Prefix,
    /// The same range as the network sees it.
    pub external: Prefix,
}

/// Turns a draft into a plan.
pub(crate) fn assemble(ctx: &Context<'_>, draft: &Draft, ranking: Vec<ModelScore>) -> Result<Plan> {
    let index = OverlapIndex::new(ctx.req.network.allocations.iter().map(|a| &a.cidr));
    let group_of = ctx.group_of();
    let mut clusters = Vec::with_capacity(draft.clusters.len());
    let mut mapping_budget = MAX_LISTED_NODE_MAPPINGS_PER_PLAN;
    let mut short_clusters = 0usize;
    let rows = draft
        .clusters
        .iter()
        .zip(&ctx.sizings)
        .zip(&ctx.req.clusters);
    let datapaths: Vec<Vec<Datapath>> = (0..draft.clusters.len())
        .map(|i| decide(ctx, draft, i))
        .collect();
    let landmarks = Landmarks::of(ctx, draft);
    for (i, ((placed, sizing), spec)) in rows.enumerate() {
        let datapath = datapaths.get(i).cloned().unwrap_or_default();
        let (egress, ingress) = datapath.first().map_or((How::None, How::None), |dp| {
            (
                landmarks
                    .network(dp.family)
                    .map_or(dp.otherwise, |a| dp.egress_to(a)),
                dp.ingress,
            )
        });
        let non_masquerade_cidrs = aggregate(
            &datapath
                .iter()
                .flat_map(Datapath::no_masquerade)
                .collect::<Vec<_>>(),
        );
        let missing = |field: &str| Error::Infeasible {
            model: draft.model.as_str().into(),
            reason: format!("clusters[{i}].{field} could not be placed"),
        };
        let (pod, mask, service) = if sizing.family.has_v4() {
            (
                placed.pod.ok_or_else(|| missing("pod_cidr"))?,
                sizing.node_pod_mask.ok_or_else(|| missing("pod_cidr"))?,
                placed.service.ok_or_else(|| missing("service_cidr"))?,
            )
        } else {
            (
                placed.pod_v6.ok_or_else(|| missing("pod_cidr_v6"))?,
                sizing
                    .node_pod_mask_v6
                    .ok_or_else(|| missing("pod_cidr_v6"))?,
                placed
                    .service_v6
                    .ok_or_else(|| missing("service_cidr_v6"))?,
            )
        };
        let group = match draft.model {
            NetworkModel::Archipelago => group_of
                .get(i)
                .and_then(|&g| ctx.groups.get(g))
                .map(|(name, _)| name.clone()),
            _ => None,
        };
        clusters.push(ClusterPlan {
            name: spec.name.clone(),
            pod_cidr: pod,
            node_pod_mask: mask,
            max_pods_per_node: sizing.max_pods_per_node,
            service_cidr: service,
            node_subnet: placed.node_subnet.ok_or_else(|| missing("node_subnet"))?,
            pods_in_node_subnet: placed.pods_in_node_subnet,
            external_pod_cidr: placed.external,
            egress,
            ingress,
            non_masquerade_cidrs,
            datapath,
            group,
            // Settled for the whole plan once it is assembled (`settle_identities`).
            mesh_id: None,
            cilium_name: String::new(),
            pod_cidr_v6: placed.pod_v6,
            node_pod_mask_v6: sizing.node_pod_mask_v6,
            service_cidr_v6: placed.service_v6,
            extra_pod_cidrs: placed.extra_pods.clone(),
            pod_cidr_parts: placed.pod_parts.clone(),
            growth_reserve: placed.reserves.clone(),
            growth: placed.growth.clone(),
            node_mappings: {
                let listed = node_mappings(placed, sizing.node_pod_mask, spec.nodes);
                if listed.len() > mapping_budget {
                    short_clusters += 1;
                }
                let kept: Vec<NodeMapping> = listed.into_iter().take(mapping_budget).collect();
                mapping_budget -= kept.len();
                kept
            },
        });
    }
    let (reachability, dropped) = matrix(ctx, draft, &index, &datapaths, &landmarks);
    let mut warnings = lint(ctx, draft, &index);
    warnings.extend(draft.warnings.iter().cloned());
    if draft.model == NetworkModel::Archipelago && !super::recommend::has_meshes(ctx) {
        warnings.push(Warning {
            code: "archipelago_without_groups",
            message: format!("archipelago: {}", super::recommend::NO_MESHES),
        });
    }
    for (placed, spec) in draft.clusters.iter().zip(&ctx.req.clusters) {
        for note in placed.growth.iter().filter(|g| g.how == "none") {
            warnings.push(Warning {
                code: "range_cannot_grow",
                message: format!("cluster {}: {}", quoted(&spec.name), note.reason),
            });
        }
    }
    if dropped > 0 {
        warnings.push(Warning {
            code: "reachability_truncated",
            message: format!(
                "{dropped} pod-to-allocation rows are not listed (the first \
                 {MAX_ALLOCATION_ROWS} are); the rest follow the model's egress"
            ),
        });
    }
    if short_clusters > 0 {
        warnings.push(Warning {
            code: "node_mappings_truncated",
            message: format!(
                "{short_clusters} clusters list fewer node mappings than they have nodes (a plan \
                 lists at most {MAX_LISTED_NODE_MAPPINGS_PER_PLAN}); node k of the internal range \
                 maps to block k of the external range for every node"
            ),
        });
    }
    Ok(Plan {
        model: draft.model,
        ranking,
        clusters,
        holes: find_holes(ctx, draft, &index),
        reachability,
        warnings,
        rules: super::cloud::rules_applied(ctx, draft),
        headroom: headroom(ctx, draft),
        // The caller gives the plan its request (a copy, or the request itself).
        request: PlanRequest::default(),
        retained: Vec::new(),
        released: Vec::new(),
    })
}

/// Lists the retained clusters of a re-plan, each with a warning, and the released ones.
pub(crate) fn note_retained(plan: &mut Plan, retained: Vec<LockedCluster>, released: Vec<String>) {
    for c in &retained {
        plan.warnings.push(Warning {
            code: "cluster_retained",
            message: format!(
                "cluster {} is no longer requested; its ranges (pod {}, service {}, node subnet \
                 {}) stay reserved until it is released (--release {})",
                quoted(&c.name),
                c.pod_cidr,
                c.service_cidr,
                c.node_subnet,
                c.name
            ),
        });
    }
    plan.retained = retained;
    plan.released = released;
}

/// The mapped model's per-node rule made concrete for the nodes the cluster has now.
fn node_mappings(placed: &PlacedRanges, mask: Option<u8>, nodes: u32) -> Vec<NodeMapping> {
    let (Some(pod), Some(external), Some(mask)) = (placed.pod, placed.external, mask) else {
        return Vec::new();
    };
    let Some(difference) = mask.checked_sub(pod.len()) else {
        return Vec::new();
    };
    let capacity = 1u64.checked_shl(u32::from(difference)).unwrap_or(u64::MAX);
    let listed = u64::from(nodes.min(MAX_LISTED_NODE_MAPPINGS)).min(capacity);
    let step = super::space::block_size(pod.family(), mask);
    (0..listed)
        .filter_map(|k| {
            let offset = u128::from(k).checked_mul(step)?;
            let internal =
                Prefix::new(pod.family(), pod.first().checked_add(offset)?, mask).ok()?;
            let external = Prefix::new(
                external.family(),
                external.first().checked_add(offset)?,
                mask,
            )
            .ok()?;
            Some(NodeMapping {
                node: u32::try_from(k).ok()?,
                internal,
                external,
            })
        })
        .collect()
}
