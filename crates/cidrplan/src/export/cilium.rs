//! Cilium Helm values (cluster-pool IPAM).

use alloc::format;
use alloc::string::{String, ToString};

use super::quote::quoted;
use super::routes_natively;
use crate::k8s::{ClusterPlan, NetworkModel};
use crate::{aggregate, Family, Prefix};

/// Helm values: cluster-pool CIDRs and mask, routing mode, native-routing CIDR and
/// masquerading, from the model.
pub(super) fn document(cluster: &ClusterPlan, model: NetworkModel, out: &mut String) {
    let native = routes_natively(model);
    let v4 = (cluster.pod_cidr.family() == Family::V4).then_some(cluster.pod_cidr);
    let v6 = cluster
        .pod_cidr_v6
        .or((cluster.pod_cidr.family() == Family::V6).then_some(cluster.pod_cidr));
    out.push_str(&format!("cluster:\n  name: {}\n", quoted(&cluster.name)));
    out.push_str("ipam:\n  mode: cluster-pool\n  operator:\n");
    if let Some(pods) = v4 {
        out.push_str(&format!(
            "    clusterPoolIPv4PodCIDRList:\n      - {}\n",
            quoted(&pods.to_string())
        ));
        out.push_str(&format!(
            "    clusterPoolIPv4MaskSize: {}\n",
            cluster.node_pod_mask
        ));
    }
    if let Some(pods) = v6 {
        out.push_str(&format!(
            "    clusterPoolIPv6PodCIDRList:\n      - {}\n",
            quoted(&pods.to_string())
        ));
        out.push_str(&format!(
            "    clusterPoolIPv6MaskSize: {}\n",
            cluster.node_pod_mask_v6.unwrap_or(cluster.node_pod_mask)
        ));
    }
    out.push_str(&format!("ipv4:\n  enabled: {}\n", v4.is_some()));
    out.push_str(&format!("ipv6:\n  enabled: {}\n", v6.is_some()));
    if native {
        out.push_str("routingMode: native\n");
    } else {
        out.push_str("routingMode: tunnel\ntunnelProtocol: vxlan\n");
    }
    if let Some(pods) = v4 {
        out.push_str(&format!(
            "ipv4NativeRoutingCIDR: {}\n",
            quoted(&native_routing_cidr(cluster, pods, Family::V4, native).to_string())
        ));
    }
    if let Some(pods) = v6 {
        out.push_str(&format!(
            "ipv6NativeRoutingCIDR: {}\n",
            quoted(&native_routing_cidr(cluster, pods, Family::V6, native).to_string())
        ));
    }
    out.push_str(&format!(
        "enableIPv4Masquerade: {}\n",
        v4.is_some() && !native
    ));
    out.push_str(&format!(
        "enableIPv6Masquerade: {}\n",
        v6.is_some() && !native
    ));
}

/// Destinations reached without masquerading: in a flat network, the smallest prefix
/// covering the non-masquerade CIDRs of the family (Cilium takes one CIDR); otherwise
/// only the cluster's own pods.
fn native_routing_cidr(
    cluster: &ClusterPlan,
    pods: Prefix,
    family: Family,
    native: bool,
) -> Prefix {
    if !native {
        return pods;
    }
    let mut cover: Option<Prefix> = None;
    let same_family = cluster
        .non_masquerade_cidrs
        .iter()
        .filter(|p| p.family() == family);
    for p in aggregate(&same_family.copied().collect::<alloc::vec::Vec<_>>()) {
        cover = Some(match cover {
            None => p,
            Some(c) => common_parent(c, p),
        });
    }
    cover.map_or(pods, |c| common_parent(c, pods))
}

fn common_parent(mut a: Prefix, b: Prefix) -> Prefix {
    while !a.contains(&b) {
        match a.parent() {
            Some(parent) => a = parent,
            None => break,
        }
    }
    a
}
