//! Names that other tools validate: Cilium's `cluster.name` and ClusterMesh `cluster.id`.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::label::dns_label;
use crate::k8s::{NetworkModel, Plan};

/// Cilium's chart refuses cluster names longer than this (templates/validate.yaml).
pub(crate) const CILIUM_NAME_MAX: usize = 32;
/// ClusterMesh identifies clusters by 1..=255 (the default `maxConnectedClusters`).
pub(crate) const MESH_ID_MAX: usize = 255;

/// The Cilium `cluster.name` of every cluster: a lowercase DNS label of at most 32
/// characters, never `default`, unique in the plan (a clash gets `-<n>` with n the
/// cluster's position, from 1).
pub(crate) fn cilium_names(plan: &Plan) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(plan.clusters.len());
    for (i, cluster) in plan.clusters.iter().enumerate() {
        let fallback = format!("cluster-{}", i + 1);
        let mut name = truncated(&dns_label(&cluster.name, &fallback), CILIUM_NAME_MAX);
        if name == "default" {
            name = fallback.clone();
        }
        if names.contains(&name) {
            let suffix = format!("-{}", i + 1);
            name = truncated(&name, CILIUM_NAME_MAX - suffix.len());
            name.push_str(&suffix);
        }
        names.push(name);
    }
    names
}

fn truncated(label: &str, max: usize) -> String {
    let cut: String = label.chars().take(max).collect();
    String::from(cut.trim_end_matches('-'))
}

/// The ClusterMesh `cluster.id` of every cluster whose pods other clusters reach
/// directly: flat clusters by position in the plan, archipelago clusters by position in
/// their group. `None` where the model meshes nothing, or past 255 in one mesh.
pub(crate) fn mesh_ids(plan: &Plan) -> Vec<Option<u16>> {
    let mut next: Vec<(Option<&str>, usize)> = Vec::new();
    plan.clusters
        .iter()
        .map(|cluster| {
            let mesh = match plan.model {
                NetworkModel::Flat => None,
                NetworkModel::Archipelago => Some(cluster.group.as_deref().unwrap_or("")),
                _ => return None,
            };
            let slot = match next.iter().position(|(m, _)| *m == mesh) {
                Some(slot) => slot,
                None => {
                    next.push((mesh, 0));
                    next.len() - 1
                }
            };
            let count = next.get_mut(slot).map_or(usize::MAX, |(_, count)| {
                *count += 1;
                *count
            });
            u16::try_from(count)
                .ok()
                .filter(|&id| usize::from(id) <= MESH_ID_MAX)
        })
        .collect()
}
