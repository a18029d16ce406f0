//! Kubernetes: `kubectl get nodes -o json` (a `List`, a `NodeList` or one `Node`) and the
//! `kubeadm-config` ConfigMap, each describing one existing cluster. Nodes give their
//! addresses (the smallest prefix holding every InternalIP is the cluster's node subnet),
//! their count, their pod capacity and (where the node IPAM assigned them) their pod
//! ranges, which are only part of the cluster CIDR: the cluster's pod range stays unknown.
//! kubeadm gives the cluster's `podSubnet` and `serviceSubnet`. [`super::merge`] keeps a
//! cluster whose ranges are all known and lists the others' ranges as allocations.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::json::Value;

use super::path::{cidr, dig, list_of, quote, str_of, Path};
use super::{kept_cluster, RangeKind, Sink};
use crate::error::Result;
use crate::prefix::{Family, Prefix};

/// The name a kept cluster gets when the source does not say: kubeadm's default
/// `clusterName`, so that the nodes and the kubeadm-config of one cluster meet.
pub(crate) const DEFAULT_CLUSTER: &str = "kubernetes";

/// Node labels that name the cluster (eksctl, EKS managed node groups).
const CLUSTER_LABELS: &[&str] = &[
    "alpha.eksctl.io/cluster-name",
    "eks.amazonaws.com/cluster-name",
];

/// The smallest prefix that holds every prefix of `list` (all of one family).
pub(crate) fn cover(list: &[Prefix]) -> Option<Prefix> {
    let first = list.iter().map(Prefix::first).min()?;
    let last = list.iter().map(Prefix::last).max()?;
    let family = list[0].family();
    let bits = u32::from(family.bits());
    let differing = 128 - (first ^ last).leading_zeros();
    let shortest = list.iter().map(|p| u32::from(p.len())).min()?;
    let len = bits.saturating_sub(differing).min(shortest);
    let host = bits - len;
    let mask = if host >= 128 {
        0
    } else {
        !((1u128 << host) - 1)
    };
    let len = u8::try_from(len).ok()?;
    Prefix::new(family, first & mask, len).ok()
}

/// The shortest prefix taken for a cluster's node subnet from its nodes' addresses: a VPC
/// is at most a /16 (IPv4; a /56 of subnets in IPv6, taken as /48), so addresses spread
/// wider are nodes of several networks, and their cover would claim space between them.
fn widest_node_subnet(family: Family) -> u8 {
    match family {
        Family::V4 => 16,
        Family::V6 => 48,
    }
}

pub(crate) fn read_nodes(doc: &Value, root: &Path<'_>, out: &mut Sink<'_>) -> Result<()> {
    let (nodes, list_at): (&[Value], Option<Path<'_>>) = match doc {
        Value::Array(items) => (items, None),
        Value::Object(map) if map.contains_key("items") => (
            list_of(doc, "items", out.source, root)?,
            Some(root.key("items")),
        ),
        Value::Object(_) => (core::slice::from_ref(doc), None),
        other => return Err(out.bad(root, format!("expected nodes, found {}", quote(other)))),
    };
    let mut cluster = kept_cluster(DEFAULT_CLUSTER);
    let named = nodes.iter().find_map(|node| {
        CLUSTER_LABELS.iter().find_map(|l| {
            dig(node, &["metadata", "labels"])
                .and_then(|m| m.get(l))
                .and_then(Value::as_str)
                .map(String::from)
        })
    });
    let cluster_name = String::from(named.as_deref().unwrap_or(DEFAULT_CLUSTER));
    let mut internal: [Vec<Prefix>; 2] = [Vec::new(), Vec::new()];
    let mut max_pods = 0u32;
    let mut count = 0u32;
    for (i, node) in nodes.iter().enumerate() {
        let at = match (&list_at, doc.is_array()) {
            (Some(l), _) => l.index(i),
            (None, true) => root.index(i),
            (None, false) => *root,
        };
        let kind = str_of(node, "kind").unwrap_or("Node");
        if kind != "Node" || !node.is_object() {
            out.skip(
                &at,
                format!("not a Node ({})", quote(node.get("kind").unwrap_or(node))),
            );
            continue;
        }
        count += 1;
        let name = String::from(
            dig(node, &["metadata", "name"])
                .and_then(Value::as_str)
                .unwrap_or("node"),
        );
        if let Some(p) = dig(node, &["status", "capacity", "pods"]) {
            let n = match p {
                Value::String(s) => s.parse::<u32>().ok(),
                Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
                _ => None,
            };
            max_pods = max_pods.max(n.unwrap_or(0));
        }
        let spec_at = at.key("spec");
        let listed = list_of(
            node.get("spec").unwrap_or(&Value::Null),
            "podCIDRs",
            out.source,
            &spec_at,
        )?;
        let listed_at = spec_at.key("podCIDRs");
        let mut node_pods = Vec::new();
        for (j, v) in listed.iter().enumerate() {
            node_pods.push((
                listed_at.index(j),
                cidr(v, out.source, &listed_at.index(j), false)?,
            ));
        }
        if node_pods.is_empty() {
            if let Some(v) = dig(node, &["spec", "podCIDR"]) {
                let here = spec_at.key("podCIDR");
                node_pods.push((here, cidr(v, out.source, &here, false)?));
            }
        }
        for (here, p) in node_pods {
            let r = out.range(&here, format!("{name} pods"), p, RangeKind::Pods, None);
            r.cluster = Some(cluster_name.clone());
        }
        let status_at = at.key("status");
        let addresses = list_of(
            node.get("status").unwrap_or(&Value::Null),
            "addresses",
            out.source,
            &status_at,
        )?;
        let addresses_at = status_at.key("addresses");
        for (j, a) in addresses.iter().enumerate() {
            let here = addresses_at.index(j);
            let kind = str_of(a, "type").unwrap_or_default();
            if kind != "InternalIP" && kind != "ExternalIP" {
                continue; // host names (Hostname, InternalDNS, ExternalDNS) hold no range
            }
            let Some(v) = a.get("address") else {
                return Err(out.bad(&here, "a node address without an address"));
            };
            let p = cidr(v, out.source, &here.key("address"), true)?;
            if kind == "InternalIP" {
                internal[usize::from(p.family() == Family::V6)].push(p);
            }
            // One cluster is one address space: two nodes with one address is a conflict.
            let r = out.range(
                &here,
                name.as_str(),
                p,
                RangeKind::Node,
                Some(&cluster_name),
            );
            r.cluster = Some(cluster_name.clone());
            r.labels.insert("address_type".into(), kind.into());
        }
    }
    if count == 0 {
        out.skip(root, "no nodes");
        return Ok(());
    }
    cluster.name = cluster_name;
    cluster.nodes = count;
    if max_pods > 0 {
        cluster.max_pods_per_node = Some(max_pods);
    }
    // The nodes' pod ranges are a lower bound of the cluster CIDR, never the cluster CIDR:
    // the pod range stays unknown until the kubeadm-config (or the user) says.
    let node_ips = cover(&internal[0]).or_else(|| cover(&internal[1]));
    match node_ips {
        Some(p) if p.len() < widest_node_subnet(p.family()) => out.skip(
            root,
            format!(
                "the nodes' InternalIPs span {p}, wider than one node subnet: the node \
                 subnet is unknown (pin node_subnet)"
            ),
        ),
        _ => cluster.node_subnet = node_ips,
    }
    out.cluster(cluster);
    Ok(())
}

/// `key: value` of the first line of the embedded YAML whose key is `key` (at any
/// indentation), with quotes and a trailing comment removed.
fn yaml_value<'t>(yaml: &'t str, key: &str) -> Option<&'t str> {
    yaml.lines().find_map(|line| {
        let rest = line.trim_start().strip_prefix(key)?.strip_prefix(':')?;
        let rest = rest.split(" #").next().unwrap_or(rest).trim();
        let rest = rest.trim_matches(|c| c == '"' || c == '\'');
        (!rest.is_empty()).then_some(rest)
    })
}

pub(crate) fn read_kubeadm(doc: &Value, root: &Path<'_>, out: &mut Sink<'_>) -> Result<()> {
    let data_at = root.key("data");
    let at = data_at.key("ClusterConfiguration");
    let Some(yaml) = doc.pointer("/data/ClusterConfiguration") else {
        return Err(out.bad(
            root,
            "no data.ClusterConfiguration: not the kubeadm-config ConfigMap",
        ));
    };
    let Some(yaml) = yaml.as_str() else {
        return Err(out.bad(
            &at,
            format!(
                "expected the ClusterConfiguration text, found {}",
                quote(yaml)
            ),
        ));
    };
    let name = yaml_value(yaml, "clusterName").unwrap_or(DEFAULT_CLUSTER);
    let mut cluster = kept_cluster(name);
    for (key, kind) in [
        ("podSubnet", RangeKind::Pods),
        ("serviceSubnet", RangeKind::Services),
    ] {
        let here = at.key(key);
        let text = match yaml_value(yaml, key) {
            Some(t) => t,
            None if kind == RangeKind::Services => {
                out.skip(&here, "absent: kubeadm's default 10.96.0.0/12 is assumed");
                "10.96.0.0/12"
            }
            None => {
                out.skip(&here, "absent: the pod range is whatever the CNI chose");
                continue;
            }
        };
        for part in text.split(',') {
            let p = cidr(&Value::String(part.trim().into()), out.source, &here, false)?;
            let r = out.range(
                &here,
                format!(
                    "{name} {}",
                    if kind == RangeKind::Pods {
                        "pods"
                    } else {
                        "services"
                    }
                ),
                p,
                kind,
                None,
            );
            r.cluster = Some(String::from(name));
            let v6 = p.family() == Family::V6;
            let slot = match (kind, v6) {
                (RangeKind::Pods, false) => &mut cluster.pod_cidr,
                (RangeKind::Pods, true) => &mut cluster.pod_cidr_v6,
                (_, false) => &mut cluster.service_cidr,
                (_, true) => &mut cluster.service_cidr_v6,
            };
            *slot = Some(p);
        }
    }
    out.cluster(cluster);
    Ok(())
}
