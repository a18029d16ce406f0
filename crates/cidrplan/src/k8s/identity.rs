//! The names a running cluster is known by besides its ranges: Cilium's `cluster.name`
//! and its ClusterMesh `cluster.id`.
//!
//! Every cluster of a mesh holds every other's id and name, so once a cluster runs they
//! never change: a plan records them (`cilium_name`, `mesh_id`), a re-plan keeps them for
//! every cluster of the previous plan (kept and retained alike), and a new cluster gets
//! the lowest id free in its mesh and a name no other cluster holds. A first plan gives
//! them in plan order: ids 1, 2, ... per mesh, and a name that clashes gets `-<n>` with
//! `n` the cluster's position (from 1).

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::lock::LockedCluster;
use super::model::NetworkModel;
use super::plan::Plan;
use crate::label::dns_label;
use crate::text::quoted;
use crate::{Error, Result};

/// Cilium's chart refuses cluster names longer than this (templates/validate.yaml).
pub const CILIUM_NAME_MAX: usize = 32;

/// ClusterMesh identifies clusters by 1..=255 (the chart's `cluster.id`, with the default
/// `clustermesh.maxConnectedClusters`).
pub const MESH_ID_MAX: u16 = 255;

/// A cluster's mesh id and Cilium name, as settled for a plan.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Identity {
    /// `None` where the model meshes nothing, or the mesh has no id left.
    pub(crate) mesh_id: Option<u16>,
    /// Always a valid Cilium cluster name.
    pub(crate) cilium_name: String,
}

/// One cluster as the settling sees it.
struct Member<'a> {
    /// The cluster's name, which the Cilium name is made from.
    name: &'a str,
    /// The mesh the cluster belongs to; `None` where the model meshes nothing.
    mesh: Option<&'a str>,
    /// The cluster's position, from 1: the fallback name and the clash suffix.
    position: usize,
    /// The id recorded for it, if any.
    mesh_id: Option<u16>,
    /// The name recorded for it, if any.
    cilium_name: Option<&'a str>,
}

/// The mesh a cluster of `model` in `group` belongs to: the whole plan for flat, the group
/// for archipelago, none otherwise.
fn mesh_of(model: NetworkModel, group: Option<&str>) -> Option<&str> {
    match model {
        NetworkModel::Flat => Some(""),
        NetworkModel::Archipelago => Some(group.unwrap_or("")),
        _ => None,
    }
}

/// Whether `name` is a name Cilium's chart accepts for a meshed cluster: 1 to 32 lowercase
/// letters, digits and `-`, starting and ending alphanumeric, not `default`.
pub(crate) fn valid_cilium_name(name: &str) -> bool {
    let alnum = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    !name.is_empty()
        && name.len() <= CILIUM_NAME_MAX
        && name != "default"
        && name.chars().all(|c| alnum(c) || c == '-')
        && name.starts_with(alnum)
        && name.ends_with(alnum)
}

fn valid_id(id: u16) -> bool {
    (1..=MESH_ID_MAX).contains(&id)
}

/// Settles every member: recorded values are kept, first come first served (a value that
/// is invalid or already held is given anew); the rest get the lowest free id of their
/// mesh and their name as a Cilium name, suffixed with `-<position>` (then higher numbers)
/// while it clashes.
fn settle(members: &[Member<'_>]) -> Vec<Identity> {
    let mut out = alloc::vec![Identity::default(); members.len()];
    let mut ids: BTreeMap<&str, BTreeSet<u16>> = BTreeMap::new();
    let mut names: BTreeSet<String> = BTreeSet::new();
    for (m, slot) in members.iter().zip(out.iter_mut()) {
        if let (Some(mesh), Some(id)) = (m.mesh, m.mesh_id.filter(|&id| valid_id(id))) {
            if ids.entry(mesh).or_default().insert(id) {
                slot.mesh_id = Some(id);
            }
        }
        if let Some(name) = m.cilium_name.filter(|n| valid_cilium_name(n)) {
            if names.insert(String::from(name)) {
                slot.cilium_name = String::from(name);
            }
        }
    }
    for (m, slot) in members.iter().zip(out.iter_mut()) {
        if let (Some(mesh), None) = (m.mesh, slot.mesh_id) {
            let taken = ids.entry(mesh).or_default();
            slot.mesh_id = (1..=MESH_ID_MAX).find(|id| !taken.contains(id));
            if let Some(id) = slot.mesh_id {
                taken.insert(id);
            }
        }
        if slot.cilium_name.is_empty() {
            let name = derived_name(m, &names);
            names.insert(name.clone());
            slot.cilium_name = name;
        }
    }
    out
}

/// The member's name as a Cilium name that `taken` does not hold.
fn derived_name(m: &Member<'_>, taken: &BTreeSet<String>) -> String {
    let fallback = format!("cluster-{}", m.position);
    let mut name = truncated(&dns_label(m.name, &fallback), CILIUM_NAME_MAX);
    if name == "default" || name.is_empty() {
        name = fallback;
    }
    let mut n = m.position;
    let base = name.clone();
    while taken.contains(&name) {
        let suffix = format!("-{n}");
        name = truncated(&base, CILIUM_NAME_MAX.saturating_sub(suffix.len()));
        name.push_str(&suffix);
        n += 1;
    }
    name
}

fn truncated(label: &str, max: usize) -> String {
    let cut: String = label.chars().take(max).collect();
    String::from(cut.trim_end_matches('-'))
}

/// Gives every cluster of `plan` (and every retained one) its mesh id and Cilium name:
/// the ones already recorded stay (retained clusters' first, then the clusters' in plan
/// order); the rest are given as a first plan gives them.
///
/// The planner calls it for every plan; call it for a [`Plan`] built or read by hand
/// (an older plan file has no `cilium_name`: an empty one is given anew).
///
/// ```
/// use cidrplan::k8s::{example, plan, settle_identities};
/// let mut plan = plan(&example())?;
/// assert_eq!(plan.clusters[1].mesh_id, Some(2));
/// let name = plan.clusters[1].cilium_name.clone();
/// plan.clusters.swap(0, 1);
/// settle_identities(&mut plan); // recorded values never move
/// assert_eq!(plan.clusters[0].mesh_id, Some(2));
/// assert_eq!(plan.clusters[0].cilium_name, name);
/// # Ok::<(), cidrplan::Error>(())
/// ```
pub fn settle_identities(plan: &mut Plan) {
    let model = plan.model;
    let count = plan.clusters.len();
    let members: Vec<Member<'_>> = plan
        .retained
        .iter()
        .enumerate()
        .map(|(k, c)| Member {
            name: &c.name,
            mesh: mesh_of(model, c.group.as_deref()),
            position: count + k + 1,
            mesh_id: c.mesh_id,
            cilium_name: c.cilium_name.as_deref(),
        })
        .chain(plan.clusters.iter().enumerate().map(|(i, c)| Member {
            name: &c.name,
            mesh: mesh_of(model, c.group.as_deref()),
            position: i + 1,
            mesh_id: c.mesh_id,
            cilium_name: Some(c.cilium_name.as_str()).filter(|n| !n.is_empty()),
        }))
        .collect();
    let settled = settle(&members);
    let (retained, clusters) = settled.split_at(plan.retained.len().min(settled.len()));
    for (c, id) in plan.retained.iter_mut().zip(retained) {
        c.mesh_id = id.mesh_id;
        c.cilium_name = Some(id.cilium_name.clone());
    }
    for (c, id) in plan.clusters.iter_mut().zip(clusters) {
        c.mesh_id = id.mesh_id;
        c.cilium_name = id.cilium_name.clone();
    }
}

/// The identities of a previous plan's clusters, in `listed` order (its clusters, then
/// its retained ones): the recorded ones, and for a plan written before they were
/// recorded, the ones that plan's exports gave (by position in it).
pub(crate) fn of_previous(
    model: NetworkModel,
    listed: &[(String, &LockedCluster)],
) -> Vec<Identity> {
    let members: Vec<Member<'_>> = listed
        .iter()
        .enumerate()
        .map(|(i, (_, c))| Member {
            name: &c.name,
            mesh: mesh_of(model, c.group.as_deref()),
            position: i + 1,
            mesh_id: c.mesh_id,
            cilium_name: c.cilium_name.as_deref(),
        })
        .collect();
    settle(&members)
}

/// Checks the ids and names a previous plan records: ids in 1..=255 and only where the
/// model meshes clusters, names valid Cilium names, neither held twice (ids within one
/// mesh, names within the plan). Errors name the path and the value.
pub(crate) fn check_recorded(
    model: NetworkModel,
    listed: &[(String, &LockedCluster)],
) -> Result<()> {
    let mut ids: BTreeMap<(&str, u16), &str> = BTreeMap::new();
    let mut names: BTreeMap<&str, &str> = BTreeMap::new();
    for (path, c) in listed {
        if let Some(id) = c.mesh_id {
            let field = format!("{path}.mesh_id");
            let Some(mesh) = mesh_of(model, c.group.as_deref()) else {
                return Err(Error::invalid_spec(
                    field,
                    format!(
                        "{id}: the {} model meshes no clusters, so no cluster has a mesh id",
                        model.as_str()
                    ),
                ));
            };
            if !valid_id(id) {
                return Err(Error::invalid_spec(
                    field,
                    format!("{id} is outside 1..={MESH_ID_MAX} (Cilium's cluster.id)"),
                ));
            }
            if let Some(other) = ids.insert((mesh, id), path) {
                let within = match model {
                    NetworkModel::Archipelago => format!(" in group {}", quoted(mesh)),
                    _ => String::new(),
                };
                return Err(Error::invalid_spec(
                    field,
                    format!("{id} is also the mesh id of {other}{within}"),
                ));
            }
        }
        if let Some(name) = &c.cilium_name {
            let field = format!("{path}.cilium_name");
            if !valid_cilium_name(name) {
                return Err(Error::invalid_spec(
                    field,
                    format!(
                        "{} is not a Cilium cluster name (1 to {CILIUM_NAME_MAX} lowercase \
                         letters, digits and '-', starting and ending alphanumeric, not \
                         \"default\")",
                        quoted(name)
                    ),
                ));
            }
            if let Some(other) = names.insert(name, path) {
                return Err(Error::invalid_spec(
                    field,
                    format!("{} is also the Cilium name of {other}", quoted(name)),
                ));
            }
        }
    }
    Ok(())
}

/// `c` with `identity` recorded.
pub(crate) fn recorded(c: &LockedCluster, identity: Option<&Identity>) -> LockedCluster {
    let mut out = c.clone();
    if let Some(identity) = identity {
        out.mesh_id = identity.mesh_id;
        out.cilium_name = Some(identity.cilium_name.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member<'a>(name: &'a str, position: usize) -> Member<'a> {
        Member {
            name,
            mesh: Some(""),
            position,
            mesh_id: None,
            cilium_name: None,
        }
    }

    #[test]
    fn a_first_plan_numbers_by_position_and_suffixes_clashes() {
        let members = [
            member("Prod Cluster #1", 1),
            member("prod-cluster-1", 2),
            member("default", 3),
            member("東京", 4),
        ];
        let got = settle(&members);
        let names: Vec<&str> = got.iter().map(|i| i.cilium_name.as_str()).collect();
        assert_eq!(
            names,
            [
                "prod-cluster-1",
                "prod-cluster-1-2",
                "cluster-3",
                "cluster-4"
            ]
        );
        let ids: Vec<Option<u16>> = got.iter().map(|i| i.mesh_id).collect();
        assert_eq!(ids, [Some(1), Some(2), Some(3), Some(4)]);
    }

    #[test]
    fn a_suffixed_name_never_repeats_an_earlier_one() {
        // The old rule gave "a-3" twice here.
        let members = [member("a-3", 1), member("a", 2), member("a", 3)];
        let names: Vec<String> = settle(&members)
            .into_iter()
            .map(|i| i.cilium_name)
            .collect();
        assert_eq!(names, ["a-3", "a", "a-4"]);
    }

    #[test]
    fn recorded_values_stay_and_new_ones_take_the_lowest_free() {
        let mut members = [member("west", 1), member("alpha", 2), member("x", 3)];
        members[0].mesh_id = Some(2);
        members[0].cilium_name = Some("west");
        members[2].mesh_id = Some(2); // held already: given anew
        members[2].cilium_name = Some("Bad Name"); // invalid: given anew
        let got = settle(&members);
        assert_eq!(got[0].mesh_id, Some(2));
        assert_eq!(got[1].mesh_id, Some(1));
        assert_eq!(got[2].mesh_id, Some(3));
        assert_eq!(got[2].cilium_name, "x");
    }

    #[test]
    fn a_full_mesh_has_no_id_left() {
        let owned: Vec<String> = (0..300).map(|i| format!("c{i}")).collect();
        let members: Vec<Member<'_>> = owned
            .iter()
            .enumerate()
            .map(|(i, n)| member(n, i + 1))
            .collect();
        let got = settle(&members);
        assert_eq!(got[254].mesh_id, Some(255));
        assert_eq!(got[255].mesh_id, None);
    }

    #[test]
    fn cilium_names_follow_the_chart() {
        for good in ["a", "prod-1", "a1b2", "x234567890123456789012345678901z"] {
            assert!(valid_cilium_name(good), "{good}");
        }
        for bad in [
            "",
            "default",
            "-a",
            "a-",
            "A",
            "a_b",
            "x2345678901234567890123456789012z",
        ] {
            assert!(!valid_cilium_name(bad), "{bad}");
        }
    }
}
