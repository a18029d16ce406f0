//! A plan as a lock file: the ranges of a previous plan that a re-plan keeps, the clusters
//! it retains until they are released, and what it did to clusters that outgrew their
//! ranges.
//!
//! A pod or service range cannot move once a cluster runs, so a re-plan given the previous
//! plan ([`PlanOptions::previous`]) keeps every range of every cluster it knows exactly,
//! and carves new clusters around them. A cluster that needs more room is never moved: its
//! range grows in place when the aligned block around it is free, or else it gets a second
//! pod range; each is a [`Growth`] note with its reason.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::identity::{check_recorded, of_previous, recorded, Identity};
use super::model::NetworkModel;
use super::plan::ClusterPlan;
use super::request::PlanRequest;
use crate::limits::MAX_NAME_LEN;
use crate::text::quoted;
use crate::{Error, Family, Prefix, Result};

/// Most clusters a previous plan may hold (kept and retained together).
pub const MAX_PREVIOUS_CLUSTERS: usize = 2 * super::context::MAX_CLUSTERS;

/// Most per-range lists (extra pod ranges, growth reserves) one previous cluster may hold.
pub const MAX_LOCKED_EXTRAS: usize = 64;

/// Largest accepted `growth_reserve` factor: 16 bits of growth, the node IPAM allocator's
/// whole span.
pub const MAX_GROWTH_RESERVE: u32 = 1 << 16;

/// What a plan is made from besides its request: the previous plan, if any, and the
/// clusters of it to release.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PlanOptions {
    /// The plan this one replaces: every range of every cluster in it is kept.
    pub previous: Option<PreviousPlan>,
    /// Names of clusters of the previous plan whose ranges are given up: a released cluster
    /// that is no longer requested is dropped, one still requested is planned anew.
    pub release: Vec<String>,
}

/// The part of a plan a re-plan reads: its model and every cluster's ranges.
///
/// It reads the JSON of a [`super::Plan`] (`plan --json`); the keys a plan derives from
/// its ranges (ranking, reachability, datapath, headroom, request, ...) are skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PreviousPlan {
    /// The model every kept cluster keeps.
    pub model: NetworkModel,
    /// The clusters planned.
    pub clusters: Vec<LockedCluster>,
    /// Clusters no longer requested whose ranges were still reserved.
    #[cfg_attr(feature = "serde", serde(default))]
    pub retained: Vec<LockedCluster>,
}

impl From<&super::Plan> for PreviousPlan {
    fn from(plan: &super::Plan) -> Self {
        PreviousPlan {
            model: plan.model,
            clusters: plan.clusters.iter().map(LockedCluster::from).collect(),
            retained: plan.retained.clone(),
        }
    }
}

/// One cluster's ranges, as a plan lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LockedCluster {
    /// The cluster.
    pub name: String,
    /// Pod range: IPv4, or IPv6 for an IPv6-only cluster.
    pub pod_cidr: Prefix,
    /// Per-node mask of `pod_cidr`.
    pub node_pod_mask: u8,
    /// Service range.
    pub service_cidr: Prefix,
    /// Node subnet.
    pub node_subnet: Prefix,
    /// Mapped only: the external range.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub external_pod_cidr: Option<Prefix>,
    /// IPv6 pod range.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub pod_cidr_v6: Option<Prefix>,
    /// IPv6 per-node mask.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub node_pod_mask_v6: Option<u8>,
    /// IPv6 service range.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub service_cidr_v6: Option<Prefix>,
    /// Further pod ranges added when the cluster outgrew its pod range.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub extra_pod_cidrs: Vec<Prefix>,
    /// The pod ranges as the CNI's pools hold them once a range grew in place: per family,
    /// the range first deployed, then each block added around it, in order. Empty while
    /// every pod range is one piece. See [`ClusterPlan::pod_cidr_parts`].
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub pod_cidr_parts: Vec<Prefix>,
    /// Blocks held free around the cluster's ranges for growth in place.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub growth_reserve: Vec<Prefix>,
    /// Archipelago only: the cluster's group, whose mesh its `mesh_id` belongs to.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub group: Option<String>,
    /// ClusterMesh `cluster.id` (1..=255, unique in the mesh), kept by every re-plan. A
    /// plan written before ids were recorded has none: the ids its exports gave (by
    /// position) are read instead.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub mesh_id: Option<u16>,
    /// Cilium `cluster.name` (unique in the plan), kept by every re-plan; derived as the
    /// plan's exports gave it when absent.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub cilium_name: Option<String>,
}

impl From<&ClusterPlan> for LockedCluster {
    fn from(c: &ClusterPlan) -> Self {
        LockedCluster {
            name: c.name.clone(),
            pod_cidr: c.pod_cidr,
            node_pod_mask: c.node_pod_mask,
            service_cidr: c.service_cidr,
            node_subnet: c.node_subnet,
            external_pod_cidr: c.external_pod_cidr,
            pod_cidr_v6: c.pod_cidr_v6,
            node_pod_mask_v6: c.node_pod_mask_v6,
            service_cidr_v6: c.service_cidr_v6,
            extra_pod_cidrs: c.extra_pod_cidrs.clone(),
            pod_cidr_parts: c.pod_cidr_parts.clone(),
            growth_reserve: c.growth_reserve.clone(),
            group: c.group.clone(),
            mesh_id: c.mesh_id,
            cilium_name: Some(c.cilium_name.clone()).filter(|n| !n.is_empty()),
        }
    }
}

impl LockedCluster {
    /// The IPv4 pod range, if the cluster has one.
    pub fn pod_v4(&self) -> Option<Prefix> {
        Some(self.pod_cidr).filter(|p| p.family() == Family::V4)
    }

    /// The IPv6 pod range, if the cluster has one.
    pub fn pod_v6(&self) -> Option<Prefix> {
        self.pod_cidr_v6
            .or(Some(self.pod_cidr).filter(|p| p.family() == Family::V6))
    }

    /// The IPv4 service range, if the cluster has one.
    pub fn service_v4(&self) -> Option<Prefix> {
        Some(self.service_cidr).filter(|p| p.family() == Family::V4)
    }

    /// The IPv6 service range, if the cluster has one.
    pub fn service_v6(&self) -> Option<Prefix> {
        self.service_cidr_v6
            .or(Some(self.service_cidr).filter(|p| p.family() == Family::V6))
    }

    /// Every range the cluster holds, reserves included, each named by its field.
    pub fn ranges(&self) -> Vec<(&'static str, Prefix)> {
        let mut out = Vec::new();
        let singles = [
            ("pod_cidr", Some(self.pod_cidr)),
            ("service_cidr", Some(self.service_cidr)),
            ("node_subnet", Some(self.node_subnet)),
            ("external_pod_cidr", self.external_pod_cidr),
            ("pod_cidr_v6", self.pod_cidr_v6),
            ("service_cidr_v6", self.service_cidr_v6),
        ];
        for (field, range) in singles {
            out.extend(range.map(|r| (field, r)));
        }
        out.extend(self.extra_pod_cidrs.iter().map(|&r| ("extra_pod_cidrs", r)));
        out.extend(self.growth_reserve.iter().map(|&r| ("growth_reserve", r)));
        out
    }
}

/// What a re-plan did for a kept cluster that needed more room than a range gave.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Growth {
    /// The range that was too small: `pod_cidr`, `pod_cidr_v6` or `node_subnet`.
    pub range: &'static str,
    /// `in_place` (the range was replaced by the aligned block holding it), `second_range`
    /// (a further pod range was added) or `none` (nothing could be done; a warning says so).
    pub how: &'static str,
    /// The range as the previous plan had it.
    pub from: Prefix,
    /// The grown range (`in_place`) or the added one (`second_range`).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub to: Option<Prefix>,
    /// Why, with the numbers.
    pub reason: String,
    /// Exports that carry a second pod range (`second_range` only).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub carried_by: Vec<&'static str>,
    /// Exports that cannot, and why (`second_range` only).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub limits: Vec<String>,
}

/// Exports that render every pod range of a cluster.
pub(crate) const CARRY_SECOND_RANGE: [&str; 4] = ["calico", "cilium", "ip-masq-agent", "tfvars"];

/// Exports limited to one pod range per family, and why.
pub(crate) fn second_range_limits() -> Vec<String> {
    alloc::vec![
        String::from(
            "kcm-flags: kube-controller-manager's --cluster-cidr takes one range per family; \
             its node IPAM allocator cannot hand out the second range (use the CNI's IPAM: \
             Cilium cluster-pool or Calico IP pools)"
        ),
        String::from(
            "kubeadm: networking.podSubnet is kube-controller-manager's --cluster-cidr, \
             the same single range"
        ),
    ]
}

/// The previous plan resolved against the request: what each requested cluster keeps and
/// what stays reserved.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lock {
    /// The model the kept and retained clusters have, when there are any.
    pub(crate) model: Option<NetworkModel>,
    /// Per requested cluster, in request order: the ranges it keeps.
    pub(crate) kept: Vec<Option<LockedCluster>>,
    /// Clusters of the previous plan neither requested nor released.
    pub(crate) retained: Vec<LockedCluster>,
    /// Names released, in the order given.
    pub(crate) released: Vec<String>,
    /// Per requested cluster, in request order: the mesh id and Cilium name the previous
    /// plan gave a cluster of that name (released or not).
    pub(crate) identities: Vec<Option<Identity>>,
}

/// Checks the previous plan and matches it to the request's clusters by name.
pub(crate) fn resolve(req: &PlanRequest, options: &PlanOptions) -> Result<Lock> {
    let Some(previous) = &options.previous else {
        if let Some((i, name)) = options.release.iter().enumerate().next() {
            return Err(Error::invalid_spec(
                format!("release[{i}]"),
                format!(
                    "{} names no cluster: there is no previous plan",
                    quoted(name)
                ),
            ));
        }
        return Ok(Lock {
            kept: alloc::vec![None; req.clusters.len()],
            identities: alloc::vec![None; req.clusters.len()],
            ..Lock::default()
        });
    };
    let (listed, by_name, ids) = check_plan("previous", previous)?;
    if options.release.len() > MAX_PREVIOUS_CLUSTERS {
        return Err(Error::limit(
            "released clusters",
            MAX_PREVIOUS_CLUSTERS as u128,
            options.release.len() as u128,
        ));
    }
    let find = |name: &str| -> Option<usize> {
        let at = by_name.partition_point(|&k| listed[k].1.name.as_str() < name);
        by_name
            .get(at)
            .copied()
            .filter(|&k| listed[k].1.name == name)
    };
    let mut released = Vec::new();
    let mut is_released = alloc::vec![false; listed.len()];
    for (i, name) in options.release.iter().enumerate() {
        match find(name) {
            Some(k) if !is_released[k] => {
                is_released[k] = true;
                released.push(name.clone());
            }
            Some(_) => {
                return Err(Error::invalid_spec(
                    format!("release[{i}]"),
                    format!("{} is released twice", quoted(name)),
                ))
            }
            None => {
                return Err(Error::invalid_spec(
                    format!("release[{i}]"),
                    format!("{} names no cluster of the previous plan", quoted(name)),
                ))
            }
        }
    }
    let mut requested = alloc::vec![false; listed.len()];
    let mut kept = Vec::with_capacity(req.clusters.len());
    let mut identities = Vec::with_capacity(req.clusters.len());
    for spec in &req.clusters {
        let hit = find(&spec.name);
        if let Some(k) = hit {
            requested[k] = true;
        }
        kept.push(
            hit.filter(|&k| !is_released[k])
                .map(|k| recorded(listed[k].1, ids.get(k))),
        );
        identities.push(hit.and_then(|k| ids.get(k).cloned()));
    }
    let retained: Vec<LockedCluster> = (0..listed.len())
        .filter(|&k| !requested[k] && !is_released[k])
        .map(|k| recorded(listed[k].1, ids.get(k)))
        .collect();
    let model =
        (kept.iter().any(Option::is_some) || !retained.is_empty()).then_some(previous.model);
    Ok(Lock {
        model,
        kept,
        retained,
        released,
        identities,
    })
}

/// Every cluster of a previous plan with the path that names it, their positions sorted
/// by name, and their mesh ids and Cilium names (recorded, or derived for an older plan).
pub(crate) type Listed<'p> = (Vec<(String, &'p LockedCluster)>, Vec<usize>, Vec<Identity>);

/// Checks a plan read as a previous plan (or a side of a diff), whose paths start with
/// `what`: at most [`MAX_PREVIOUS_CLUSTERS`] clusters, each well formed, names unique,
/// mesh ids and Cilium names valid and unique. Returns every cluster with its path, their
/// positions sorted by name, and their mesh ids and Cilium names.
pub(crate) fn check_plan<'p>(what: &str, plan: &'p PreviousPlan) -> Result<Listed<'p>> {
    let total = plan.clusters.len() + plan.retained.len();
    if total > MAX_PREVIOUS_CLUSTERS {
        return Err(Error::limit(
            "clusters in a previous plan",
            MAX_PREVIOUS_CLUSTERS as u128,
            total as u128,
        ));
    }
    let listed: Vec<(String, &LockedCluster)> = plan
        .clusters
        .iter()
        .enumerate()
        .map(|(i, c)| (format!("{what}.clusters[{i}]"), c))
        .chain(
            plan.retained
                .iter()
                .enumerate()
                .map(|(i, c)| (format!("{what}.retained[{i}]"), c)),
        )
        .collect();
    for (path, c) in &listed {
        check_locked(path, c)?;
    }
    let mut by_name: Vec<usize> = (0..listed.len()).collect();
    by_name.sort_by(|&a, &b| listed[a].1.name.cmp(&listed[b].1.name).then(a.cmp(&b)));
    for pair in by_name.windows(2) {
        if let [a, b] = pair {
            if listed[*a].1.name == listed[*b].1.name {
                return Err(Error::invalid_spec(
                    format!("{}.name", listed[*b].0),
                    format!(
                        "{} is also the name of {}",
                        quoted(&listed[*b].1.name),
                        listed[*a].0
                    ),
                ));
            }
        }
    }
    check_recorded(plan.model, &listed)?;
    let ids = of_previous(plan.model, &listed);
    Ok((listed, by_name, ids))
}

/// A previous cluster's ranges must be of the families their fields say, and its masks
/// within its pod ranges' families.
fn check_locked(path: &str, c: &LockedCluster) -> Result<()> {
    if c.name.is_empty() {
        return Err(Error::invalid_spec(
            format!("{path}.name"),
            "a name is needed",
        ));
    }
    if c.name.len() > MAX_NAME_LEN {
        return Err(Error::limit(
            "bytes in a cluster name",
            MAX_NAME_LEN as u128,
            c.name.len() as u128,
        ));
    }
    let bad = |field: &str, why: String| Err(Error::invalid_spec(format!("{path}.{field}"), why));
    let family = c.pod_cidr.family();
    if c.node_pod_mask > family.bits() || c.node_pod_mask < c.pod_cidr.len() {
        return bad(
            "node_pod_mask",
            format!(
                "/{} is not a per-node range of {}",
                c.node_pod_mask, c.pod_cidr
            ),
        );
    }
    if c.service_cidr.family() != family {
        return bad(
            "service_cidr",
            format!("{} is not of the pod range's family", c.service_cidr),
        );
    }
    for (field, range) in [
        ("pod_cidr_v6", c.pod_cidr_v6),
        ("service_cidr_v6", c.service_cidr_v6),
    ] {
        if let Some(range) = range {
            if range.family() != Family::V6 {
                return bad(field, format!("{range} is not IPv6"));
            }
        }
    }
    if let Some(external) = c.external_pod_cidr {
        if external.family() != Family::V4 || family != Family::V4 {
            return bad(
                "external_pod_cidr",
                format!("{external} maps an IPv4 pod range and must be IPv4"),
            );
        }
    }
    if let (Some(v6), Some(mask)) = (c.pod_v6(), c.node_pod_mask_v6) {
        if mask > 128 || mask < v6.len() {
            return bad(
                "node_pod_mask_v6",
                format!("/{mask} is not a per-node range of {v6}"),
            );
        }
    }
    check_parts(c, &bad)?;
    for (field, list) in [
        ("extra_pod_cidrs", &c.extra_pod_cidrs),
        ("growth_reserve", &c.growth_reserve),
    ] {
        if list.len() > MAX_LOCKED_EXTRAS {
            return Err(Error::limit(
                "ranges in one previous cluster's list",
                MAX_LOCKED_EXTRAS as u128,
                list.len() as u128,
            ));
        }
        for (k, range) in list.iter().enumerate() {
            let mask = match range.family() {
                Family::V4 if family == Family::V4 => Some(c.node_pod_mask),
                Family::V4 => None,
                Family::V6 => c.node_pod_mask_v6.or(Some(c.node_pod_mask)),
            };
            if field == "extra_pod_cidrs" && mask.is_none_or(|m| m < range.len()) {
                return bad(
                    &format!("{field}[{k}]"),
                    format!("{range} is no pod range of the cluster's families and masks"),
                );
            }
        }
    }
    Ok(())
}

/// `pod_cidr_parts`: per family, disjoint blocks that together are exactly that family's
/// pod range.
fn check_parts(c: &LockedCluster, bad: &dyn Fn(&str, String) -> Result<()>) -> Result<()> {
    if c.pod_cidr_parts.len() > MAX_LOCKED_EXTRAS {
        return Err(Error::limit(
            "ranges in one previous cluster's list",
            MAX_LOCKED_EXTRAS as u128,
            c.pod_cidr_parts.len() as u128,
        ));
    }
    for (k, part) in c.pod_cidr_parts.iter().enumerate() {
        let range = match part.family() {
            Family::V4 => c.pod_v4(),
            Family::V6 => c.pod_v6(),
        };
        if !range.is_some_and(|r| r.contains(part)) {
            return bad(
                &format!("pod_cidr_parts[{k}]"),
                format!("{part} is not inside a pod range of the cluster"),
            );
        }
        if let Some(j) = c.pod_cidr_parts[..k].iter().position(|p| p.overlaps(part)) {
            return bad(
                &format!("pod_cidr_parts[{k}]"),
                format!(
                    "{part} overlaps pod_cidr_parts[{j}] {}",
                    c.pod_cidr_parts[j]
                ),
            );
        }
    }
    for range in [c.pod_v4(), c.pod_v6()].into_iter().flatten() {
        let parts: Vec<Prefix> = c
            .pod_cidr_parts
            .iter()
            .copied()
            .filter(|p| p.family() == range.family())
            .collect();
        if !parts.is_empty() && crate::AddrSet::from_prefixes(&parts).to_prefixes() != [range] {
            return bad(
                "pod_cidr_parts",
                format!("the parts of {range} do not cover it"),
            );
        }
    }
    Ok(())
}

/// The reserve bits of a growth factor: `ceil(log2(factor))`, checked.
pub(crate) fn reserve_bits(factor: u32, field: &str) -> Result<u8> {
    if factor == 0 || factor > MAX_GROWTH_RESERVE {
        return Err(Error::invalid_spec(
            field,
            format!("{factor} is outside 1..={MAX_GROWTH_RESERVE} (2 = room to double)"),
        ));
    }
    Ok(super::sizing::ceil_log2(u64::from(factor)) as u8)
}
