//! Cilium Helm values (chart 1.20, cluster-pool IPAM).
//!
//! Cilium masquerades pod traffic leaving the node unless the destination is inside
//! `ipvXNativeRoutingCIDR` (one CIDR) or, with its eBPF ip-masq-agent, inside the agent's
//! `nonMasqueradeCIDRs` (a list). The datapath's no-masquerade set is rendered as the
//! former when it is one CIDR and as the latter otherwise.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::{per_cluster_yaml, Doc};
use crate::k8s::{
    settle_identities, ClusterPlan, Cni, NetworkModel, Plan, Routing, CILIUM_NAME_MAX, MESH_ID_MAX,
};
use crate::text::quoted;
use crate::{Family, Prefix};

/// Every cluster's values, with the mesh ids and Cilium names the plan records (settled
/// here only for a plan built by hand without them).
pub(super) fn render(plan: &Plan) -> String {
    if plan.clusters.iter().any(|c| c.cilium_name.is_empty()) {
        let mut settled = plan.clone();
        settle_identities(&mut settled);
        return per_cluster_yaml(&settled, document);
    }
    per_cluster_yaml(plan, document)
}

/// Whether the Cilium values of `cluster` turn on the kube-proxy replacement: where
/// several destinations keep the pod's address, which takes Cilium's eBPF ip-masq-agent,
/// whose eBPF masquerading runs on it. The kubeadm export says so for the same cluster.
pub(super) fn replaces_kube_proxy(plan: &Plan, cluster: &ClusterPlan) -> bool {
    if super::cloud_assigned_pods(plan, cluster).is_some() {
        return false;
    }
    cluster
        .datapath
        .iter()
        .filter(|d| d.masquerades())
        .any(|d| d.no_masquerade().len() != 1)
}

fn document(doc: &Doc<'_>, out: &mut String) {
    let cluster = doc.cluster;
    let name = cluster.cilium_name.as_str();
    let id = cluster.mesh_id;
    let v4 = cluster.datapath.iter().find(|d| d.family == Family::V4);
    let v6 = cluster.datapath.iter().find(|d| d.family == Family::V6);
    if name != cluster.name {
        out.push_str(&format!(
            "# cluster.name: {} made a valid Cilium name (lowercase DNS label of at most {CILIUM_NAME_MAX}, unique in the plan; the plan records it)\n",
            quoted(&cluster.name)
        ));
    }
    out.push_str(&format!("cluster:\n  name: {}\n", quoted(name)));
    match id {
        Some(id) => out.push_str(&format!("  id: {id}\n")),
        None if matches!(
            doc.plan.model,
            NetworkModel::Flat | NetworkModel::Archipelago
        ) =>
        {
            out.push_str(&format!(
                "  # no id: more than {MESH_ID_MAX} clusters in one mesh (ClusterMesh's limit)\n"
            ));
        }
        None => {}
    }
    if let Some(range) = super::cloud_assigned_pods(doc.plan, cluster) {
        chained(doc, range, out);
        return;
    }
    // GKE VPC-native, AKS overlay and kubenet give every node its pod range themselves
    // (node.spec.podCIDR, cut from the plan's pod range): Cilium reads it instead of handing
    // out ranges of its own, and the cloud routes each node's range.
    let cni = doc.plan.request.network.cni;
    let cloud_ranges = matches!(cni, Cni::VpcNative | Cni::Overlay | Cni::Kubenet);
    if cloud_ranges {
        out.push_str(&format!(
            "# the cloud gives each node its pod range from {} (cni {}): Cilium reads the\n\
             # node's podCIDR (ipam kubernetes) instead of allocating ranges of its own\n",
            cluster.pod_cidr,
            cni.as_str()
        ));
        out.push_str("ipam:\n  mode: kubernetes\n");
        if cni == Cni::VpcNative {
            out.push_str("gke:\n  enabled: true\n");
        }
    } else {
        out.push_str("ipam:\n  mode: cluster-pool\n  operator:\n");
        // Every pod range of the family: the operator hands out node ranges from the list
        // in order, so a second range (a cluster that outgrew its first) is simply listed.
        for (dp, key, mask) in [
            (v4, "IPv4", cluster.node_pod_mask),
            (v6, "IPv6", cluster.node_pod_mask_v6.unwrap_or(64)),
        ] {
            let Some(dp) = dp else { continue };
            out.push_str(&format!("    clusterPool{key}PodCIDRList:\n"));
            // A range that grew in place keeps its deployed entry (Cilium's docs: never
            // change an entry of the list, add new ones): its pieces, then further ranges.
            let pieces = super::pod_pieces(cluster, dp);
            for cidr in pieces.iter().chain(&dp.extra_pod_cidrs) {
                out.push_str(&format!("      - {}\n", quoted(&cidr.to_string())));
            }
            out.push_str(&format!("    clusterPool{key}MaskSize: {mask}\n"));
        }
    }
    out.push_str(&format!("ipv4:\n  enabled: {}\n", v4.is_some()));
    out.push_str(&format!("ipv6:\n  enabled: {}\n", v6.is_some()));
    // The plan's one decision: on vpc_native, overlay and kubenet it is native too (the
    // cloud routes each node's range), so Calico and Cilium agree (`docs/datapath.md`).
    let native = cluster
        .datapath
        .first()
        .is_some_and(|d| d.routing == Routing::Native);
    if native {
        out.push_str(
            "# native routing: the network routes each node's pod range to the node (BGP, cloud\n\
             # routes, or autoDirectNodeRoutes: true when the nodes share one L2 segment)\n",
        );
        out.push_str("routingMode: native\n");
    } else {
        out.push_str("routingMode: tunnel\ntunnelProtocol: vxlan\n");
    }
    // One CIDR per family fits the native-routing CIDR; a longer list needs the agent.
    let lists: Vec<(Family, Vec<Prefix>)> = [v4, v6]
        .into_iter()
        .flatten()
        .filter(|d| d.masquerades())
        .map(|d| (d.family, d.no_masquerade()))
        .collect();
    let agent = replaces_kube_proxy(doc.plan, cluster);
    if !agent {
        for (family, list) in &lists {
            if let Some(cidr) = list.first() {
                out.push_str(&format!(
                    "{}NativeRoutingCIDR: {}\n",
                    family_key(*family),
                    quoted(&cidr.to_string())
                ));
            }
        }
    }
    for dp in [v4, v6].into_iter().flatten() {
        let key = match dp.family {
            Family::V4 => "enableIPv4Masquerade",
            Family::V6 => "enableIPv6Masquerade",
        };
        out.push_str(&format!("{key}: {}\n", dp.masquerades()));
    }
    // The mapped model's 1:1 translation is nftables on the node (the node-nat export):
    // Cilium's eBPF host routing, on by default with eBPF masquerading and the kube-proxy
    // replacement, would send pod traffic past the host's netfilter and skip it.
    let node_nat = [v4, v6]
        .into_iter()
        .flatten()
        .any(|d| d.external_pod_cidr.is_some() && !d.mapped_toward.is_empty());
    let legacy_routing = "  # the 1:1 mapping (the node-nat export) runs in the host's netfilter: route\n  \
                          # through the kernel's stack, not eBPF host routing, which bypasses it\n  \
                          hostLegacyRouting: true\n";
    if agent {
        out.push_str(
            "# several destinations keep the pod's address: Cilium's eBPF ip-masq-agent reads them.\n\
             # It needs eBPF masquerading, which runs on Cilium's BPF NodePort: the kube-proxy\n\
             # replacement, so kube-proxy must not run: kubeadm ClusterConfiguration\n\
             # `proxy: {disabled: true}` (or kubeadm init --skip-phases=addon/kube-proxy; the\n\
             # kubeadm export says so for this cluster). Without kube-proxy, Cilium finds the\n\
             # API server through the cluster-info ConfigMap (k8sServiceHost: auto; kubeadm\n\
             # creates it).\n",
        );
        out.push_str("kubeProxyReplacement: true\nk8sServiceHost: auto\n");
        out.push_str("bpf:\n  masquerade: true\n");
        if node_nat {
            out.push_str(legacy_routing);
        }
        out.push_str("ipMasqAgent:\n  enabled: true\n  config:\n    nonMasqueradeCIDRs:\n");
        for (_, list) in &lists {
            for cidr in list {
                out.push_str(&format!("      - {}\n", quoted(&cidr.to_string())));
            }
        }
        out.push_str("    masqLinkLocal: false\n");
        if v6.is_some() {
            out.push_str("    masqLinkLocalIPv6: false\n");
        }
    } else if node_nat {
        out.push_str("bpf:\n");
        out.push_str(legacy_routing);
    }
}

/// A cluster whose pods take addresses from the cloud's CNI (`vpc_cni`, `custom_networking`,
/// `azure_cni`; `range` is where from): the cloud's CNI assigns them and translates what leaves the VPC or VNet, so Cilium is chained to it
/// (policy and load-balancing only) instead of handing out per-node ranges of its own.
fn chained(doc: &Doc<'_>, range: Prefix, out: &mut String) {
    let cni = doc.plan.request.network.cni;
    out.push_str(&format!(
        "# pods take addresses of {range} from the cloud's CNI (cni {}), which also\n\
         # translates traffic leaving the network: Cilium is chained to it, with no IPAM or\n\
         # masquerading of its own\n",
        cni.as_str()
    ));
    if cni == Cni::AzureCni {
        out.push_str(
            "# chaining to Azure CNI reads its CNI configuration from the ConfigMap\n\
             # cni-configuration (Cilium's \"Azure CNI (legacy)\" chaining guide); AKS with\n\
             # --network-dataplane cilium installs and configures Cilium itself\n\
             cni:\n  chainingMode: generic-veth\n  customConf: true\n  configMap: cni-configuration\n",
        );
    } else {
        out.push_str(
            "cni:\n  chainingMode: aws-cni\n  exclusive: false\nendpointRoutes:\n  enabled: true\n",
        );
    }
    out.push_str("routingMode: native\nenableIPv4Masquerade: false\n");
    out.push_str("ipv4:\n  enabled: true\nipv6:\n  enabled: false\n");
}

fn family_key(family: Family) -> &'static str {
    match family {
        Family::V4 => "ipv4",
        Family::V6 => "ipv6",
    }
}
