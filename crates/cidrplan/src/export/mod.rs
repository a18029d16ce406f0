//! Configuration that makes a plan real, rendered once for every surface.
//!
//! The CLI's `--format`, the npm package's `exportConfig` and the Python module's `export`
//! all call [`render`]; none writes these formats itself. Each export renders the plan's
//! one decision per cluster and family ([`crate::k8s::Datapath`]): no format decides
//! anything of its own, so no two formats, and no format and the reachability matrix, can
//! disagree (`docs/datapath.md`). A plan whose ranges collide renders nothing: [`render`]
//! fails with `collision`, naming both sides, and [`render_forced`] renders it anyway
//! under a comment listing the collisions. Cluster names are user input:
//! every string value is written as a double-quoted, escaped scalar (valid JSON and YAML),
//! and Kubernetes object names are reduced to DNS labels, so no name can break a document.
//!
//! ```
//! use cidrplan::export::{render, ExportFormat};
//! use cidrplan::k8s::{example, plan};
//!
//! let text = render(&plan(&example())?, ExportFormat::KcmFlags)?;
//! assert!(text.contains("--cluster-cidr=10.1.0.0/16"));
//! assert!(text.contains("--node-cidr-mask-size-ipv4=24"));
//! # Ok::<(), cidrplan::Error>(())
//! ```

mod calico;
mod cilium;
mod ip_masq_agent;
mod kcm_flags;
mod kubeadm;
mod node_nat;
mod policy;
mod tfvars;

use alloc::format;
use alloc::string::String;
use core::fmt;
use core::str::FromStr;

use crate::k8s::{ClusterPlan, Plan};
use crate::{Error, Result};

pub use crate::label::dns_label;
pub use crate::text::quoted;

/// A configuration format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// kubeadm `ClusterConfiguration` (v1beta4), one YAML document per cluster.
    Kubeadm,
    /// kube-controller-manager flags, one block per cluster.
    KcmFlags,
    /// Calico `IPPool` (projectcalico.org/v3), one per cluster and family.
    Calico,
    /// Cilium Helm values (cluster-pool IPAM), one YAML document per cluster.
    Cilium,
    /// ip-masq-agent `ConfigMap`, one YAML document per cluster.
    IpMasqAgent,
    /// Terraform variables as JSON: one object holding every cluster.
    Tfvars,
    /// Mapped model: the nftables ruleset every node loads for the 1:1 mapping.
    NodeNat,
    /// Isolated model: Kubernetes NetworkPolicies that enforce the cluster's edge.
    Policy,
}

impl ExportFormat {
    /// Every format.
    pub const ALL: [ExportFormat; 8] = [
        ExportFormat::Kubeadm,
        ExportFormat::KcmFlags,
        ExportFormat::Calico,
        ExportFormat::Cilium,
        ExportFormat::IpMasqAgent,
        ExportFormat::Tfvars,
        ExportFormat::NodeNat,
        ExportFormat::Policy,
    ];

    /// The name the CLI's `--format` takes.
    pub const fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Kubeadm => "kubeadm",
            ExportFormat::KcmFlags => "kcm-flags",
            ExportFormat::Calico => "calico",
            ExportFormat::Cilium => "cilium",
            ExportFormat::IpMasqAgent => "ip-masq-agent",
            ExportFormat::Tfvars => "tfvars",
            ExportFormat::NodeNat => "node-nat",
            ExportFormat::Policy => "policy",
        }
    }

    /// What the format holds, in a line (the CLI's `--format` help).
    pub const fn summary(self) -> &'static str {
        match self {
            ExportFormat::Kubeadm => {
                "kubeadm ClusterConfiguration per cluster (+ KubeletConfiguration maxPods)"
            }
            ExportFormat::KcmFlags => "kube-controller-manager flags per cluster",
            ExportFormat::Calico => "Calico IPPools per cluster (pod pools and no-NAT pools)",
            ExportFormat::Cilium => "Cilium Helm values per cluster",
            ExportFormat::IpMasqAgent => "ip-masq-agent ConfigMap per cluster",
            ExportFormat::Tfvars => "Terraform variables (JSON)",
            ExportFormat::NodeNat => "mapped model: the nftables 1:1 mapping every node loads",
            ExportFormat::Policy => "isolated model: NetworkPolicies that enforce the edge",
        }
    }

    /// A file extension that suits the format.
    pub const fn extension(self) -> &'static str {
        match self {
            ExportFormat::KcmFlags => "txt",
            ExportFormat::Tfvars => "tfvars.json",
            ExportFormat::NodeNat => "nft",
            _ => "yaml",
        }
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ExportFormat {
    type Err = Error;
    fn from_str(text: &str) -> Result<Self> {
        ExportFormat::ALL
            .into_iter()
            .find(|f| f.as_str() == text.trim())
            .ok_or_else(|| {
                let names: alloc::vec::Vec<String> = ExportFormat::ALL
                    .iter()
                    .map(|f| String::from(f.as_str()))
                    .collect();
                Error::invalid_input(
                    "format",
                    format!("{} is not one of {}", quoted(text), names.join(", ")),
                )
            })
    }
}

/// Warning codes that mean two ranges which must be unique collide: a plan with any of
/// them renders no export unless forced.
pub const COLLISION_CODES: [&str; 5] = [
    "cluster_overlap",
    "range_overlap",
    "service_in_pod_range",
    "allocation_overlap",
    "shadows_reachable",
];

/// Renders `plan` in `format`; fails with `collision` (naming both sides of the first
/// collision, and how many there are) when ranges that must be unique collide.
pub fn render(plan: &Plan, format: ExportFormat) -> Result<String> {
    let mut collisions = plan
        .warnings
        .iter()
        .filter(|w| COLLISION_CODES.contains(&w.code));
    if let Some(first) = collisions.next() {
        return Err(Error::Collision {
            message: first.message.clone(),
            more: collisions.count(),
        });
    }
    Ok(render_forced(plan, format))
}

/// Renders `plan` in `format` even when its ranges collide; each collision is listed in a
/// comment at the top (JSON formats carry them under `"collisions"`).
pub fn render_forced(plan: &Plan, format: ExportFormat) -> String {
    let collisions: alloc::vec::Vec<&str> = plan
        .warnings
        .iter()
        .filter(|w| COLLISION_CODES.contains(&w.code))
        .map(|w| w.message.as_str())
        .collect();
    let body = match format {
        ExportFormat::Kubeadm => per_cluster_yaml(plan, kubeadm::document),
        ExportFormat::KcmFlags => kcm_flags::render(plan),
        ExportFormat::Calico => per_cluster_yaml(plan, calico::documents),
        ExportFormat::Cilium => cilium::render(plan),
        ExportFormat::IpMasqAgent => per_cluster_yaml(plan, ip_masq_agent::document),
        ExportFormat::Tfvars => return tfvars::render(plan, &collisions),
        ExportFormat::NodeNat => node_nat::render(plan),
        ExportFormat::Policy => per_cluster_yaml(plan, policy::documents),
    };
    if collisions.is_empty() {
        return body;
    }
    let mut out = String::from(
        "# FORCED: this plan's ranges collide; the configuration below will not work as planned:\n",
    );
    for message in collisions {
        out.push_str("#   ");
        out.push_str(&message.replace('\n', " "));
        out.push('\n');
    }
    out.push_str(&body);
    out
}

/// Where the cloud's CNI gives `cluster`'s pods their addresses itself (EKS VPC CNI, with
/// or without custom networking; flat Azure CNI), so no export may hand out per-node ranges
/// of its own: the range the cloud assigns from, else `None`.
pub(crate) fn cloud_assigned_pods(plan: &Plan, cluster: &ClusterPlan) -> Option<crate::Prefix> {
    if cluster.pods_in_node_subnet {
        Some(cluster.node_subnet)
    } else if plan.request.network.cni == crate::k8s::Cni::CustomNetworking {
        Some(cluster.pod_cidr)
    } else {
        None
    }
}

/// What each per-cluster document writer gets: the plan (for what spans clusters, such as
/// the request's network) and the cluster.
pub(crate) struct Doc<'a> {
    /// The whole plan.
    pub(crate) plan: &'a Plan,
    /// The cluster.
    pub(crate) cluster: &'a ClusterPlan,
}

/// The deployed pieces of `dp`'s pod range: the pieces it grew in place from
/// ([`ClusterPlan::pod_cidr_parts`]), or the range itself. Calico and Cilium keep each
/// piece as a pool or list entry of its own, as neither lets a deployed one change.
pub(crate) fn pod_pieces(
    cluster: &ClusterPlan,
    dp: &crate::k8s::Datapath,
) -> alloc::vec::Vec<crate::Prefix> {
    let parts: alloc::vec::Vec<crate::Prefix> = cluster
        .pod_cidr_parts
        .iter()
        .copied()
        .filter(|p| p.family() == dp.family && dp.pod_cidr.contains(p))
        .collect();
    if parts.is_empty() {
        alloc::vec![dp.pod_cidr]
    } else {
        parts
    }
}

/// YAML documents, one (or more) per cluster, each headed by a comment naming it.
pub(crate) fn per_cluster_yaml(plan: &Plan, document: impl Fn(&Doc<'_>, &mut String)) -> String {
    let mut out = String::new();
    for (index, cluster) in plan.clusters.iter().enumerate() {
        if index > 0 {
            out.push_str("---\n");
        }
        out.push_str(&format!(
            "# cluster {} ({} model), generated by cidrplan\n",
            quoted(&cluster.name),
            plan.model.as_str()
        ));
        document(&Doc { plan, cluster }, &mut out);
    }
    out
}
