//! Cloud profiles: the rules a cloud applies to a cluster's ranges before it accepts them
//! (EKS service ranges, AKS forbidden ranges, AKS overlay and kubenet per-node /24s, GKE's
//! reused default service range, pods in the node subnet, surge nodes). Each rule has a
//! stable code, named in the plan (`rules`) where it decided something; `docs/clouds.md`
//! gives each rule's source.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::context::Context;
use super::draft::Draft;
use super::model::NetworkModel;
use super::request::{Cloud, Cni, RangeKind};
use crate::{AddrSet, Error, Family, Prefix, Result};

/// Every rule code a plan's `rules` may name, sorted.
pub const RULE_CODES: &[&str] = &[
    "aks_forbidden_ranges",
    "aks_overlay_node_24",
    "aks_pods_outside_vnet",
    "aks_service_cidr_outside_vnet",
    "aws_subnet_size",
    "eks_custom_networking_subnets",
    "eks_service_cidr_outside_vpc",
    "eks_service_cidr_private",
    "eks_service_cidr_size",
    "gke_default_service_range",
    "gke_node_pod_range_min_28",
    "gke_unique_secondary_ranges",
    "pods_in_node_subnet",
    "surge_in_pod_range",
];

/// The smallest AWS subnet, a /28 (`aws_subnet_size`).
pub const AWS_SUBNET_LONGEST_LEN: u8 = 28;
/// The largest AWS subnet (and VPC CIDR block), a /16 (`aws_subnet_size`).
pub const AWS_SUBNET_SHORTEST_LEN: u8 = 16;

/// The private blocks EKS accepts a service range in (`eks_service_cidr_private`).
pub const EKS_SERVICE_SPACE: [Prefix; 3] = [
    v4([10, 0, 0, 0], 8),
    v4([172, 16, 0, 0], 12),
    v4([192, 168, 0, 0], 16),
];
/// The largest EKS service range (`eks_service_cidr_size`).
pub const EKS_SERVICE_LONGEST_LEN: u8 = 24;
/// The smallest EKS service range (`eks_service_cidr_size`).
pub const EKS_SERVICE_SHORTEST_LEN: u8 = 12;
/// Ranges AKS refuses for any of a cluster's ranges (`aks_forbidden_ranges`).
pub const AKS_FORBIDDEN: [Prefix; 4] = [
    v4([169, 254, 0, 0], 16),
    v4([172, 30, 0, 0], 16),
    v4([172, 31, 0, 0], 16),
    v4([192, 0, 2, 0], 24),
];
/// The per-node mask of AKS overlay and kubenet (`aks_overlay_node_24`).
pub const AKS_OVERLAY_NODE_MASK: u8 = 24;
/// Most pods per node AKS overlay and kubenet run.
pub const AKS_OVERLAY_MAX_PODS: u32 = 250;
/// GKE's default service range, which every cluster created without one reuses
/// (`gke_default_service_range`).
pub const GKE_DEFAULT_SERVICE_RANGE: Prefix = v4([34, 118, 224, 0], 20);

const fn v4([a, b, c, d]: [u8; 4], len: u8) -> Prefix {
    Prefix::from_parts(Family::V4, u32::from_be_bytes([a, b, c, d]) as u128, len)
}

/// A cloud rule that decided something in a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RuleApplied {
    /// Stable code, one of [`RULE_CODES`], e.g. `eks_service_cidr_private`.
    pub code: &'static str,
    /// The range it decided.
    pub range: Prefix,
    /// The clusters whose range it is (empty for a range no cluster holds, such as a
    /// forbidden range kept out of the pools).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub clusters: Vec<String>,
    /// One sentence for people.
    pub message: String,
}

/// The request's CNI fits its cloud.
pub(crate) fn check_cni(cloud: Cloud, cni: Cni) -> Result<()> {
    match cni.cloud() {
        Some(owner) if owner != cloud => Err(Error::invalid_spec(
            "network.cni",
            format!(
                "{} is a CNI of {}; network.cloud is {}",
                cni.as_str(),
                cloud_name(owner),
                cloud_name(cloud)
            ),
        )),
        _ => Ok(()),
    }
}

/// The cloud's name as the request spells it.
pub(crate) const fn cloud_name(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::Generic => "generic",
        Cloud::Gcp => "gcp",
        Cloud::Aws => "aws",
        Cloud::Azure => "azure",
    }
}

/// Space the cloud never lets a range of `kind` use, whatever the pools say.
pub(crate) fn excluded(cloud: Cloud, cni: Cni, kind: RangeKind, vpc: &[Prefix]) -> AddrSet {
    let mut out = AddrSet::new();
    if cloud == Cloud::Azure {
        out = AddrSet::from_prefixes(&AKS_FORBIDDEN);
    }
    // The VPC or VNet: EKS service ranges and AKS overlay pod ranges stay out of it.
    let outside_vpc = match kind {
        RangeKind::Service => matches!(cloud, Cloud::Aws | Cloud::Azure),
        RangeKind::Pod => cni.pods_outside_network(),
        RangeKind::Node => false,
    };
    if outside_vpc {
        out = out.union(&AddrSet::from_prefixes(vpc));
    }
    out
}

/// The only space the cloud lets an IPv4 range of `kind` use, if it limits it.
pub(crate) fn limited_to(cloud: Cloud, kind: RangeKind) -> Option<AddrSet> {
    match (cloud, kind) {
        (Cloud::Aws, RangeKind::Service) => Some(AddrSet::from_prefixes(&EKS_SERVICE_SPACE)),
        _ => None,
    }
}

/// The rules that narrowed the space of `kind`, for an infeasibility reason: empty when
/// none did, else `" (eks_service_cidr_private: ...)"`.
pub(crate) fn why_limited(ctx: &Context<'_>, kind: RangeKind) -> String {
    let network = &ctx.req.network;
    let mut notes: Vec<&str> = Vec::new();
    if network.cloud == Cloud::Aws && kind == RangeKind::Service {
        notes.push(
            "eks_service_cidr_private: EKS takes a service range only inside 10.0.0.0/8, \
             172.16.0.0/12 or 192.168.0.0/16",
        );
        notes.push(
            "eks_service_cidr_outside_vpc: and never in the VPC (network.node_pools, else \
             network.pools); network.service_pools can name private space outside it",
        );
    }
    if network.cloud == Cloud::Azure && kind == RangeKind::Service {
        notes.push(
            "aks_service_cidr_outside_vnet: AKS takes a service range only outside the VNet \
             (network.node_pools, else network.pools); network.service_pools can name space \
             outside it",
        );
    }
    if network.cni.pods_outside_network() && kind == RangeKind::Pod {
        notes.push(
            "aks_pods_outside_vnet: overlay pod ranges never lie in the VNet (network.node_pools, \
             else network.pools); network.pod_pools can name space outside it",
        );
    }
    let overlaps_pools = |f: &Prefix| {
        network
            .pools_for_family(kind, Family::V4)
            .iter()
            .any(|p| p.overlaps(f))
    };
    if network.cloud == Cloud::Azure && AKS_FORBIDDEN.iter().any(overlaps_pools) {
        notes.push("aks_forbidden_ranges: 169.254.0.0/16, 172.30.0.0/16, 172.31.0.0/16 and 192.0.2.0/24 are never used");
    }
    if notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", notes.join("; "))
    }
}

/// Why the CNI rules `model` out, as an infeasibility naming the rule.
pub(crate) fn check_model(ctx: &Context<'_>, model: NetworkModel) -> Result<()> {
    let cni = ctx.req.network.cni;
    let reason = if cni.pods_in_node_subnet() && model != NetworkModel::Flat {
        format!(
            "pods_in_node_subnet: with cni {} every pod takes an address of its node's subnet, \
             routed in the {}, which is the flat model",
            cni.as_str(),
            network_word(ctx.req.network.cloud)
        )
    } else if cni == Cni::CustomNetworking && model != NetworkModel::Flat {
        format!(
            "eks_custom_networking_subnets: with cni custom_networking pod ranges are subnets of \
             the VPC (ENIConfig), unique within it, and the VPC CNI keeps the pod's address for \
             every destination in the VPC, so pods are routed as they are: the flat model, not \
             {model}"
        )
    } else if cni == Cni::VpcNative && model.reuses_pod_range() && ctx.req.clusters.len() > 1 {
        format!(
            "gke_unique_secondary_ranges: with cni vpc_native pod ranges are secondary ranges \
             of the clusters' subnets, which Google Cloud refuses to overlap within one VPC, so \
             the {model} model's shared pod range cannot be created"
        )
    } else if cni.pods_outside_network()
        && matches!(model, NetworkModel::Flat | NetworkModel::Mapped)
    {
        format!(
            "aks_pods_outside_vnet: with cni {} pods live outside the VNet behind their node's \
             address, which the {model} model cannot route",
            cni.as_str()
        )
    } else {
        return Ok(());
    };
    Err(Error::Infeasible {
        model: model.as_str().into(),
        reason,
    })
}

fn network_word(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::Azure => "VNet",
        _ => "VPC",
    }
}

/// Pinned ranges the cloud refuses: an `invalid_spec` error naming the field and the rule.
pub(crate) fn check_pins(ctx: &Context<'_>) -> Result<()> {
    let network = &ctx.req.network;
    for (i, c) in ctx.req.clusters.iter().enumerate() {
        if let (true, Some(pin)) = (network.cni.pods_in_node_subnet(), c.pod_cidr) {
            return Err(Error::invalid_spec(
                format!("clusters[{i}].pod_cidr"),
                format!(
                    "{pin}: with cni {} pods take addresses of the node subnet, which is the \
                     pod range (pods_in_node_subnet); pin node_subnet instead",
                    network.cni.as_str()
                ),
            ));
        }
        if let (true, Some(pin)) = (network.cni.pods_outside_network(), c.pod_cidr) {
            if let Some(vnet) = network.vpc().iter().find(|v| v.overlaps(&pin)) {
                return Err(Error::invalid_spec(
                    format!("clusters[{i}].pod_cidr"),
                    format!(
                        "{pin} overlaps the VNet's {vnet} (network.node_pools, else \
                         network.pools); with cni {} pod ranges lie outside the VNet \
                         (aks_pods_outside_vnet)",
                        network.cni.as_str()
                    ),
                ));
            }
        }
        let pins = [
            ("pod_cidr", c.pod_cidr),
            ("service_cidr", c.service_cidr),
            ("node_subnet", c.node_subnet),
        ];
        for (field, pin) in pins {
            let Some(pin) = pin else { continue };
            let field = format!("clusters[{i}].{field}");
            if network.cloud == Cloud::Azure {
                if let Some(bad) = AKS_FORBIDDEN.iter().find(|f| f.overlaps(&pin)) {
                    return Err(Error::invalid_spec(
                        field,
                        format!("{pin} overlaps {bad}, which AKS refuses (aks_forbidden_ranges)"),
                    ));
                }
            }
        }
        if let (Cloud::Azure, Some(service)) = (network.cloud, c.service_cidr) {
            if let Some(vnet) = network.vpc().iter().find(|v| v.overlaps(&service)) {
                return Err(Error::invalid_spec(
                    format!("clusters[{i}].service_cidr"),
                    format!(
                        "{service} overlaps the VNet's {vnet} (network.node_pools, else \
                         network.pools); AKS refuses a service range inside the VNet \
                         (aks_service_cidr_outside_vnet)"
                    ),
                ));
            }
        }
        if let (Cloud::Aws, Some(service)) = (network.cloud, c.service_cidr) {
            let field = format!("clusters[{i}].service_cidr");
            if !EKS_SERVICE_SPACE.iter().any(|s| s.contains(&service)) {
                return Err(Error::invalid_spec(
                    field,
                    format!(
                        "{service} is outside 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16, \
                         where EKS accepts a service range (eks_service_cidr_private)"
                    ),
                ));
            }
            if !(EKS_SERVICE_SHORTEST_LEN..=EKS_SERVICE_LONGEST_LEN).contains(&service.len()) {
                return Err(Error::invalid_spec(
                    field,
                    format!(
                        "{service} is a /{}; EKS accepts a service range from /{} to /{} \
                         (eks_service_cidr_size)",
                        service.len(),
                        EKS_SERVICE_LONGEST_LEN,
                        EKS_SERVICE_SHORTEST_LEN
                    ),
                ));
            }
            if let Some(vpc) = network.vpc().iter().find(|v| v.overlaps(&service)) {
                return Err(Error::invalid_spec(
                    field,
                    format!(
                        "{service} overlaps the VPC's {vpc} (network.node_pools, else network.pools); EKS refuses a \
                         service range that overlaps the VPC (eks_service_cidr_outside_vpc)"
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The rules that decided something in `draft`, in code order, one row per range.
pub(crate) fn rules_applied(ctx: &Context<'_>, draft: &Draft) -> Vec<RuleApplied> {
    let network = &ctx.req.network;
    let mut rows: Vec<RuleApplied> = Vec::new();
    let names = |i: usize| {
        ctx.req
            .clusters
            .get(i)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    // One row per (code, range), listing every cluster holding the range.
    let mut add = |code: &'static str, range: Prefix, cluster: Option<usize>, message: String| {
        if let Some(row) = rows.iter_mut().find(|r| r.code == code && r.range == range) {
            if let Some(i) = cluster {
                row.clusters.push(names(i));
            }
            return;
        }
        rows.push(RuleApplied {
            code,
            range,
            clusters: cluster.map(names).into_iter().collect(),
            message,
        });
    };
    let any_pool = |p: &Prefix| {
        RangeKind::ALL
            .iter()
            .any(|&k| network.pools_for(k).iter().any(|pool| pool.overlaps(p)))
    };
    if network.cloud == Cloud::Azure {
        for forbidden in AKS_FORBIDDEN.iter().filter(|f| any_pool(f)) {
            add(
                "aks_forbidden_ranges",
                *forbidden,
                None,
                format!("{forbidden} is never used: AKS refuses it for any of a cluster's ranges"),
            );
        }
    }
    if network.cloud == Cloud::Gcp && any_pool(&GKE_DEFAULT_SERVICE_RANGE) {
        add(
            "gke_default_service_range",
            GKE_DEFAULT_SERVICE_RANGE,
            None,
            format!(
                "{GKE_DEFAULT_SERVICE_RANGE} is avoided while other space is free: GKE gives it \
                 to every cluster created without a service range"
            ),
        );
    }
    let vpc = if network.node_pools.is_empty() && network.vpc().is_empty() {
        String::from("the node subnets (the VPC is not given: network.node_pools)")
    } else if network.node_pools.is_empty() {
        format!("the pools ({})", list(&network.vpc()))
    } else {
        format!("the node pools ({})", list(&network.node_pools))
    };
    for (i, (placed, sizing)) in draft.clusters.iter().zip(&ctx.sizings).enumerate() {
        if let (Cloud::Azure, Some(service)) = (network.cloud, placed.service) {
            add(
                "aks_service_cidr_outside_vnet",
                service,
                Some(i),
                format!("service range {service} stays out of the VNet, {vpc}"),
            );
        }
        let natural = super::sizing::subnet_len(Family::V4, sizing.node_subnet_addresses);
        if let (Cloud::Aws, Some(subnet)) = (network.cloud, placed.node_subnet) {
            if subnet.family() == Family::V4
                && subnet.len() == AWS_SUBNET_LONGEST_LEN
                && natural.is_some_and(|n| n > AWS_SUBNET_LONGEST_LEN)
            {
                add(
                    "aws_subnet_size",
                    subnet,
                    Some(i),
                    format!(
                        "node subnet {subnet} is a /{AWS_SUBNET_LONGEST_LEN}, the smallest \
                         subnet AWS allows, though {} addresses fit in less",
                        sizing.node_subnet_addresses
                    ),
                );
            }
        }
        if let (Cloud::Aws, Some(service)) = (network.cloud, placed.service) {
            add(
                "eks_service_cidr_private",
                service,
                Some(i),
                format!(
                    "service range {service} lies in 10.0.0.0/8, 172.16.0.0/12 or \
                     192.168.0.0/16, the only space EKS accepts"
                ),
            );
            add(
                "eks_service_cidr_outside_vpc",
                service,
                Some(i),
                format!("service range {service} stays out of the VPC, {vpc}"),
            );
            let asked = super::sizing::service_len(Family::V4, sizing.services).ok();
            if asked.is_some_and(|l| l > EKS_SERVICE_LONGEST_LEN) {
                add(
                    "eks_service_cidr_size",
                    service,
                    Some(i),
                    format!(
                        "service range {service} is a /{EKS_SERVICE_LONGEST_LEN} though {} \
                         services fit in less: EKS accepts /{EKS_SERVICE_LONGEST_LEN} to \
                         /{EKS_SERVICE_SHORTEST_LEN}",
                        sizing.services
                    ),
                );
            }
        }
        if sizing.pods_in_node_subnet {
            if let Some(subnet) = placed.node_subnet {
                add(
                    "pods_in_node_subnet",
                    subnet,
                    Some(i),
                    format!(
                        "node subnet {subnet} holds (nodes {} + surge {}) x (max pods {} + 1) \
                         = {} node and pod addresses and {} reserved: with cni {} pods take \
                         their addresses from it, and no pod range is cut",
                        sizing.max_nodes,
                        sizing.surge_nodes,
                        sizing.max_pods_per_node,
                        super::space::grouped(u128::from(
                            sizing.node_subnet_addresses - u64::from(sizing.reserved_per_subnet)
                        )),
                        sizing.reserved_per_subnet,
                        network.cni.as_str()
                    ),
                );
            }
            continue;
        }
        let Some(pod) = placed.pod else { continue };
        if network.cni.pods_outside_network() {
            add(
                "aks_overlay_node_24",
                pod,
                Some(i),
                format!(
                    "pod range {pod} is cut into a /{AKS_OVERLAY_NODE_MASK} per node, as {} \
                     does whatever the pods per node",
                    network.cni.as_str()
                ),
            );
            add(
                "aks_pods_outside_vnet",
                pod,
                Some(i),
                format!(
                    "pod range {pod} stays out of the VNet, {vpc}: {} pods live outside it",
                    network.cni.as_str()
                ),
            );
        }
        if network.cni == Cni::CustomNetworking {
            add(
                "eks_custom_networking_subnets",
                pod,
                Some(i),
                format!(
                    "pod range {pod} is a pod subnet of the VPC (ENIConfig), unique in it; pods \
                     keep their address toward the VPC"
                ),
            );
        }
        if network.cni == Cni::VpcNative {
            add(
                "gke_unique_secondary_ranges",
                pod,
                Some(i),
                format!(
                    "pod range {pod} is a secondary range of the cluster's subnet, unique in \
                     the VPC: Google Cloud refuses overlapping ranges in one VPC"
                ),
            );
        }
        // Twice the pods per node, rounded up to a power of two, is below 16 addresses only
        // up to 4 pods per node: only there does the /28 floor decide.
        if network.cloud == Cloud::Gcp && sizing.max_pods_per_node <= 4 {
            add(
                "gke_node_pod_range_min_28",
                pod,
                Some(i),
                format!(
                    "per-node ranges of {pod} are /28s, GKE's smallest, though {} pods per node \
                     fit in less",
                    sizing.max_pods_per_node
                ),
            );
        }
        if sizing.surge_nodes > 0 {
            add(
                "surge_in_pod_range",
                pod,
                Some(i),
                format!(
                    "pod range {pod} holds a per-node range for each of {} nodes and {} surge \
                     {}, so upgrades at full size still get pod addresses",
                    sizing.max_nodes,
                    sizing.surge_nodes,
                    if sizing.surge_nodes == 1 {
                        "node"
                    } else {
                        "nodes"
                    }
                ),
            );
        }
    }
    rows.sort_by(|a, b| (a.code, a.range).cmp(&(b.code, b.range)));
    rows
}

fn list(prefixes: &[Prefix]) -> String {
    let shown: Vec<String> = prefixes.iter().take(8).map(|p| format!("{p}")).collect();
    let mut out = shown.join(", ");
    if prefixes.len() > 8 {
        out.push_str(&format!(" and {} more", prefixes.len() - 8));
    }
    out
}
