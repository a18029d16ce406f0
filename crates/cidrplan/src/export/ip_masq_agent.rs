//! ip-masq-agent `ConfigMap` (kubernetes-sigs/ip-masq-agent).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::Doc;
use crate::k8s::Datapath;
use crate::{aggregate, Family, Prefix};

/// The agent's default `cidrLimit`: a longer list is refused unless the limit is raised.
const DEFAULT_CIDR_LIMIT: usize = 64;

/// The `kube-system/ip-masq-agent` ConfigMap: pods keep their own address toward every
/// family's no-masquerade destinations and masquerade as their node everywhere else.
pub(super) fn document(doc: &Doc<'_>, out: &mut String) {
    let cluster = doc.cluster;
    let cidrs: Vec<Prefix> = aggregate(
        &cluster
            .datapath
            .iter()
            .flat_map(Datapath::no_masquerade)
            .collect::<Vec<_>>(),
    );
    let v6 = cidrs.iter().any(|p| p.family() == Family::V6);
    if v6 {
        out.push_str(
            "# This config lists IPv6 ranges: the agent REFUSES THE WHOLE CONFIG (IPv4 included)\n\
             # unless it runs with --enable-ipv6 (default false; the upstream DaemonSet passes no\n\
             # arguments): add --enable-ipv6 to the DaemonSet's args before applying it.\n",
        );
    }
    out.push_str("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ip-masq-agent\n  namespace: kube-system\ndata:\n");
    out.push_str("  config: |\n    nonMasqueradeCIDRs:\n");
    if cidrs.is_empty() {
        out.push_str("      []\n");
    }
    for cidr in &cidrs {
        out.push_str(&format!("      - {cidr}\n"));
    }
    if cidrs.len() > DEFAULT_CIDR_LIMIT {
        out.push_str(&format!("    cidrLimit: {}\n", cidrs.len()));
    }
    out.push_str("    masqLinkLocal: false\n");
    if v6 {
        out.push_str("    masqLinkLocalIPv6: false\n");
    }
    out.push_str("    resyncInterval: 60s\n");
}
