//! ip-masq-agent `ConfigMap`.

use alloc::format;
use alloc::string::String;

use crate::k8s::{ClusterPlan, NetworkModel};

/// The `kube-system/ip-masq-agent` ConfigMap: pods keep their own IPs toward the
/// non-masquerade CIDRs (the whole network when flat, only the pod range when an island)
/// and masquerade as their node everywhere else.
pub(super) fn document(cluster: &ClusterPlan, _model: NetworkModel, out: &mut String) {
    out.push_str("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ip-masq-agent\n  namespace: kube-system\ndata:\n");
    out.push_str("  config: |\n    nonMasqueradeCIDRs:\n");
    if cluster.non_masquerade_cidrs.is_empty() {
        out.push_str("      []\n");
    }
    for cidr in &cluster.non_masquerade_cidrs {
        out.push_str(&format!("      - {cidr}\n"));
    }
    out.push_str("    masqLinkLocal: false\n    resyncInterval: 60s\n");
}
