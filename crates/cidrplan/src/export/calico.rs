//! Calico `IPPool`s (projectcalico.org/v3).
//!
//! Calico masquerades traffic from a `natOutgoing` pool only toward destinations outside
//! every IP pool, enabled or disabled. So the cluster's decision is rendered as the pod
//! pool (masquerading when the datapath does) plus one disabled pool per destination range
//! that must keep the pod's address: the routed network (flat), the group's other
//! clusters (archipelago), the mapped network (mapped, where the node-nat rules translate
//! instead). Disabled pools carry no addresses, are not advertised over BGP and select no
//! node.

use alloc::format;
use alloc::string::{String, ToString};

use super::Doc;
use crate::k8s::{Datapath, Routing};
use crate::label::dns_label;
use crate::text::quoted;
use crate::{Family, Prefix};

/// Calico's IPAM block sizes must lie in these ranges (IPv4, IPv6).
const BLOCK_V4: (u8, u8) = (20, 32);
const BLOCK_V6: (u8, u8) = (116, 128);
/// The CRD's default block sizes, used for disabled pools (which hand out nothing).
const DEFAULT_BLOCK: (u8, u8) = (26, 122);

/// The cluster's pools: per family, the pod pool (blockSize from the per-node mask,
/// natOutgoing and encapsulation from the datapath) and the disabled pools.
pub(super) fn documents(doc: &Doc<'_>, out: &mut String) {
    let cluster = doc.cluster;
    if let Some(range) = super::cloud_assigned_pods(doc.plan, cluster) {
        // The cloud's CNI assigns pod addresses: a Calico pool would hand out the same
        // addresses a second time. Calico runs for policy only (operator Installation
        // `cni.type` AmazonVPC or AzureVNET), with no IP pool of its own.
        out.push_str(&format!(
            "# no IP pool: pods take addresses of {range} from the cloud's CNI (cni {});\n\
             # Calico enforces policy only (operator Installation cni.type {})\n",
            doc.plan.request.network.cni.as_str(),
            if doc.plan.request.network.cni == crate::k8s::Cni::AzureCni {
                "AzureVNET"
            } else {
                "AmazonVPC"
            }
        ));
        return;
    }
    let name = dns_label(&cluster.name, "cluster");
    for (n, dp) in cluster.datapath.iter().enumerate() {
        if n > 0 {
            out.push_str("---\n");
        }
        let mask = match dp.family {
            Family::V4 => cluster.node_pod_mask,
            Family::V6 => cluster.node_pod_mask_v6.unwrap_or(64),
        };
        // A range that grew in place keeps its deployed pool (Calico refuses to change a
        // pool's CIDR); each block it grew by is a pool of its own.
        for (k, piece) in super::pod_pieces(cluster, dp).into_iter().enumerate() {
            if k > 0 {
                out.push_str("---\n");
            }
            let suffix = if k == 0 {
                String::new()
            } else {
                format!("-grown-{k}")
            };
            pod_pool(&name, dp, piece, mask, &suffix, out);
        }
        // A cluster that outgrew its pod range: each further range is one more pool, which
        // Calico's IPAM hands out blocks from once the first is full.
        for (k, extra) in dp.extra_pod_cidrs.iter().enumerate() {
            out.push_str("---\n");
            pod_pool(&name, dp, *extra, mask, &format!("-{}", k + 2), out);
        }
        let keep = without_link_local(&dp.no_masquerade_beyond_pods());
        for cidr in &keep {
            out.push_str("---\n");
            disabled_pool(&name, dp.family, *cidr, out);
        }
    }
}

fn family_name(family: Family) -> &'static str {
    match family {
        Family::V4 => "ipv4",
        Family::V6 => "ipv6",
    }
}

fn pod_pool(name: &str, dp: &Datapath, cidr: Prefix, mask: u8, suffix: &str, out: &mut String) {
    let (low, high) = match dp.family {
        Family::V4 => BLOCK_V4,
        Family::V6 => BLOCK_V6,
    };
    let block = mask.clamp(low, high).max(cidr.len());
    out.push_str("apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n");
    out.push_str(&format!(
        "  name: {}\n",
        quoted(&format!("{name}-{}{suffix}", family_name(dp.family)))
    ));
    out.push_str("spec:\n");
    out.push_str(&format!("  cidr: {}\n", quoted(&cidr.to_string())));
    if block != mask {
        out.push_str(&format!(
            "  # the plan's per-node mask /{mask} is outside Calico's block range /{low}-/{high}\n"
        ));
    }
    out.push_str(&format!("  blockSize: {block}\n"));
    out.push_str(&format!("  natOutgoing: {}\n", dp.masquerades()));
    out.push_str("  ipipMode: Never\n");
    let vxlan = match dp.routing {
        Routing::Native => "Never",
        Routing::Tunnel => "Always",
    };
    out.push_str(&format!("  vxlanMode: {vxlan}\n"));
    out.push_str("  nodeSelector: all()\n");
}

/// A pool that exists only so natOutgoing leaves traffic toward `cidr` alone.
fn disabled_pool(name: &str, family: Family, cidr: Prefix, out: &mut String) {
    let (default, high) = match family {
        Family::V4 => (DEFAULT_BLOCK.0, BLOCK_V4.1),
        Family::V6 => (DEFAULT_BLOCK.1, BLOCK_V6.1),
    };
    // The CRD requires the pool's prefix to be no longer than its block size.
    let block = default.max(cidr.len()).min(high);
    out.push_str("apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n");
    // Named by the range, not by its place in the list: Calico refuses to change a pool's
    // CIDR, so a re-plan whose no-NAT ranges differ adds pools instead of editing them.
    let label: String = cidr
        .to_string()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    out.push_str(&format!(
        "  name: {}\n",
        quoted(&format!("{name}-{}-no-nat-{label}", family_name(family)))
    ));
    out.push_str("spec:\n");
    out.push_str(&format!(
        "  # pods reach {cidr} with their own address: natOutgoing skips destinations in any pool\n"
    ));
    out.push_str(&format!("  cidr: {}\n", quoted(&cidr.to_string())));
    out.push_str(&format!("  blockSize: {block}\n"));
    out.push_str("  disabled: true\n");
    out.push_str("  disableBGPExport: true\n");
    out.push_str("  natOutgoing: false\n");
    out.push_str("  ipipMode: Never\n");
    out.push_str("  vxlanMode: Never\n");
    out.push_str("  nodeSelector: \"!all()\"\n");
}

/// The CRD refuses pools that touch the link-local ranges (169.254.0.0/16, fe80::/10), and
/// no pod traffic toward them is routed anyway.
fn without_link_local(cidrs: &[Prefix]) -> alloc::vec::Vec<Prefix> {
    let link_local: alloc::vec::Vec<Prefix> = [
        Prefix::new(Family::V4, 0xa9fe_0000, 16),
        Prefix::new(Family::V6, 0xfe80_u128 << 112, 10),
    ]
    .into_iter()
    .flatten()
    .collect();
    crate::AddrSet::from_prefixes(cidrs)
        .difference(&crate::AddrSet::from_prefixes(&link_local))
        .to_prefixes()
}
