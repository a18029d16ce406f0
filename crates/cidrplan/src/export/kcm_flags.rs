//! kube-controller-manager flags.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use super::quote::quoted;
use crate::k8s::{ClusterPlan, Plan};

/// Whether the cluster is dual-stack (an IPv4 pod range and a separate IPv6 one).
fn dual_stack(cluster: &ClusterPlan) -> bool {
    cluster.pod_cidr_v6.is_some_and(|v6| v6 != cluster.pod_cidr)
}

/// The per-node mask flags: `--node-cidr-mask-size` for single-stack clusters, the
/// `-ipv4`/`-ipv6` pair for dual-stack ones (kube-controller-manager rejects the plain
/// flag there).
pub(super) fn mask_flags(cluster: &ClusterPlan) -> Vec<(&'static str, String)> {
    if dual_stack(cluster) {
        let v6 = cluster.node_pod_mask_v6.unwrap_or(64);
        vec![
            (
                "node-cidr-mask-size-ipv4",
                cluster.node_pod_mask.to_string(),
            ),
            ("node-cidr-mask-size-ipv6", v6.to_string()),
        ]
    } else {
        vec![("node-cidr-mask-size", cluster.node_pod_mask.to_string())]
    }
}

/// One block of flags per cluster, headed by a comment naming it.
pub(super) fn render(plan: &Plan) -> String {
    let mut out = String::new();
    for (i, cluster) in plan.clusters.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let (pods, services) = if dual_stack(cluster) {
            (
                format!(
                    "{},{}",
                    cluster.pod_cidr,
                    cluster.pod_cidr_v6.unwrap_or(cluster.pod_cidr)
                ),
                format!(
                    "{},{}",
                    cluster.service_cidr,
                    cluster.service_cidr_v6.unwrap_or(cluster.service_cidr)
                ),
            )
        } else {
            (
                cluster.pod_cidr.to_string(),
                cluster.service_cidr.to_string(),
            )
        };
        out.push_str(&format!(
            "# cluster {} ({} model)\n",
            quoted(&cluster.name),
            plan.model.as_str()
        ));
        out.push_str("--allocate-node-cidrs=true\n");
        out.push_str(&format!("--cluster-cidr={pods}\n"));
        for (flag, value) in mask_flags(cluster) {
            out.push_str(&format!("--{flag}={value}\n"));
        }
        out.push_str(&format!("--service-cluster-ip-range={services}\n"));
    }
    out
}
