//! The plan request: the network, what already lives in it, the clusters to build and what
//! they need. JSON, YAML and TOML all map onto these types (feature `serde`).

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use super::model::ModelChoice;
use crate::Prefix;

/// Pods per node when a cluster does not say: the kubelet's default `--max-pods`.
pub const DEFAULT_MAX_PODS_PER_NODE: u32 = 110;
/// Service VIPs per cluster when a cluster does not say: a /20 (IPv4) or /116 (IPv6).
pub const DEFAULT_SERVICES: u32 = 4096;

/// Everything `plan`, `recommend` and `lint` need to know.
///
/// Every field but `network.pools` and `clusters` has a default; unknown keys are rejected
/// by name, because a typo such as `max_pod` would otherwise be silently ignored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct PlanRequest {
    /// The address space the organisation routes, and what already uses it.
    pub network: Network,
    /// The clusters to plan, in the order their ranges are placed.
    #[cfg_attr(feature = "serde", serde(default))]
    pub clusters: Vec<ClusterSpec>,
    /// What the clusters need from the network (the talk's criteria).
    #[cfg_attr(feature = "serde", serde(default))]
    pub requirements: Requirements,
    /// The model to plan with; `auto` (the default) takes the top feasible recommendation.
    #[cfg_attr(feature = "serde", serde(default))]
    pub model: ModelChoice,
    /// Room to grow in place for every cluster that does not say (see
    /// [`ClusterSpec::growth_reserve`]).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub growth_reserve: Option<u32>,
    /// How the ranges each cluster owns alone are ordered in the address space.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Layout::is_by_kind")
    )]
    pub layout: Layout,
}

/// How the planner orders the ranges each cluster owns alone (first-fit, lowest address).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Layout {
    /// Every cluster's pod range, then every service range, then every node subnet, so
    /// ranges of a kind sit together (the default).
    #[default]
    ByKind,
    /// Each cluster's ranges together, cluster after cluster. First-fit in this order
    /// places each cluster as if the clusters before it were all there was, so a fleet
    /// planned one cluster at a time (each re-plan given the previous plan) gets exactly
    /// the ranges of the fleet planned at once.
    ByCluster,
}

impl Layout {
    /// Whether this is the default, [`Layout::ByKind`].
    pub const fn is_by_kind(&self) -> bool {
        matches!(self, Layout::ByKind)
    }
}

/// The routed address space and the allocations already in it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Network {
    /// The pools the organisation routes, e.g. `["10.0.0.0/8"]`; IPv6 pools serve the
    /// IPv6 half of `ipv6` and `dual` clusters.
    pub pools: Vec<Prefix>,
    /// What already uses part of the network.
    #[cfg_attr(feature = "serde", serde(default))]
    pub allocations: Vec<AllocationSpec>,
    /// Whose subnets the node subnets are: decides the addresses reserved in each subnet.
    #[cfg_attr(feature = "serde", serde(default))]
    pub cloud: Cloud,
    /// Overrides the cloud's count of reserved addresses per subnet.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub reserved_per_subnet: Option<u32>,
    /// How the cloud's CNI gives pods their addresses, where it changes sizing or the
    /// rules (`docs/clouds.md`); `default` plans per-node ranges from a pod range.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Cni::is_default")
    )]
    pub cni: Cni,
    /// Where node subnets come from (the VPC or VNet); empty, or without a family the
    /// cluster needs: `pools` of that family. On `aws` and
    /// `azure` these pools are the VPC or VNet that service and overlay pod ranges must
    /// stay out of.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub node_pools: Vec<Prefix>,
    /// Where pod ranges come from, e.g. `["100.64.0.0/10"]` or an AKS overlay CIDR;
    /// empty, or without a family the cluster needs: `pools` of that family.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub pod_pools: Vec<Prefix>,
    /// Where service ranges come from, e.g. a private range every cluster reuses; empty,
    /// or without a family the cluster needs: `pools` of that family.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub service_pools: Vec<Prefix>,
}

/// The kinds of range a cluster has, each with its own pools (`network.node_pools`,
/// `pod_pools`, `service_pools`, else `network.pools`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RangeKind {
    /// Node subnets.
    Node,
    /// Pod ranges (and mapped external ranges, which the network routes like pods).
    Pod,
    /// Service ranges.
    Service,
}

impl RangeKind {
    /// Every kind, in the order placement takes them.
    pub const ALL: [RangeKind; 3] = [RangeKind::Pod, RangeKind::Service, RangeKind::Node];
    /// Every kind, in declaration order (`kind as usize`).
    pub const ALL_BY_INDEX: [RangeKind; 3] = [RangeKind::Node, RangeKind::Pod, RangeKind::Service];

    /// The request field holding this kind's pools.
    pub const fn field(self) -> &'static str {
        match self {
            RangeKind::Node => "network.node_pools",
            RangeKind::Pod => "network.pod_pools",
            RangeKind::Service => "network.service_pools",
        }
    }
}

impl Network {
    /// The cloud network the clusters live in (the VPC or VNet), which EKS service ranges
    /// and AKS overlay or kubenet pod ranges stay out of: `node_pools`, else `pools`; on
    /// `aws` only the pools that can be VPC CIDR blocks (IPv4, /16 or longer), so a pool
    /// such as 10.0.0.0/8 reads as the organisation's space, not as the VPC.
    pub fn vpc(&self) -> Vec<Prefix> {
        let pools = self.pools_for(RangeKind::Node);
        if self.cloud == Cloud::Aws && self.node_pools.is_empty() {
            pools
                .iter()
                .copied()
                .filter(|p| p.family() == crate::Family::V4 && p.len() >= 16)
                .collect()
        } else {
            pools.to_vec()
        }
    }

    /// The pools ranges of `kind` come from: the kind's own pools, else `pools`.
    pub fn pools_for(&self, kind: RangeKind) -> &[Prefix] {
        let own = match kind {
            RangeKind::Node => &self.node_pools,
            RangeKind::Pod => &self.pod_pools,
            RangeKind::Service => &self.service_pools,
        };
        if own.is_empty() {
            &self.pools
        } else {
            own
        }
    }

    /// The pools of `family` ranges of `kind` come from: the kind's own pools of that
    /// family, else `pools` of that family (so `pod_pools: [100.64.0.0/10]` leaves the
    /// IPv6 pod ranges of dual clusters in `pools`).
    pub fn pools_for_family(&self, kind: RangeKind, family: crate::Family) -> Vec<Prefix> {
        let of = |list: &[Prefix]| -> Vec<Prefix> {
            list.iter()
                .copied()
                .filter(|p| p.family() == family)
                .collect()
        };
        let own = of(self.pools_for(kind));
        if own.is_empty() {
            of(&self.pools)
        } else {
            own
        }
    }
}

/// How pods get their addresses on a cloud (`network.cni`). Each value but `default`
/// belongs to one cloud; `docs/clouds.md` gives the rules each brings and their sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Cni {
    /// Per-node ranges cut from a pod range, as kube-controller-manager's node IPAM does.
    #[default]
    Default,
    /// AWS: the Amazon VPC CNI gives every pod an address of its node's subnet.
    VpcCni,
    /// AWS: the VPC CNI with custom networking: pods take addresses from separate pod
    /// subnets (often in 100.64.0.0/10), planned as a pod range of per-node ranges.
    CustomNetworking,
    /// Azure: flat Azure CNI gives every pod an address of its node's subnet.
    AzureCni,
    /// Azure CNI overlay: pods live outside the VNet, a /24 per node from an overlay CIDR
    /// that clusters may reuse.
    Overlay,
    /// Azure kubenet: pods live outside the VNet, a /24 per node, routed by route tables.
    Kubenet,
    /// GCP: VPC-native clusters, pods in a subnet's secondary range (alias IPs).
    VpcNative,
}

impl Cni {
    /// Every value, for round trips and documentation.
    pub const ALL: [Cni; 7] = [
        Cni::Default,
        Cni::VpcCni,
        Cni::CustomNetworking,
        Cni::AzureCni,
        Cni::Overlay,
        Cni::Kubenet,
        Cni::VpcNative,
    ];

    /// Whether this is the default, [`Cni::Default`].
    pub const fn is_default(&self) -> bool {
        matches!(self, Cni::Default)
    }

    /// The wire name, e.g. `"vpc_cni"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Cni::Default => "default",
            Cni::VpcCni => "vpc_cni",
            Cni::CustomNetworking => "custom_networking",
            Cni::AzureCni => "azure_cni",
            Cni::Overlay => "overlay",
            Cni::Kubenet => "kubenet",
            Cni::VpcNative => "vpc_native",
        }
    }

    /// The cloud this CNI belongs to; `None` for `default`, which fits every cloud.
    pub const fn cloud(self) -> Option<Cloud> {
        match self {
            Cni::Default => None,
            Cni::VpcCni | Cni::CustomNetworking => Some(Cloud::Aws),
            Cni::AzureCni | Cni::Overlay | Cni::Kubenet => Some(Cloud::Azure),
            Cni::VpcNative => Some(Cloud::Gcp),
        }
    }

    /// Whether pods take their addresses from the node subnet (no pod range of their own).
    pub const fn pods_in_node_subnet(self) -> bool {
        matches!(self, Cni::VpcCni | Cni::AzureCni)
    }

    /// Whether the cloud routes each node's pod range to the node itself (GKE VPC-native
    /// alias ranges; AKS overlay's routing domain and kubenet's route tables): pod traffic
    /// between nodes then travels unencapsulated whatever the model, so a cluster's
    /// `datapath.routing` is `native`.
    pub const fn routes_node_ranges(self) -> bool {
        matches!(self, Cni::VpcNative | Cni::Overlay | Cni::Kubenet)
    }

    /// Whether pods live outside the VNet behind their node's address (AKS overlay and
    /// kubenet): a fixed /24 per node, and pod addresses the network never routes.
    pub const fn pods_outside_network(self) -> bool {
        matches!(self, Cni::Overlay | Cni::Kubenet)
    }
}

/// A named range of the network already in use (a datacenter, a VPN, a host).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct AllocationSpec {
    /// A name for warnings and the reachability matrix, e.g. `"other"`.
    pub name: String,
    /// The range it occupies.
    pub cidr: Prefix,
    /// Whether pods must reach it (default `true`): a shared pod range never shadows a
    /// reachable allocation, and may shadow an unreachable one.
    #[cfg_attr(feature = "serde", serde(default = "yes"))]
    pub reachable: bool,
    /// Where the allocation came from when it was imported, e.g.
    /// `aws-subnets:subnets.json Subnets[3]` (see [`crate::import`]); informational.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub origin: Option<String>,
    /// Labels the source kept about it (NetBox status, VRF, role, tenant; a cloud's scope);
    /// informational.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "BTreeMap::is_empty")
    )]
    pub labels: BTreeMap<String, String>,
}

#[cfg(feature = "serde")]
fn yes() -> bool {
    true
}

/// Where node subnets live: the addresses each subnet loses to the platform, and the
/// cloud's rules on ranges (`docs/clouds.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Cloud {
    /// An ordinary routed subnet: network, gateway and broadcast addresses (3).
    #[default]
    Generic,
    /// Google Cloud reserves 4 addresses per subnet.
    Gcp,
    /// AWS reserves 5 addresses per subnet.
    Aws,
    /// Azure reserves 5 addresses per subnet; AKS upgrades add a surge node by default.
    Azure,
}

impl Cloud {
    /// Addresses the platform keeps in every subnet.
    pub const fn reserved_per_subnet(self) -> u32 {
        match self {
            Cloud::Generic => 3,
            Cloud::Gcp => 4,
            Cloud::Aws | Cloud::Azure => 5,
        }
    }

    /// Extra nodes that exist during an upgrade when a cluster does not say (AKS max surge 1).
    pub const fn default_surge_nodes(self) -> u32 {
        match self {
            Cloud::Azure => 1,
            _ => 0,
        }
    }
}

/// The address families a cluster runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ClusterFamily {
    /// IPv4 only (the default).
    #[default]
    Ipv4,
    /// IPv6 only.
    Ipv6,
    /// Dual-stack: IPv4 and IPv6 pod and service ranges.
    Dual,
}

impl ClusterFamily {
    /// Whether the cluster has IPv4 ranges.
    pub const fn has_v4(self) -> bool {
        matches!(self, ClusterFamily::Ipv4 | ClusterFamily::Dual)
    }

    /// Whether the cluster has IPv6 ranges.
    pub const fn has_v6(self) -> bool {
        matches!(self, ClusterFamily::Ipv6 | ClusterFamily::Dual)
    }
}

/// One cluster to plan.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ClusterSpec {
    /// Unique name, used in the plan and the reachability matrix (`pod:<name>`).
    pub name: String,
    /// Nodes today.
    pub nodes: u32,
    /// Nodes the ranges must hold; defaults to `nodes`.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub max_nodes: Option<u32>,
    /// Pods per node; defaults to 110 ([`DEFAULT_MAX_PODS_PER_NODE`]).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub max_pods_per_node: Option<u32>,
    /// Addresses the service range must hold (rounded up to a power of two, at least 16:
    /// kubeadm needs 10); defaults to 4096 ([`DEFAULT_SERVICES`]). The API server hands out
    /// all but two of them in IPv4 (network and broadcast) and all but one in IPv6.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub services: Option<u32>,
    /// Archipelago group; clusters without one form a group of their own.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub group: Option<String>,
    /// `ipv4` (default), `ipv6` or `dual`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub family: ClusterFamily,
    /// Extra nodes during upgrades, which need node IPs too; defaults per cloud.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub surge_nodes: Option<u32>,
    /// A pod range to use as is instead of choosing one.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub pod_cidr: Option<Prefix>,
    /// A service range to use as is.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub service_cidr: Option<Prefix>,
    /// A node subnet to use as is.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub node_subnet: Option<Prefix>,
    /// An IPv6 pod range to use as is (`ipv6` and `dual` clusters).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub pod_cidr_v6: Option<Prefix>,
    /// An IPv6 service range to use as is (`ipv6` and `dual` clusters).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub service_cidr_v6: Option<Prefix>,
    /// Room to grow in place: the factor by which `max_nodes` may later grow without a
    /// range moving (2 = room to double; rounded up to a power of two, at most 65,536).
    /// The pod ranges and the node subnet are placed at the start of an aligned block this
    /// many times their size, and the rest of the block is kept free (`growth_reserve` in
    /// the plan). Defaults to the request's `growth_reserve`, else 1 (no reserve).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub growth_reserve: Option<u32>,
    /// The cluster runs already (an imported cluster is marked so): its ranges are the
    /// pinned ones, and the planner carves none for it. Every range its family needs
    /// (`pod_cidr` and `service_cidr` for IPv4, `pod_cidr_v6` and `service_cidr_v6` for
    /// IPv6, and `node_subnet`) must then be pinned: one that is not is an error, never a
    /// range invented for a cluster that has one already.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "core::ops::Not::not")
    )]
    pub existing: bool,
}

/// How much of a kind of integration the clusters need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Integration {
    /// No integration (`"none"`).
    #[cfg_attr(feature = "serde", serde(rename = "none"))]
    Unneeded,
    /// Some integration: pods call out, a few things call in through gateways.
    Some,
    /// High integration: pods and the rest of the network talk directly and often.
    High,
}

/// Whether the network has address space to spare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum IpSpace {
    /// Space is available.
    Plentiful,
    /// Space is scarce or fragmented.
    Scarce,
}

/// How large a part of the organisation's footprint Kubernetes is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Footprint {
    /// Kubernetes is a small part of the footprint.
    Small,
    /// Kubernetes is a large part of the footprint.
    Large,
}

/// How many services are exposed to the rest of the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Exposure {
    /// A few services, behind an ingress or a handful of load balancers.
    Few,
    /// A lot of services.
    Many,
}

/// The talk's criteria. Omitted criteria count neither for nor against a model, except
/// `ip_space`, which is then judged from the free space.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct Requirements {
    /// `plentiful` or `scarce`; omitted: judged from how much of the free space flat needs.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub ip_space: Option<IpSpace>,
    /// Whether the network can be programmed with routes for every node's pod range.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub network_programmable: Option<bool>,
    /// Integration needed between pods and the rest of the network.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub integration: Option<Integration>,
    /// Integration needed between pods of different clusters.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub cross_cluster_integration: Option<Integration>,
    /// How large a part of the footprint Kubernetes is.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub kubernetes_footprint: Option<Footprint>,
    /// Operators must debug connectivity end to end (pod IPs seen as they are).
    pub debug_connectivity: bool,
    /// Clients outside the cluster must reach individual pods directly.
    pub direct_to_endpoint: bool,
    /// How many services are exposed to the rest of the network.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub exposed_services: Option<Exposure>,
    /// Exposed services include non-HTTP protocols (no L7 proxy can front them).
    pub non_http_services: bool,
    /// Firewalls elsewhere in the network filter on the client (pod) IP.
    pub client_ip_firewalls: bool,
    /// Island pod ranges may come from 100.64.0.0/10 (RFC 6598) or 240.0.0.0/4 (class E).
    pub allow_non_rfc1918: bool,
    /// Clusters must be internally identical (same pod ranges) yet directly addressable:
    /// the defining need of the mapped model.
    pub identical_clusters: bool,
}

#[cfg(all(test, feature = "serde"))]
mod tests {
    use super::*;
    use crate::k8s::ModelChoice;
    use alloc::string::ToString;

    /// Every variant's wire name, as serialized, reads back as that variant, and a name
    /// that is none of them is refused naming the ones that are.
    fn round_trips<T>(all: &[T])
    where
        T: serde::Serialize + for<'de> serde::Deserialize<'de> + PartialEq + core::fmt::Debug,
    {
        for variant in all {
            let name = serde_json::to_string(variant).unwrap();
            assert_eq!(
                &serde_json::from_str::<T>(&name).unwrap(),
                variant,
                "{name}"
            );
        }
        let err = serde_json::from_str::<T>(r#""nope""#)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("unknown variant `nope`, expected "),
            "{err}"
        );
    }

    #[test]
    fn every_variant_reads_back_from_its_own_name() {
        round_trips(&[Layout::ByKind, Layout::ByCluster]);
        round_trips(&[Cloud::Generic, Cloud::Gcp, Cloud::Aws, Cloud::Azure]);
        round_trips(&Cni::ALL);
        round_trips(&[
            ClusterFamily::Ipv4,
            ClusterFamily::Ipv6,
            ClusterFamily::Dual,
        ]);
        round_trips(&[Integration::Unneeded, Integration::Some, Integration::High]);
        round_trips(&[IpSpace::Plentiful, IpSpace::Scarce]);
        round_trips(&[Footprint::Small, Footprint::Large]);
        round_trips(&[Exposure::Few, Exposure::Many]);
        round_trips(&ModelChoice::ALL);
    }
}
