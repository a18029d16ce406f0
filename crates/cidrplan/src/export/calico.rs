//! Calico `IPPool`s.

use alloc::format;
use alloc::string::{String, ToString};

use super::quote::{dns_label, quoted};
use super::routes_natively;
use crate::k8s::{ClusterPlan, NetworkModel};
use crate::Prefix;

/// Calico's IPAM block sizes must lie in these ranges (IPv4, IPv6).
const BLOCK_V4: (u8, u8) = (20, 32);
const BLOCK_V6: (u8, u8) = (116, 128);

/// The cluster's pools: blockSize from the per-node mask; natOutgoing and encapsulation
/// from the model (flat routes pod IPs natively, every other model masquerades and
/// tunnels between nodes because the main network does not route pod ranges).
pub(super) fn documents(cluster: &ClusterPlan, model: NetworkModel, out: &mut String) {
    let name = dns_label(&cluster.name, "cluster");
    let v6_only = cluster.pod_cidr.family() == crate::Family::V6;
    let first_mask = if v6_only {
        cluster.node_pod_mask_v6.unwrap_or(cluster.node_pod_mask)
    } else {
        cluster.node_pod_mask
    };
    pool(&name, cluster.pod_cidr, first_mask, model, out);
    if let Some(v6) = cluster.pod_cidr_v6.filter(|v6| *v6 != cluster.pod_cidr) {
        out.push_str("---\n");
        pool(
            &name,
            v6,
            cluster.node_pod_mask_v6.unwrap_or(64),
            model,
            out,
        );
    }
}

fn pool(name: &str, cidr: Prefix, mask: u8, model: NetworkModel, out: &mut String) {
    let (family, (low, high)) = match cidr.family() {
        crate::Family::V4 => ("ipv4", BLOCK_V4),
        crate::Family::V6 => ("ipv6", BLOCK_V6),
    };
    let block = mask.clamp(low, high);
    let native = routes_natively(model);
    out.push_str("apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n");
    out.push_str(&format!(
        "  name: {}\n",
        quoted(&format!("{name}-{family}"))
    ));
    out.push_str("spec:\n");
    out.push_str(&format!("  cidr: {}\n", quoted(&cidr.to_string())));
    if block != mask {
        out.push_str(&format!(
            "  # the plan's per-node mask /{mask} is outside Calico's block range /{low}-/{high}\n"
        ));
    }
    out.push_str(&format!("  blockSize: {block}\n"));
    out.push_str(&format!("  natOutgoing: {}\n", !native));
    out.push_str("  ipipMode: Never\n");
    out.push_str(&format!(
        "  vxlanMode: {}\n",
        if native { "Never" } else { "Always" }
    ));
    out.push_str("  nodeSelector: all()\n");
}
