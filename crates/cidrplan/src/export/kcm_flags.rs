//! kube-controller-manager flags.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::k8s::{ClusterPlan, Plan, DEFAULT_MAX_PODS_PER_NODE};
use crate::text::quoted;
use crate::Family;

/// The per-node mask flags, by family: `--node-cidr-mask-size-ipv4` and/or `-ipv6`.
/// kubeadm reads only these two when it checks the pod subnet against the node mask
/// (`getClusterNodeMask`), and kube-controller-manager accepts them for single-stack
/// clusters of their family and requires them for dual-stack ones.
pub(super) fn mask_flags(cluster: &ClusterPlan) -> Vec<(&'static str, String)> {
    let mut flags = Vec::new();
    for dp in &cluster.datapath {
        match dp.family {
            Family::V4 => flags.push((
                "node-cidr-mask-size-ipv4",
                cluster.node_pod_mask.to_string(),
            )),
            Family::V6 => flags.push((
                "node-cidr-mask-size-ipv6",
                cluster
                    .node_pod_mask_v6
                    .unwrap_or(cluster.node_pod_mask)
                    .to_string(),
            )),
        }
    }
    flags
}

/// The cluster's pod and service ranges as kube-controller-manager and kubeadm take them:
/// comma lists, IPv4 first.
pub(super) fn ranges(cluster: &ClusterPlan) -> (String, String) {
    let mut pods = cluster.pod_cidr.to_string();
    let mut services = cluster.service_cidr.to_string();
    if let (Some(pods_v6), Some(services_v6)) = (cluster.pod_cidr_v6, cluster.service_cidr_v6) {
        if pods_v6 != cluster.pod_cidr {
            pods = format!("{pods},{pods_v6}");
            services = format!("{services},{services_v6}");
        }
    }
    (pods, services)
}

/// One block of flags per cluster, headed by a comment naming it.
pub(super) fn render(plan: &Plan) -> String {
    let mut out = String::new();
    for (i, cluster) in plan.clusters.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let (pods, services) = ranges(cluster);
        out.push_str(&format!(
            "# cluster {} ({} model)\n",
            quoted(&cluster.name),
            plan.model.as_str()
        ));
        if cluster.max_pods_per_node != DEFAULT_MAX_PODS_PER_NODE {
            out.push_str(&format!(
                "# every kubelet of this cluster: --max-pods={} (KubeletConfiguration maxPods)\n",
                cluster.max_pods_per_node
            ));
        }
        for dp in &cluster.datapath {
            for extra in &dp.extra_pod_cidrs {
                out.push_str(&format!(
                    "# limit: the second pod range {extra} cannot be given here (one \
                     --cluster-cidr per family); let the CNI's IPAM allocate (Cilium \
                     cluster-pool, Calico IP pools)\n"
                ));
            }
        }
        if let Some(range) = super::cloud_assigned_pods(plan, cluster) {
            // The VPC CNI or flat Azure CNI gives pods their addresses: no node IPAM.
            out.push_str(&format!(
                "# pods take addresses of {range} from the cloud's CNI (cni {}): no per-node ranges\n",
                plan.request.network.cni.as_str()
            ));
            out.push_str("--allocate-node-cidrs=false\n");
        } else {
            out.push_str("--allocate-node-cidrs=true\n");
            out.push_str(&format!("--cluster-cidr={pods}\n"));
            for (flag, value) in mask_flags(cluster) {
                out.push_str(&format!("--{flag}={value}\n"));
            }
        }
        out.push_str(&format!("--service-cluster-ip-range={services}\n"));
    }
    out
}
