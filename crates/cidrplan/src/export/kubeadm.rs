//! kubeadm `ClusterConfiguration`.

use alloc::format;
use alloc::string::{String, ToString};

use super::quote::quoted;
use crate::k8s::{ClusterPlan, NetworkModel};

/// One `ClusterConfiguration` (kubeadm.k8s.io/v1beta4, whose `extraArgs` are name/value
/// lists): pod and service subnets, and the per-node mask for the controller manager.
pub(super) fn document(cluster: &ClusterPlan, _model: NetworkModel, out: &mut String) {
    let mut pods = cluster.pod_cidr.to_string();
    let mut services = cluster.service_cidr.to_string();
    if let (Some(pods_v6), Some(services_v6)) = (cluster.pod_cidr_v6, cluster.service_cidr_v6) {
        if pods_v6 != cluster.pod_cidr {
            pods = format!("{pods},{pods_v6}");
            services = format!("{services},{services_v6}");
        }
    }
    out.push_str("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n");
    out.push_str(&format!("clusterName: {}\n", quoted(&cluster.name)));
    out.push_str("networking:\n");
    out.push_str(&format!("  podSubnet: {}\n", quoted(&pods)));
    out.push_str(&format!("  serviceSubnet: {}\n", quoted(&services)));
    out.push_str("controllerManager:\n  extraArgs:\n");
    for (flag, value) in super::kcm_flags::mask_flags(cluster) {
        out.push_str(&format!(
            "    - name: {flag}\n      value: {}\n",
            quoted(&value)
        ));
    }
}
