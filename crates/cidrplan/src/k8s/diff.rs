//! What changed between two plans of a fleet, per cluster and range.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::identity::recorded;
use super::lock::{check_plan, LockedCluster, PreviousPlan};
use crate::Result;

/// The changes from one plan to the next.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PlanDiff {
    /// Every change, cluster by cluster (the old plan's clusters first, in its order, then
    /// the new plan's new clusters), range by range. Empty when nothing changed.
    pub changes: Vec<Change>,
    /// Clusters whose every range is unchanged, in the new plan's order.
    pub kept: Vec<String>,
    /// Whether an existing range moved or shrank (or the model, mesh id or Cilium name
    /// changed under a cluster both plans have): what a running cluster cannot follow.
    /// `cidrplan diff` exits 1.
    pub breaking: bool,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Change {
    /// The cluster.
    pub cluster: String,
    /// The range's field: `pod_cidr`, `node_pod_mask`, `service_cidr`, `node_subnet`,
    /// `external_pod_cidr`, `pod_cidr_v6`, `node_pod_mask_v6`, `service_cidr_v6`,
    /// `extra_pod_cidrs`, `growth_reserve`, `mesh_id`, `cilium_name` (not ranges, but
    /// other clusters of a mesh hold them: a change is `moved`, and breaking); `cluster`
    /// for a whole cluster; `model`.
    pub range: &'static str,
    /// `added`, `grown` (the new range contains the old), `moved`, `shrunk`, `removed`,
    /// `removed_reserve` (a growth reserve given up), `retained` (no longer requested, still reserved), `released`, `restored` (a
    /// retained cluster requested again, ranges unchanged).
    pub change: &'static str,
    /// The old value (a CIDR, or `/24` for a mask), if any.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub old: Option<String>,
    /// The new value, if any.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub new: Option<String>,
}

impl Change {
    /// Whether a running cluster cannot follow this change.
    pub fn is_breaking(&self) -> bool {
        matches!(self.change, "moved" | "shrunk" | "removed")
    }
}

/// Compares two plans: what was added, kept, grown, retained, released or moved.
///
/// Each plan is checked as a previous plan is (`invalid_spec` naming `old.clusters[1].name`
/// for a name listed twice, `limit_exceeded` past [`super::MAX_PREVIOUS_CLUSTERS`]).
///
/// ```
/// use cidrplan::k8s::{diff, example, plan, PreviousPlan};
/// let old = PreviousPlan::from(&plan(&example())?);
/// let same = diff(&old, &old)?;
/// assert!(same.changes.is_empty() && !same.breaking);
/// # Ok::<(), cidrplan::Error>(())
/// ```
pub fn diff(old: &PreviousPlan, new: &PreviousPlan) -> Result<PlanDiff> {
    let old = &with_identities("old", old)?;
    let new = &with_identities("new", new)?;
    let mut out = PlanDiff::default();
    // Name lookups by sorted index: plans hold up to a thousand clusters each.
    let index = |list: &[LockedCluster]| {
        let mut names: Vec<(String, usize)> = list
            .iter()
            .enumerate()
            .map(|(i, c)| (c.name.clone(), i))
            .collect();
        names.sort();
        names
    };
    let lookup = |names: &[(String, usize)], name: &str| -> Option<usize> {
        let at = names.partition_point(|(n, _)| n.as_str() < name);
        names.get(at).filter(|(n, _)| n == name).map(|&(_, i)| i)
    };
    let new_active = index(&new.clusters);
    let new_retained = index(&new.retained);
    let old_active = index(&old.clusters);
    let old_retained = index(&old.retained);
    let model_changed = old.model != new.model;
    let mut kept_flags = alloc::vec![false; new.clusters.len()];
    for (was_retained, list) in [(false, &old.clusters), (true, &old.retained)] {
        for c in list.iter() {
            if let Some(j) = lookup(&new_active, &c.name) {
                let before = out.changes.len();
                if model_changed {
                    out.changes.push(Change {
                        cluster: c.name.clone(),
                        range: "model",
                        change: "moved",
                        old: Some(old.model.as_str().to_string()),
                        new: Some(new.model.as_str().to_string()),
                    });
                }
                compare(c, &new.clusters[j], &mut out.changes);
                if out.changes.len() == before {
                    if was_retained {
                        out.changes.push(whole(&c.name, "restored"));
                    } else {
                        kept_flags[j] = true;
                    }
                }
            } else if lookup(&new_retained, &c.name).is_some() {
                if !was_retained {
                    out.changes.push(whole(&c.name, "retained"));
                }
            } else {
                out.changes.push(whole(&c.name, "released"));
            }
        }
    }
    for c in &new.clusters {
        if lookup(&old_active, &c.name).is_none() && lookup(&old_retained, &c.name).is_none() {
            for (field, value) in fields(c) {
                out.changes.push(Change {
                    cluster: c.name.clone(),
                    range: field,
                    change: "added",
                    old: None,
                    new: Some(value),
                });
            }
        }
    }
    for c in &new.retained {
        if lookup(&old_active, &c.name).is_none() && lookup(&old_retained, &c.name).is_none() {
            out.changes.push(whole(&c.name, "retained"));
        }
    }
    out.kept = new
        .clusters
        .iter()
        .zip(&kept_flags)
        .filter(|(_, &k)| k)
        .map(|(c, _)| c.name.clone())
        .collect();
    out.breaking = out.changes.iter().any(Change::is_breaking);
    Ok(out)
}

/// `plan`, checked, with every cluster's mesh id and Cilium name recorded (an older plan's
/// derived as its exports gave them).
fn with_identities(what: &str, plan: &PreviousPlan) -> Result<PreviousPlan> {
    let (listed, _, ids) = check_plan(what, plan)?;
    let mut all = listed
        .iter()
        .zip(&ids)
        .map(|((_, c), id)| recorded(c, Some(id)));
    Ok(PreviousPlan {
        model: plan.model,
        clusters: all.by_ref().take(plan.clusters.len()).collect(),
        retained: all.collect(),
    })
}

fn whole(name: &str, change: &'static str) -> Change {
    Change {
        cluster: String::from(name),
        range: "cluster",
        change,
        old: None,
        new: None,
    }
}

/// A cluster's ranges and masks as named values, in wire order.
fn fields(c: &LockedCluster) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    out.push(("pod_cidr", c.pod_cidr.to_string()));
    out.push(("node_pod_mask", format!("/{}", c.node_pod_mask)));
    out.push(("service_cidr", c.service_cidr.to_string()));
    out.push(("node_subnet", c.node_subnet.to_string()));
    if let Some(e) = c.external_pod_cidr {
        out.push(("external_pod_cidr", e.to_string()));
    }
    if let Some(p) = c.pod_cidr_v6 {
        out.push(("pod_cidr_v6", p.to_string()));
    }
    if let Some(m) = c.node_pod_mask_v6 {
        out.push(("node_pod_mask_v6", format!("/{m}")));
    }
    if let Some(s) = c.service_cidr_v6 {
        out.push(("service_cidr_v6", s.to_string()));
    }
    for p in &c.extra_pod_cidrs {
        out.push(("extra_pod_cidrs", p.to_string()));
    }
    for p in &c.growth_reserve {
        out.push(("growth_reserve", p.to_string()));
    }
    if let Some(id) = c.mesh_id {
        out.push(("mesh_id", id.to_string()));
    }
    if let Some(name) = &c.cilium_name {
        out.push(("cilium_name", name.clone()));
    }
    out
}

/// The changes of one cluster present in both plans.
fn compare(old: &LockedCluster, new: &LockedCluster, out: &mut Vec<Change>) {
    let name = &old.name;
    let push = |out: &mut Vec<Change>, range, change, o: Option<String>, n: Option<String>| {
        out.push(Change {
            cluster: name.clone(),
            range,
            change,
            old: o,
            new: n,
        });
    };
    let ranges = [
        ("pod_cidr", Some(old.pod_cidr), Some(new.pod_cidr)),
        (
            "service_cidr",
            Some(old.service_cidr),
            Some(new.service_cidr),
        ),
        ("node_subnet", Some(old.node_subnet), Some(new.node_subnet)),
        (
            "external_pod_cidr",
            old.external_pod_cidr,
            new.external_pod_cidr,
        ),
        ("pod_cidr_v6", old.pod_cidr_v6, new.pod_cidr_v6),
        ("service_cidr_v6", old.service_cidr_v6, new.service_cidr_v6),
    ];
    for (range, o, n) in ranges {
        let change = match (o, n) {
            (Some(o), Some(n)) if o == n => continue,
            (None, None) => continue,
            (None, Some(_)) => "added",
            (Some(_), None) => "removed",
            (Some(o), Some(n)) if n.contains(&o) => "grown",
            (Some(o), Some(n)) if o.contains(&n) => "shrunk",
            _ => "moved",
        };
        push(
            out,
            range,
            change,
            o.map(|p| p.to_string()),
            n.map(|p| p.to_string()),
        );
    }
    for (range, o, n) in [
        (
            "node_pod_mask",
            Some(old.node_pod_mask),
            Some(new.node_pod_mask),
        ),
        (
            "node_pod_mask_v6",
            old.node_pod_mask_v6,
            new.node_pod_mask_v6,
        ),
    ] {
        let change = match (o, n) {
            (o, n) if o == n => continue,
            (None, Some(_)) => "added",
            (Some(_), None) => "removed",
            // Every node's range changes with the mask.
            _ => "moved",
        };
        push(
            out,
            range,
            change,
            o.map(|m| format!("/{m}")),
            n.map(|m| format!("/{m}")),
        );
    }
    // A mesh id or Cilium name other clusters hold cannot change under a running cluster.
    let identity = [
        (
            "mesh_id",
            old.mesh_id.map(|id| id.to_string()),
            new.mesh_id.map(|id| id.to_string()),
        ),
        (
            "cilium_name",
            old.cilium_name.clone(),
            new.cilium_name.clone(),
        ),
    ];
    for (range, o, n) in identity {
        let change = match (&o, &n) {
            (o, n) if o == n => continue,
            (None, Some(_)) => "added",
            (Some(_), None) => "removed",
            _ => "moved",
        };
        push(out, range, change, o, n);
    }
    for (range, o, n) in [
        (
            "extra_pod_cidrs",
            &old.extra_pod_cidrs,
            &new.extra_pod_cidrs,
        ),
        ("growth_reserve", &old.growth_reserve, &new.growth_reserve),
    ] {
        for p in o.iter().filter(|p| !n.contains(p)) {
            // A reserve used up by growth in place is not a range that moved.
            let grown_into = range == "growth_reserve";
            let change = if grown_into {
                "removed_reserve"
            } else {
                "removed"
            };
            push(out, range, change, Some(p.to_string()), None);
        }
        for p in n.iter().filter(|p| !o.contains(p)) {
            push(out, range, "added", None, Some(p.to_string()));
        }
    }
}
