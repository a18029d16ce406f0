//! kubeadm `ClusterConfiguration`, and `KubeletConfiguration` where pods per node differ
//! from the kubelet's default.

use alloc::format;
use alloc::string::String;

use super::kcm_flags::{mask_flags, ranges};
use super::Doc;
use crate::k8s::DEFAULT_MAX_PODS_PER_NODE;
use crate::text::quoted;

/// One `ClusterConfiguration` (kubeadm.k8s.io/v1beta4, whose `extraArgs` are name/value
/// lists): pod and service subnets, and the per-node masks by family for the controller
/// manager (the flags kubeadm itself checks the pod subnet against). When the plan's
/// pods per node are not the kubelet's 110, a `KubeletConfiguration` sets `maxPods`, so
/// no node runs more pods than its per-node range holds. Where the plan's Cilium values
/// replace kube-proxy, a comment carries `proxy: {disabled: true}` to uncomment.
pub(super) fn document(doc: &Doc<'_>, out: &mut String) {
    let cluster = doc.cluster;
    let (pods, services) = ranges(cluster);
    out.push_str("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n");
    out.push_str(&format!("clusterName: {}\n", quoted(&cluster.name)));
    for extra in cluster.datapath.iter().flat_map(|dp| &dp.extra_pod_cidrs) {
        out.push_str(&format!(
            "# limit: podSubnet is kube-controller-manager's --cluster-cidr, one range per \
             family; the second pod range {extra} needs the CNI's IPAM (Cilium cluster-pool, \
             Calico IP pools)\n"
        ));
    }
    if let Some(range) = super::cloud_assigned_pods(doc.plan, cluster) {
        // Without a podSubnet kubeadm leaves node IPAM off: the cloud's CNI gives pods their
        // addresses, and per-node ranges of kube-controller-manager's would go unused.
        out.push_str(&format!(
            "# pods take addresses of {range} from the cloud's CNI (cni {}): no podSubnet, so\n\
             # kube-controller-manager allocates no per-node pod ranges\n",
            doc.plan.request.network.cni.as_str()
        ));
        out.push_str("networking:\n");
        out.push_str(&format!("  serviceSubnet: {}\n", quoted(&services)));
        out.push_str("controllerManager:\n  extraArgs:\n");
        out.push_str("    - name: allocate-node-cidrs\n      value: \"false\"\n");
        kubelet(cluster, out);
        return;
    }
    out.push_str("networking:\n");
    out.push_str(&format!("  podSubnet: {}\n", quoted(&pods)));
    out.push_str(&format!("  serviceSubnet: {}\n", quoted(&services)));
    out.push_str("controllerManager:\n  extraArgs:\n");
    for (flag, value) in mask_flags(cluster) {
        out.push_str(&format!(
            "    - name: {flag}\n      value: {}\n",
            quoted(&value)
        ));
    }
    if super::cilium::replaces_kube_proxy(doc.plan, cluster) {
        out.push_str(KUBE_PROXY_REPLACED);
    }
    kubelet(cluster, out);
}

/// Where the plan's Cilium values turn on the kube-proxy replacement, the setting that
/// keeps kubeadm from installing kube-proxy beside it, commented (other CNIs need it).
const KUBE_PROXY_REPLACED: &str = "\
# with this plan's Cilium values (kubeProxyReplacement: true) kube-proxy must not run:
# uncomment the two lines below (or run kubeadm init --skip-phases=addon/kube-proxy);
# with a CNI that relies on kube-proxy, leave them commented
# proxy:
#   disabled: true
";

/// A `KubeletConfiguration` setting `maxPods` when the plan's pods per node are not the
/// kubelet's 110.
fn kubelet(cluster: &crate::k8s::ClusterPlan, out: &mut String) {
    if cluster.max_pods_per_node != DEFAULT_MAX_PODS_PER_NODE {
        out.push_str(
            "---\napiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n",
        );
        out.push_str(&format!("maxPods: {}\n", cluster.max_pods_per_node));
    }
}
