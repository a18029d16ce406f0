//! The isolated model's edge as Kubernetes NetworkPolicies.
//!
//! NetworkPolicy is namespaced, so the documents carry no namespace: apply them in every
//! namespace of the cluster (`kubectl apply -n NAMESPACE -f FILE`). Pods may open
//! connections only to the datapath's `allowed_egress` and to pods of the cluster, and
//! accept them only from `allowed_ingress` and pods of the cluster; pods labelled
//! `cidrplan.io/gateway: "true"` (the cluster's gateways: ingress controllers, proxies)
//! accept connections from anywhere. Every CNI that enforces NetworkPolicy (Calico,
//! Cilium, and others) enforces these.

use alloc::format;
use alloc::string::String;

use super::Doc;
use crate::k8s::Datapath;
use crate::Prefix;

/// The label that marks a cluster's gateway pods.
pub const GATEWAY_LABEL: &str = "cidrplan.io/gateway";

/// The cluster's policies, or a comment when its model restricts nothing.
pub(super) fn documents(doc: &Doc<'_>, out: &mut String) {
    let restricted: alloc::vec::Vec<&Datapath> = doc
        .cluster
        .datapath
        .iter()
        .filter(|d| d.allowed_egress.is_some() || d.allowed_ingress.is_some())
        .collect();
    if restricted.is_empty() {
        out.push_str(&format!(
            "# the {} model restricts no traffic at the cluster's edge: no policy\n",
            doc.plan.model.as_str()
        ));
        return;
    }
    out.push_str("# apply in every namespace of the cluster: kubectl apply -n NAMESPACE -f FILE\n");
    out.push_str("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: cidrplan-isolate\nspec:\n");
    out.push_str("  podSelector: {}\n  policyTypes:\n    - Ingress\n    - Egress\n");
    out.push_str("  egress:\n    - to:\n        - namespaceSelector: {}\n");
    blocks(
        restricted
            .iter()
            .flat_map(|d| d.allowed_egress.iter().flatten()),
        out,
    );
    out.push_str("  ingress:\n    - from:\n        - namespaceSelector: {}\n");
    blocks(
        restricted
            .iter()
            .flat_map(|d| d.allowed_ingress.iter().flatten()),
        out,
    );
    out.push_str("---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: cidrplan-gateway\nspec:\n");
    out.push_str(&format!(
        "  podSelector:\n    matchLabels:\n      {GATEWAY_LABEL}: \"true\"\n"
    ));
    out.push_str("  policyTypes:\n    - Ingress\n  ingress:\n    - {}\n");
}

fn blocks<'a>(cidrs: impl Iterator<Item = &'a Prefix>, out: &mut String) {
    for cidr in cidrs {
        out.push_str(&format!("        - ipBlock:\n            cidr: {cidr}\n"));
    }
}
