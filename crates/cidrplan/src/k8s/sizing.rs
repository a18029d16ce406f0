//! Range sizes by the field's rules: per-node pod ranges, cluster pod ranges, service
//! ranges and node subnets. Pure arithmetic on prefix lengths; no address is enumerated.

use alloc::format;

use super::cloud::{
    AKS_OVERLAY_MAX_PODS, AKS_OVERLAY_NODE_MASK, AWS_SUBNET_LONGEST_LEN, AWS_SUBNET_SHORTEST_LEN,
    EKS_SERVICE_LONGEST_LEN,
};
use super::request::{
    Cloud, ClusterFamily, ClusterSpec, Network, DEFAULT_MAX_PODS_PER_NODE, DEFAULT_SERVICES,
};
use crate::{Error, Family, Result};

/// kube-controller-manager's default per-node IPv6 mask (`--node-cidr-mask-size-ipv6`).
pub const IPV6_NODE_POD_MASK: u8 = 64;
/// The node IPAM allocator refuses a cluster CIDR more than 16 bits shorter than the node
/// mask: node mask - cluster mask <= 16.
pub const MAX_NODE_MASK_DIFFERENCE: u8 = 16;
/// The API server refuses service ranges with more than 20 host bits (IPv4 /12, IPv6 /108).
pub const MAX_SERVICE_HOST_BITS: u8 = 20;
/// Fewest host bits of a service range (IPv4 /28, IPv6 /124): kubeadm refuses a service
/// subnet of fewer than 10 addresses, as its DNS Service takes the 10th.
pub const MIN_SERVICE_HOST_BITS: u8 = 4;
/// The longest IPv4 per-node pod mask: a node's range is never smaller than a /28 (16
/// addresses), GKE's smallest per-node range, however few pods a node runs. IPv6 per-node
/// ranges are always [`IPV6_NODE_POD_MASK`], far above the equivalent floor.
pub const MIN_NODE_POD_RANGE_V4: u8 = 28;
/// Largest accepted `max_pods_per_node`: far above any kubelet in production, small enough
/// that twice it still leaves an IPv4 per-node range inside a /8.
pub const MAX_PODS_PER_NODE_LIMIT: u32 = 1 << 20;
/// Fewest pods per node GKE VPC-native runs (Google Cloud, "Configure maximum Pods per node").
pub const GKE_MIN_PODS_PER_NODE: u32 = 8;
/// Most pods per node GKE VPC-native runs (same page).
pub const GKE_MAX_PODS_PER_NODE: u32 = 256;

/// `ceil(log2(n))` for `n >= 1` (0 for `n <= 1`).
pub const fn ceil_log2(n: u64) -> u32 {
    if n <= 1 {
        0
    } else {
        64 - (n - 1).leading_zeros()
    }
}

/// The IPv4 per-node pod mask for `max_pods` pods: twice the pods, rounded up to a power of
/// two, so addresses are not reused the moment a pod is deleted.
///
/// This reproduces GKE's table exactly: 8 -> /28, 9-16 -> /27, 17-32 -> /26, 33-64 -> /25,
/// 65-110 -> /24; below 8 pods the range stays a /28 ([`MIN_NODE_POD_RANGE_V4`]).
///
/// ```
/// use cidrplan::k8s::sizing::node_pod_mask_v4;
/// assert_eq!(node_pod_mask_v4(110), Some(24));
/// assert_eq!(node_pod_mask_v4(8), Some(28));
/// assert_eq!(node_pod_mask_v4(1), Some(28));
/// assert_eq!(node_pod_mask_v4(0), None);
/// ```
pub fn node_pod_mask_v4(max_pods: u32) -> Option<u8> {
    if max_pods == 0 || max_pods > MAX_PODS_PER_NODE_LIMIT {
        return None;
    }
    let bits = ceil_log2(2 * u64::from(max_pods));
    u8::try_from(32 - bits)
        .ok()
        .map(|mask| mask.min(MIN_NODE_POD_RANGE_V4))
}

/// The per-node pod mask of a family: [`node_pod_mask_v4`] for IPv4, /64 for IPv6.
pub fn node_pod_mask(family: Family, max_pods: u32) -> Option<u8> {
    match family {
        Family::V4 => node_pod_mask_v4(max_pods),
        Family::V6 if max_pods == 0 || max_pods > MAX_PODS_PER_NODE_LIMIT => None,
        Family::V6 => Some(IPV6_NODE_POD_MASK),
    }
}

/// The cluster pod range length that holds `max_nodes` per-node ranges of `node_mask`.
///
/// Fails with the number of bits needed when it breaks the allocator's 16-bit limit.
///
/// ```
/// use cidrplan::k8s::sizing::cluster_pod_len;
/// assert_eq!(cluster_pod_len(24, 250), Ok(16)); // the talk's 10.0.0.0/16 of /24s
/// assert_eq!(cluster_pod_len(24, 70_000), Err(17));
/// ```
pub fn cluster_pod_len(node_mask: u8, max_nodes: u32) -> core::result::Result<u8, u32> {
    let bits = ceil_log2(u64::from(max_nodes.max(1)));
    if bits > u32::from(MAX_NODE_MASK_DIFFERENCE) || bits > u32::from(node_mask) {
        return Err(bits);
    }
    Ok(node_mask - bits as u8)
}

/// The service range length holding `services` addresses in `family` (of which the API
/// server hands out all but the network and broadcast addresses in IPv4, and all but the
/// first in IPv6), never smaller than a /28 or /124: kubeadm refuses a service subnet of
/// fewer than 10 addresses (its DNS Service takes the 10th).
///
/// Fails with the host bits needed when above Kubernetes' limit of 20.
///
/// ```
/// use cidrplan::{Family, k8s::sizing::service_len};
/// assert_eq!(service_len(Family::V4, 4096), Ok(20));
/// assert_eq!(service_len(Family::V6, 4096), Ok(116));
/// assert_eq!(service_len(Family::V4, 5), Ok(28)); // kubeadm's floor, not a /29
/// assert_eq!(service_len(Family::V4, 1 << 20), Ok(12)); // kubeadm's 10.96.0.0/12
/// assert_eq!(service_len(Family::V4, (1 << 20) + 1), Err(21));
/// ```
pub fn service_len(family: Family, services: u32) -> core::result::Result<u8, u32> {
    let bits = ceil_log2(u64::from(services.max(1))).max(u32::from(MIN_SERVICE_HOST_BITS));
    if bits > u32::from(MAX_SERVICE_HOST_BITS) {
        return Err(bits);
    }
    Ok(family.bits() - bits as u8)
}

/// The smallest subnet length of `family` holding `addresses` addresses, if any does.
pub fn subnet_len(family: Family, addresses: u64) -> Option<u8> {
    let bits = ceil_log2(addresses.max(1));
    u8::try_from(bits)
        .ok()
        .and_then(|b| family.bits().checked_sub(b))
}

/// Addresses a node subnet needs: a node IP for every node and upgrade surge node, plus
/// the addresses the platform reserves in each subnet.
pub fn node_subnet_addresses(max_nodes: u32, surge_nodes: u32, reserved: u32) -> u64 {
    u64::from(max_nodes) + u64::from(surge_nodes) + u64::from(reserved)
}

/// IPs AKS' flat Azure CNI takes from the node subnet: every node, including surge nodes
/// during upgrades, takes one IP for itself and one per pod it may run,
/// `(nodes + surge) x (max_pods + 1)`.
///
/// ```
/// use cidrplan::k8s::sizing::aks_flat_cni_addresses;
/// assert_eq!(aks_flat_cni_addresses(50, 1, 30), 1_581); // Azure's documented example: a /21
/// ```
pub fn aks_flat_cni_addresses(nodes: u32, surge_nodes: u32, max_pods: u32) -> u64 {
    (u64::from(nodes) + u64::from(surge_nodes)) * (u64::from(max_pods) + 1)
}

/// The sizes of one cluster's ranges, resolved from its spec and the defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterSizing {
    /// Nodes the ranges hold.
    pub max_nodes: u32,
    /// Extra node IPs for upgrades.
    pub surge_nodes: u32,
    /// Pods per node.
    pub max_pods_per_node: u32,
    /// Service VIPs.
    pub services: u32,
    /// Families the cluster runs.
    pub family: ClusterFamily,
    /// IPv4 per-node pod mask (IPv4 and dual clusters).
    pub node_pod_mask: Option<u8>,
    /// IPv4 cluster pod range length.
    pub pod_len: Option<u8>,
    /// IPv4 service range length.
    pub service_len: Option<u8>,
    /// IPv6 per-node pod mask (IPv6 and dual clusters).
    pub node_pod_mask_v6: Option<u8>,
    /// IPv6 cluster pod range length.
    pub pod_len_v6: Option<u8>,
    /// IPv6 service range length.
    pub service_len_v6: Option<u8>,
    /// Node subnet family: IPv4 unless the cluster is IPv6-only.
    pub node_family: Family,
    /// Node subnet length.
    pub node_subnet_len: u8,
    /// Addresses the node subnet needs, reserved ones included.
    pub node_subnet_addresses: u64,
    /// Addresses reserved in each subnet.
    pub reserved_per_subnet: u32,
    /// Pods take their addresses from the node subnet (`cni` `vpc_cni` or `azure_cni`):
    /// the node subnet is the pod range, `node_pod_mask` is 32 and no pod range is cut.
    pub pods_in_node_subnet: bool,
}

impl ClusterSizing {
    /// Sizes cluster `index` of a request; errors name the field, e.g.
    /// `clusters[1].max_pods_per_node`.
    pub fn of(spec: &ClusterSpec, index: usize, network: &Network) -> Result<ClusterSizing> {
        let field = |name: &str| format!("clusters[{index}].{name}");
        let max_nodes = spec.max_nodes.unwrap_or(spec.nodes);
        if max_nodes == 0 {
            return Err(Error::invalid_spec(
                field(if spec.max_nodes.is_some() {
                    "max_nodes"
                } else {
                    "nodes"
                }),
                "a cluster needs at least one node",
            ));
        }
        if max_nodes < spec.nodes {
            return Err(Error::invalid_spec(
                field("max_nodes"),
                format!(
                    "{max_nodes} is fewer than the {} nodes the cluster has",
                    spec.nodes
                ),
            ));
        }
        let max_pods = spec.max_pods_per_node.unwrap_or(DEFAULT_MAX_PODS_PER_NODE);
        if max_pods == 0 || max_pods > MAX_PODS_PER_NODE_LIMIT {
            return Err(Error::invalid_spec(
                field("max_pods_per_node"),
                format!("{max_pods} is outside 1..={MAX_PODS_PER_NODE_LIMIT}"),
            ));
        }
        // AKS runs at most 250 pods per node with every Azure CNI mode and kubenet.
        let aks =
            network.cni.pods_outside_network() || network.cni == super::request::Cni::AzureCni;
        if aks && max_pods > AKS_OVERLAY_MAX_PODS {
            return Err(Error::invalid_spec(
                field("max_pods_per_node"),
                format!(
                    "{max_pods} is more than the {AKS_OVERLAY_MAX_PODS} pods a node runs with cni {}",
                    network.cni.as_str()
                ),
            ));
        }
        // GKE VPC-native runs 8 to 256 pods per node (Google Cloud, "Configure maximum Pods
        // per node").
        if network.cni == super::request::Cni::VpcNative
            && !(GKE_MIN_PODS_PER_NODE..=GKE_MAX_PODS_PER_NODE).contains(&max_pods)
        {
            return Err(Error::invalid_spec(
                field("max_pods_per_node"),
                format!(
                    "{max_pods} is outside the {GKE_MIN_PODS_PER_NODE} to {GKE_MAX_PODS_PER_NODE} \
                     pods per node GKE runs with cni vpc_native"
                ),
            ));
        }
        let services = spec.services.unwrap_or(DEFAULT_SERVICES);
        if services == 0 {
            return Err(Error::invalid_spec(field("services"), "must be at least 1"));
        }
        let surge_nodes = spec
            .surge_nodes
            .unwrap_or(network.cloud.default_surge_nodes());
        let reserved = network
            .reserved_per_subnet
            .unwrap_or(network.cloud.reserved_per_subnet());

        let mut sizing = ClusterSizing {
            max_nodes,
            surge_nodes,
            max_pods_per_node: max_pods,
            services,
            family: spec.family,
            node_pod_mask: None,
            pod_len: None,
            service_len: None,
            node_pod_mask_v6: None,
            pod_len_v6: None,
            service_len_v6: None,
            node_family: if spec.family.has_v4() {
                Family::V4
            } else {
                Family::V6
            },
            node_subnet_len: 0,
            node_subnet_addresses: node_subnet_addresses(max_nodes, surge_nodes, reserved),
            reserved_per_subnet: reserved,
            pods_in_node_subnet: false,
        };
        for family in [Family::V4, Family::V6] {
            let wanted = match family {
                Family::V4 => spec.family.has_v4(),
                Family::V6 => spec.family.has_v6(),
            };
            if !wanted {
                continue;
            }
            let mut mask = node_pod_mask(family, max_pods).ok_or_else(|| {
                Error::invalid_spec(field("max_pods_per_node"), "no per-node range fits")
            })?;
            if family == Family::V4 && network.cni.pods_outside_network() {
                // AKS overlay and kubenet: a /24 per node whatever the pods (aks_overlay_node_24).
                mask = AKS_OVERLAY_NODE_MASK;
            }
            // Surge nodes get per-node ranges too: an upgrade at full size adds them.
            let nodes_with_surge = max_nodes.saturating_add(surge_nodes);
            let pod_len = cluster_pod_len(mask, nodes_with_surge).map_err(|bits| {
                Error::invalid_spec(
                    field("max_nodes"),
                    format!(
                        "{max_nodes} nodes and {surge_nodes} surge {} need {bits} bits of \
                         per-node /{mask} ranges; the node IPAM allocator allows at most \
                         {MAX_NODE_MASK_DIFFERENCE} (node mask - cluster mask <= \
                         {MAX_NODE_MASK_DIFFERENCE})",
                        if surge_nodes == 1 { "node" } else { "nodes" }
                    ),
                )
            })?;
            let mut svc_len = service_len(family, services).map_err(|bits| {
                Error::invalid_spec(
                    field("services"),
                    format!(
                        "{services} services need {bits} host bits; Kubernetes allows at most \
                         {MAX_SERVICE_HOST_BITS} (IPv4 /12, IPv6 /108)"
                    ),
                )
            })?;
            if family == Family::V4 && network.cloud == Cloud::Aws {
                // EKS accepts service ranges from /24 to /12 (eks_service_cidr_size).
                svc_len = svc_len.min(EKS_SERVICE_LONGEST_LEN);
            }
            match family {
                Family::V4 => {
                    sizing.node_pod_mask = Some(mask);
                    sizing.pod_len = Some(pod_len);
                    sizing.service_len = Some(svc_len);
                }
                Family::V6 => {
                    sizing.node_pod_mask_v6 = Some(mask);
                    sizing.pod_len_v6 = Some(pod_len);
                    sizing.service_len_v6 = Some(svc_len);
                }
            }
        }
        if network.cni.pods_in_node_subnet() {
            if spec.family != ClusterFamily::Ipv4 {
                return Err(Error::invalid_spec(
                    field("family"),
                    format!(
                        "cni {} is planned for IPv4 clusters only",
                        network.cni.as_str()
                    ),
                ));
            }
            // Every node and surge node takes an address for itself and one per pod, all
            // from the node subnet (pods_in_node_subnet): the subnet is the pod range, and
            // each pod takes one address of it (a "per-node" /32).
            sizing.pods_in_node_subnet = true;
            sizing.node_subnet_addresses =
                aks_flat_cni_addresses(max_nodes, surge_nodes, max_pods) + u64::from(reserved);
        }
        sizing.node_subnet_len = match sizing.node_family {
            // IPv6 node subnets are /64s: SLAAC and every cloud expect it, and 2^64 node
            // IPs are always enough.
            Family::V6 => 64,
            Family::V4 => {
                let len =
                    subnet_len(Family::V4, sizing.node_subnet_addresses).ok_or_else(|| {
                        Error::invalid_spec(
                            field("max_nodes"),
                            "no IPv4 subnet holds that many nodes",
                        )
                    })?;
                if network.cloud == Cloud::Aws && len < AWS_SUBNET_SHORTEST_LEN {
                    return Err(Error::invalid_spec(
                        field("max_nodes"),
                        format!(
                            "the node subnet needs {} addresses, a /{len}; an AWS subnet is at \
                             most a /{AWS_SUBNET_SHORTEST_LEN} (aws_subnet_size)",
                            sizing.node_subnet_addresses
                        ),
                    ));
                }
                // AWS's smallest subnet is a /28 (aws_subnet_size).
                if network.cloud == Cloud::Aws {
                    len.min(AWS_SUBNET_LONGEST_LEN)
                } else {
                    len
                }
            }
        };
        if sizing.pods_in_node_subnet {
            sizing.node_pod_mask = Some(32);
            sizing.pod_len = Some(sizing.node_subnet_len);
        }
        Ok(sizing)
    }

    /// Per-node ranges the IPv4 pod range holds (`2^(node mask - pod len)`), if IPv4.
    pub fn node_ranges(&self) -> Option<u64> {
        match (self.node_pod_mask, self.pod_len) {
            (Some(mask), Some(len)) => Some(1u64 << (mask - len)),
            _ => None,
        }
    }
}

/// Input of the `sizing` operation: one cluster's numbers, without a network.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct SizingRequest {
    /// Nodes the ranges must hold.
    pub max_nodes: u32,
    /// Pods per node; defaults to 110.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub max_pods_per_node: Option<u32>,
    /// Service VIPs; defaults to 4096.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub services: Option<u32>,
    /// `ipv4` (default), `ipv6` or `dual`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub family: ClusterFamily,
    /// Whose subnets: `generic` (3 reserved), `gcp` (4), `aws` (5), `azure` (5).
    #[cfg_attr(feature = "serde", serde(default))]
    pub cloud: Cloud,
    /// Overrides the cloud's reserved addresses per subnet.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub reserved_per_subnet: Option<u32>,
    /// Upgrade surge nodes; defaults per cloud (Azure 1, others 0).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub surge_nodes: Option<u32>,
    /// Pods take their IPs from the node subnet, as with AKS' flat Azure CNI.
    #[cfg_attr(feature = "serde", serde(default))]
    pub pods_in_node_subnet: bool,
}

/// Output of the `sizing` operation. Counts are plain numbers: all are below 2^53.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Sizing {
    /// IPv4 per-node pod mask (absent for IPv6-only).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub node_pod_mask: Option<u8>,
    /// IPv4 cluster pod range length.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub pod_cidr_len: Option<u8>,
    /// Per-node ranges the pod range holds.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub node_ranges: Option<u64>,
    /// IPv4 service range length.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub service_cidr_len: Option<u8>,
    /// IPv6 per-node pod mask.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub node_pod_mask_v6: Option<u8>,
    /// IPv6 cluster pod range length.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub pod_cidr_v6_len: Option<u8>,
    /// IPv6 service range length.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub service_cidr_v6_len: Option<u8>,
    /// IPs taken from the node subnet: nodes and surge nodes, and with
    /// `pods_in_node_subnet` one per pod as well.
    pub node_subnet_ips: u64,
    /// Addresses reserved in the subnet by the platform.
    pub reserved_per_subnet: u32,
    /// Node subnet length holding both.
    pub node_subnet_len: u8,
}

/// Sizes one cluster without planning it (the `sizing` vectors).
///
/// ```
/// use cidrplan::k8s::{size, SizingRequest, Cloud};
/// // AKS flat Azure CNI: 50 nodes, 30 pods each, one surge node.
/// let s = size(&SizingRequest { max_nodes: 50, max_pods_per_node: Some(30),
///     cloud: Cloud::Azure, pods_in_node_subnet: true, ..Default::default() })?;
/// assert_eq!((s.node_subnet_ips, s.node_subnet_len), (1_581, 21));
/// # Ok::<(), cidrplan::Error>(())
/// ```
pub fn size(req: &SizingRequest) -> Result<Sizing> {
    let spec = ClusterSpec {
        name: "sizing".into(),
        nodes: req.max_nodes,
        max_nodes: Some(req.max_nodes),
        max_pods_per_node: req.max_pods_per_node,
        services: req.services,
        family: req.family,
        surge_nodes: req.surge_nodes,
        ..ClusterSpec::default()
    };
    let network = Network {
        cloud: req.cloud,
        reserved_per_subnet: req.reserved_per_subnet,
        ..Network::default()
    };
    let sizing = ClusterSizing::of(&spec, 0, &network).map_err(|e| match e {
        // The sizing input has no `clusters[0].` prefix: name its own fields.
        Error::InvalidSpec { field, message } => Error::InvalidSpec {
            field: field.trim_start_matches("clusters[0].").into(),
            message,
        },
        other => other,
    })?;
    let mut node_subnet_ips = u64::from(sizing.max_nodes) + u64::from(sizing.surge_nodes);
    let mut node_subnet_len = sizing.node_subnet_len;
    if req.pods_in_node_subnet {
        node_subnet_ips = aks_flat_cni_addresses(
            sizing.max_nodes,
            sizing.surge_nodes,
            sizing.max_pods_per_node,
        );
        let needed = node_subnet_ips + u64::from(sizing.reserved_per_subnet);
        node_subnet_len = subnet_len(sizing.node_family, needed).ok_or_else(|| {
            Error::invalid_spec("max_nodes", "no subnet holds that many node and pod IPs")
        })?;
    }
    Ok(Sizing {
        node_pod_mask: sizing.node_pod_mask,
        pod_cidr_len: sizing.pod_len,
        node_ranges: sizing.node_ranges(),
        service_cidr_len: sizing.service_len,
        node_pod_mask_v6: sizing.node_pod_mask_v6,
        pod_cidr_v6_len: sizing.pod_len_v6,
        service_cidr_v6_len: sizing.service_len_v6,
        node_subnet_ips,
        reserved_per_subnet: sizing.reserved_per_subnet,
        node_subnet_len,
    })
}
