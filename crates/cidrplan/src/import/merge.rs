//! Merging inventories into one plan request fragment.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use super::{Inventory, Range, RangeKind, Skipped};
use crate::k8s::{AllocationSpec, ClusterFamily, ClusterSpec};
use crate::overlaps::{overlaps, NamedPrefix, OverlapOptions, Relation};
use crate::prefix::{Family, Prefix};

/// The `network` part of a [`Fragment`]: what a plan request's `network` takes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FragmentNetwork {
    /// Network space the sources hold subnets in (VPC blocks, VNet address spaces, NetBox
    /// containers), aggregated.
    pub pools: Vec<Prefix>,
    /// Every range in use, one per CIDR (sources that list the same CIDR are merged: the
    /// first name in CIDR-then-origin order, every origin joined with `; `), ascending.
    pub allocations: Vec<AllocationSpec>,
}

/// Two imported ranges that overlap.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ImportOverlap {
    /// The first range's name.
    pub a: String,
    /// Its CIDR.
    pub a_cidr: Prefix,
    /// Its origin.
    pub a_origin: String,
    /// The second range's name.
    pub b: String,
    /// Its CIDR.
    pub b_cidr: Prefix,
    /// Its origin.
    pub b_origin: String,
    /// `equal`, `contains` (a contains b) or `within`.
    pub relation: &'static str,
    /// Both lie in one routing domain of one source (a VPC, a VNet, a GCP network, a
    /// NetBox VRF, a routing table), which the cloud or the IPAM would have refused.
    pub refused_by_source: bool,
}

/// An existing cluster a source describes that is not kept, because a range it needs is
/// unknown: the planner never invents a range for a running cluster, so what was observed
/// of it is listed as allocations instead, and this says what to add.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ImportWarning {
    /// The cluster.
    pub cluster: String,
    /// The request fields whose value no source gave, e.g. `pod_cidr`, `service_cidr`.
    pub unknown: Vec<&'static str>,
    /// What this means and how to fix it.
    pub message: String,
}

/// What one source gave.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SourceSummary {
    /// The shape read.
    pub format: super::Format,
    /// The source name, or empty.
    pub source: String,
    /// Ranges found.
    pub ranges: usize,
    /// Entries skipped.
    pub skipped: usize,
    /// Kept clusters found.
    pub clusters: usize,
}

/// A plan request fragment: network pools, allocations with their origins and kept
/// clusters, plus the report of the import (every range, every skipped entry, overlaps).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Fragment {
    /// Pools and allocations, as a plan request's `network` takes them.
    pub network: FragmentNetwork,
    /// Existing clusters with their ranges pinned, merged by name, sorted by name.
    pub clusters: Vec<ClusterSpec>,
    /// Each source, in the order given.
    pub sources: Vec<SourceSummary>,
    /// Every range found, sorted by CIDR then origin.
    pub ranges: Vec<Range>,
    /// Entries that gave no range, sorted by origin.
    pub skipped: Vec<Skipped>,
    /// Overlaps among the ranges in use (pools aside): a host inside the range that holds
    /// it, a node's pod range inside its cluster's pod range and one CIDR listed by two
    /// sources are not overlaps.
    pub overlaps: Vec<ImportOverlap>,
    /// Overlaps counted; more than listed when the list was cut at
    /// [`crate::overlaps`]'s default.
    pub overlaps_total: u64,
    /// Existing clusters not kept because a range they need is unknown (their observed
    /// ranges are allocations), by cluster name.
    pub warnings: Vec<ImportWarning>,
}

impl Fragment {
    /// Adds the fragment to a plan request: its pools where the request's pools do not
    /// already hold them, its allocations, and its kept clusters ahead of the clusters to
    /// build (a request cluster of the same name wins: the request is the user's word).
    pub fn apply_to(self, request: &mut crate::k8s::PlanRequest) {
        for pool in self.network.pools {
            if !request.network.pools.iter().any(|p| p.contains(&pool)) {
                request.network.pools.push(pool);
            }
        }
        let mut allocations = self.network.allocations;
        name_uniquely(&mut allocations, &request.network.allocations);
        request.network.allocations.extend(allocations);
        let mut kept: Vec<ClusterSpec> = self
            .clusters
            .into_iter()
            .filter(|c| !request.clusters.iter().any(|r| r.name == c.name))
            .collect();
        kept.append(&mut request.clusters);
        request.clusters = kept;
    }
}

/// Merges inventories. The result does not depend on their order (sources are listed as
/// given), and a CIDR several sources list is one allocation.
pub fn merge(inventories: &[Inventory]) -> Fragment {
    merge_owned(inventories.to_vec())
}

/// [`merge`], taking the inventories: their ranges and skipped entries move into the
/// fragment instead of being copied (10^6 ranges are most of an import's time and memory).
pub fn merge_owned(inventories: Vec<Inventory>) -> Fragment {
    merge_with(inventories, true)
}

/// [`merge_owned`] for a caller that only applies the fragment to a plan request
/// ([`Fragment::apply_to`]): the same pools, allocations and kept clusters, but the report
/// is left out (`ranges`, `overlaps` empty, `overlaps_total` 0), so the names, labels and
/// origins of the ranges move into the allocations instead of being copied and no
/// overlaps are searched for. `sources` and `skipped` are kept.
pub fn merge_for_request(inventories: Vec<Inventory>) -> Fragment {
    merge_with(inventories, false)
}

/// Merges; `report` keeps every range and finds the overlaps among them.
fn merge_with(inventories: Vec<Inventory>, report: bool) -> Fragment {
    let (clusters, incomplete) = merge_clusters(&inventories);
    let sources: Vec<SourceSummary> = inventories
        .iter()
        .map(|inv| SourceSummary {
            format: inv.format,
            source: inv.source.clone(),
            ranges: inv.ranges.len(),
            skipped: inv.skipped.len(),
            clusters: inv.clusters.len(),
        })
        .collect();
    let mut ranges: Vec<Range> =
        Vec::with_capacity(inventories.iter().map(|inv| inv.ranges.len()).sum());
    let mut skipped: Vec<Skipped> = Vec::new();
    for inv in inventories {
        ranges.extend(inv.ranges);
        skipped.extend(inv.skipped);
    }
    let order = |a: &Range, b: &Range| (a.cidr, &a.origin).cmp(&(b.cidr, &b.origin));
    // Sources often list their ranges in CIDR order already: checking is one pass.
    if !ranges.is_sorted_by(|a, b| order(a, b).is_le()) {
        // Positions are sorted (stably, so the order is that of sorting the ranges) and
        // the ranges moved once: a range is too large to move at every step of a sort.
        let mut positions: Vec<usize> = (0..ranges.len()).collect();
        positions.sort_by(|&a, &b| order(&ranges[a], &ranges[b]));
        let mut slots: Vec<Option<Range>> = ranges.into_iter().map(Some).collect();
        ranges = positions
            .into_iter()
            .filter_map(|i| slots.get_mut(i).and_then(Option::take))
            .collect();
    }
    // Sources in name order, each in document order.
    skipped.sort_by(|a, b| doc_of(&a.origin).cmp(doc_of(&b.origin)));
    // A range inside a kept cluster's pinned range is that cluster's, not an allocation.
    let pins: Vec<(Prefix, &str)> = clusters
        .iter()
        .flat_map(|c| {
            [
                c.pod_cidr,
                c.service_cidr,
                c.node_subnet,
                c.pod_cidr_v6,
                c.service_cidr_v6,
            ]
            .into_iter()
            .flatten()
            .map(move |p| (p, c.name.as_str()))
        })
        .collect();
    // What was observed of a cluster that is not kept, as allocations, and what is missing.
    let mut warnings = Vec::with_capacity(incomplete.len());
    for (c, unknown) in incomplete {
        let observed: Vec<&Range> = ranges
            .iter()
            .filter(|r| r.cluster.as_deref() == Some(c.name.as_str()))
            .collect();
        let node_pods = observed
            .iter()
            .filter(|r| r.kind == RangeKind::Pods && r.origin.starts_with("kubectl-nodes"))
            .count();
        let from = |format: &str| observed.iter().any(|r| r.origin.starts_with(format));
        let sources = (from("kubectl-nodes "), from("kubeadm-config "));
        warnings.push(incomplete_warning(
            &c,
            unknown,
            observed.len(),
            node_pods,
            sources,
        ));
    }
    let kept_names: Vec<&str> = clusters.iter().map(|c| c.name.as_str()).collect();
    for r in ranges.iter_mut() {
        if let Some(name) = r.cluster.as_deref() {
            if !kept_names.contains(&name) {
                // An observed range of a cluster that is not kept: an allocation that says whose.
                let name = String::from(name);
                r.labels.entry("cluster".into()).or_insert(name);
            }
        }
        if r.cluster.is_none() && r.kind != RangeKind::Network {
            if let Some((_, name)) = pins.iter().find(|(p, _)| p.contains(&r.cidr)) {
                r.cluster = Some(String::from(*name));
            }
        }
    }
    let absorbed = |r: &Range| pins.iter().any(|(p, _)| p.contains(&r.cidr));

    let mut pools: Vec<Prefix> = ranges
        .iter()
        .filter(|r| r.kind == RangeKind::Network)
        .map(|r| r.cidr)
        .collect();
    pools = crate::ops::aggregate(&pools);

    let in_use: Vec<usize> = (0..ranges.len())
        .filter(|&i| ranges.get(i).is_some_and(|r| r.kind != RangeKind::Network))
        .collect();
    let mut allocations: Vec<AllocationSpec> = Vec::new();
    let mut i = 0;
    while i < in_use.len() {
        let cidr = ranges[in_use[i]].cidr;
        let mut j = i;
        while j < in_use.len() && ranges[in_use[j]].cidr == cidr {
            j += 1;
        }
        let group = &in_use[i..j];
        if !group.iter().any(|&k| absorbed(&ranges[k])) {
            let first = group[0];
            let (name, labels, origin) = if !report && group.len() == 1 {
                // The range is not kept: its parts move.
                let r = &mut ranges[first];
                (
                    core::mem::take(&mut r.name),
                    core::mem::take(&mut r.labels),
                    core::mem::take(&mut r.origin),
                )
            } else {
                let mut labels = BTreeMap::new();
                for &k in group {
                    for (key, v) in &ranges[k].labels {
                        labels.entry(key.clone()).or_insert_with(|| v.clone());
                    }
                }
                let origins: Vec<&str> = group.iter().map(|&k| ranges[k].origin.as_str()).collect();
                (ranges[first].name.clone(), labels, origins.join("; "))
            };
            allocations.push(AllocationSpec {
                name,
                cidr,
                reachable: true,
                origin: Some(origin),
                labels,
            });
        }
        i = j;
    }

    name_uniquely(&mut allocations, &[]);

    let (overlaps, overlaps_total) = if report {
        let in_use: Vec<&Range> = in_use.iter().filter_map(|&k| ranges.get(k)).collect();
        find_overlaps(&in_use)
    } else {
        ranges = Vec::new();
        (Vec::new(), 0)
    };
    Fragment {
        network: FragmentNetwork { pools, allocations },
        clusters,
        sources,
        ranges,
        skipped,
        overlaps,
        overlaps_total,
        warnings,
    }
}

/// The warning for a cluster not kept because the fields `unknown` have no value.
fn incomplete_warning(
    c: &ClusterSpec,
    unknown: Vec<&'static str>,
    observed: usize,
    node_pods: usize,
    (nodes, kubeadm): (bool, bool),
) -> ImportWarning {
    let name = c.name.as_str();
    let mut message = alloc::format!(
        "cluster {} is not kept: its {} {} unknown",
        crate::text::quoted(name),
        unknown.join(", "),
        if unknown.len() == 1 { "is" } else { "are" }
    );
    if node_pods > 0 {
        message.push_str(&alloc::format!(
            " (the pod ranges of its {node_pods} node{} are only part of its cluster CIDR, \
             the rest of which other clusters could be given)",
            if node_pods == 1 { "" } else { "s" }
        ));
    }
    message.push_str(&alloc::format!(
        "; its {observed} observed range{} {} listed as allocations. To keep the cluster, ",
        if observed == 1 { "" } else { "s" },
        if observed == 1 { "is" } else { "are" },
    ));
    if nodes
        && !kubeadm
        && unknown
            .iter()
            .any(|f| f.starts_with("pod_") || f.starts_with("service_"))
    {
        message.push_str(
            "import its kubeadm-config ConfigMap as well (kubectl -n kube-system get \
             configmap kubeadm-config -o json), or ",
        );
    }
    if unknown.contains(&"node_subnet") && !nodes {
        message.push_str("import its nodes as well (kubectl get nodes -o json), or ");
    }
    let mut fields = unknown.clone();
    if let Some(subnet) = c.node_subnet {
        fields.push("node_subnet");
        message.push_str(&alloc::format!(
            "list it in the request's clusters with existing: true and {} pinned \
             (node_subnet {subnet} as imported)",
            fields.join(", ")
        ));
    } else {
        message.push_str(&alloc::format!(
            "list it in the request's clusters with existing: true and {} pinned",
            fields.join(", ")
        ));
    }
    ImportWarning {
        cluster: String::from(name),
        unknown,
        message,
    }
}

/// Gives each allocation a name no other one has (a plan refuses two allocations of one
/// name): inventories repeat names (`dev eth0` on many routes, one `Name` tag on a subnet
/// per zone), so every holder of a repeated name, or of a name in `taken`, gets its CIDR
/// appended: `private (10.0.1.0/24)`. Unique names are kept as the source wrote them.
fn name_uniquely(allocations: &mut [AllocationSpec], taken: &[AllocationSpec]) {
    let first =
        crate::sort::first_equal_str(allocations.iter().chain(taken).map(|a| a.name.as_str()));
    // Every holder of a name some other position also holds.
    let mut repeated = alloc::vec![false; first.len()];
    for (i, &f) in first.iter().enumerate() {
        if f != i {
            repeated[i] = true;
            repeated[f] = true;
        }
    }
    for (a, repeated) in allocations.iter_mut().zip(repeated) {
        if repeated {
            a.name = alloc::format!("{} ({})", a.name, a.cidr);
        }
    }
}

/// The source part of an origin (`FORMAT [SOURCE]`), which two entries of one document share.
fn doc_of(origin: &str) -> &str {
    match origin.rfind(' ') {
        Some(at) => &origin[..at],
        None => origin,
    }
}

fn document(r: &Range) -> &str {
    doc_of(&r.origin)
}

/// Whether one of `a` and `b` is a node's pod range inside the other, its own cluster's pod
/// range (kubeadm's `podSubnet`): how a cluster CIDR is used, not an overlap.
fn node_range_of(a: &Range, b: &Range) -> bool {
    let node = |r: &Range| r.kind == RangeKind::Pods && r.origin.starts_with("kubectl-nodes ");
    a.kind == RangeKind::Pods
        && b.kind == RangeKind::Pods
        && a.cluster.is_some()
        && a.cluster == b.cluster
        && a.cidr != b.cidr
        && ((node(a) && b.cidr.contains(&a.cidr)) || (node(b) && a.cidr.contains(&b.cidr)))
}

fn find_overlaps(in_use: &[&Range]) -> (Vec<ImportOverlap>, u64) {
    let items: Vec<NamedPrefix> = in_use
        .iter()
        .map(|r| NamedPrefix::new(String::new(), r.cidr))
        .collect();
    let report = overlaps(&items, &OverlapOptions::default());
    let mut total = 0u64;
    let mut listed = Vec::new();
    for o in &report.overlaps {
        let (a, b) = (in_use[o.a], in_use[o.b]);
        let hosts = usize::from(a.kind == RangeKind::Node) + usize::from(b.kind == RangeKind::Node);
        let same_doc = document(a) == document(b);
        if hosts == 1 || (o.relation == Relation::Equal && !same_doc) || node_range_of(a, b) {
            continue; // a host in its subnet; one range listed by two sources
        }
        total += 1;
        listed.push(ImportOverlap {
            a: a.name.clone(),
            a_cidr: a.cidr,
            a_origin: a.origin.clone(),
            b: b.name.clone(),
            b_cidr: b.cidr,
            b_origin: b.origin.clone(),
            relation: o.relation.as_str(),
            refused_by_source: same_doc && a.scope.is_some() && a.scope == b.scope,
        });
    }
    // Pairs past the report's listing cap are counted, not listed.
    total += report.total.saturating_sub(report.overlaps.len() as u64);
    listed.sort();
    (listed, total)
}

/// The kept clusters (every range they need known), and the clusters that are not, each
/// with the fields it lacks.
fn merge_clusters(inventories: &[Inventory]) -> (Vec<ClusterSpec>, Vec<Incomplete>) {
    let mut by_name: BTreeMap<String, ClusterSpec> = BTreeMap::new();
    // Deterministic whatever the order of sources: merge in name order of the source, then
    // field by field the first set value wins, counts take the largest.
    let mut all: Vec<&ClusterSpec> = inventories.iter().flat_map(|i| i.clusters.iter()).collect();
    all.sort_by_key(|c| cluster_key(c));
    for c in all {
        match by_name.get_mut(&c.name) {
            None => {
                by_name.insert(c.name.clone(), c.clone());
            }
            Some(m) => {
                m.nodes = m.nodes.max(c.nodes);
                m.max_pods_per_node = m.max_pods_per_node.max(c.max_pods_per_node);
                for (slot, value) in [
                    (&mut m.pod_cidr, c.pod_cidr),
                    (&mut m.service_cidr, c.service_cidr),
                    (&mut m.node_subnet, c.node_subnet),
                    (&mut m.pod_cidr_v6, c.pod_cidr_v6),
                    (&mut m.service_cidr_v6, c.service_cidr_v6),
                ] {
                    // Of two sources' ranges, one holding the other wins.
                    match (*slot, value) {
                        (None, v) => *slot = v,
                        (Some(s), Some(v)) if v.contains(&s) => *slot = Some(v),
                        _ => {}
                    }
                }
            }
        }
    }
    let mut out: Vec<ClusterSpec> = by_name.into_values().collect();
    for c in out.iter_mut() {
        let v4 = c.pod_cidr.is_some() || c.service_cidr.is_some();
        let v6 = c.pod_cidr_v6.is_some() || c.service_cidr_v6.is_some();
        c.family = match (v4, v6) {
            (true, true) => ClusterFamily::Dual,
            (false, true) => ClusterFamily::Ipv6,
            _ => ClusterFamily::Ipv4,
        };
        if c.family == ClusterFamily::Ipv6 {
            // An IPv6-only cluster's node subnet pin must be IPv6 too.
            if c.node_subnet.is_some_and(|p| p.family() == Family::V4) {
                c.node_subnet = None;
            }
        }
    }
    let (kept, incomplete): (Vec<ClusterSpec>, Vec<ClusterSpec>) =
        out.into_iter().partition(|c| unknown_ranges(c).is_empty());
    let incomplete = incomplete
        .into_iter()
        .map(|c| {
            let unknown = unknown_ranges(&c);
            (c, unknown)
        })
        .collect();
    (kept, incomplete)
}

/// A cluster not kept and the fields it lacks.
type Incomplete = (ClusterSpec, Vec<&'static str>);

/// The fields of the ranges an existing cluster needs pinned that `c` lacks.
fn unknown_ranges(c: &ClusterSpec) -> Vec<&'static str> {
    let v4 = c.family.has_v4();
    let v6 = c.family.has_v6();
    [
        ("pod_cidr", v4 && c.pod_cidr.is_none()),
        ("service_cidr", v4 && c.service_cidr.is_none()),
        ("pod_cidr_v6", v6 && c.pod_cidr_v6.is_none()),
        ("service_cidr_v6", v6 && c.service_cidr_v6.is_none()),
        ("node_subnet", c.node_subnet.is_none()),
    ]
    .into_iter()
    .filter_map(|(field, missing)| missing.then_some(field))
    .collect()
}

type ClusterKey = (String, u32, [Option<Prefix>; 5]);

fn cluster_key(c: &ClusterSpec) -> ClusterKey {
    (
        c.name.clone(),
        c.nodes,
        [
            c.pod_cidr,
            c.service_cidr,
            c.node_subnet,
            c.pod_cidr_v6,
            c.service_cidr_v6,
        ],
    )
}
