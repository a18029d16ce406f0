//! Arbitrary JSON as the previous plan of a re-plan (`plan --previous`) and as both sides
//! of a diff: reading it, re-planning a small fleet with it and diffing never panic; errors
//! have documented codes; every re-plan serializes and reads back as a previous plan; a
//! plan diffs empty with itself; a re-plan of the same request keeps every range of
//! every cluster it keeps (in place growth aside, which contains the old range); and it
//! keeps every recorded Cilium name (and, in flat, mesh id), while every name in the plan
//! is a valid chart name held once and every id lies in 1..=255, held once per mesh.
#![no_main]

use cidrplan::k8s;
use cidrplan_fuzz::{check_error, json_within_guard};
use libfuzzer_sys::fuzz_target;

/// A fleet that names the clusters seed plans hold (`a`, `b`, `c0`..), so some are kept,
/// some new and the rest retained.
fn fleet(data: &[u8]) -> k8s::PlanRequest {
    let mut request = k8s::example();
    let count = data.first().map_or(2, |b| usize::from(b % 4) + 1);
    request.clusters = ["a", "b", "c0", "c1"]
        .iter()
        .take(count)
        .map(|name| k8s::ClusterSpec {
            name: (*name).to_string(),
            nodes: 2,
            max_nodes: Some(u32::from(data.get(1).copied().unwrap_or(1)).max(2) * 4),
            ..k8s::ClusterSpec::default()
        })
        .collect();
    request
}

fuzz_target!(|data: &[u8]| {
    if !json_within_guard(data) {
        return;
    }
    let Ok(previous) = serde_json::from_slice::<k8s::PreviousPlan>(data) else {
        return;
    };
    match k8s::diff(&previous, &previous) {
        Ok(same) => assert!(same.changes.is_empty() && !same.breaking, "{same:?}"),
        Err(e) => {
            // A plan the diff refuses, a re-plan refuses too.
            check_error(&e);
            return;
        }
    }
    let request = fleet(data);
    let release: Vec<String> = previous
        .retained
        .iter()
        .take(1)
        .map(|c| c.name.clone())
        .collect();
    let options = k8s::PlanOptions {
        previous: Some(previous.clone()),
        release,
    };
    match k8s::plan_with(&request, &options) {
        Ok(plan) => {
            let json = serde_json::to_vec(&plan).expect("plans serialize");
            let back: k8s::PreviousPlan =
                serde_json::from_slice(&json).expect("a plan reads back as a previous plan");
            assert_eq!(back, k8s::PreviousPlan::from(&plan));
            for kept in &plan.clusters {
                if let Some(was) = previous.clusters.iter().find(|c| c.name == kept.name) {
                    assert!(kept.pod_cidr.contains(&was.pod_cidr), "{} moved", kept.name);
                    assert_eq!(kept.service_cidr, was.service_cidr);
                    assert_eq!(kept.node_pod_mask, was.node_pod_mask);
                }
                let was = previous
                    .clusters
                    .iter()
                    .chain(&previous.retained)
                    .find(|c| c.name == kept.name);
                if let Some(was) = was {
                    if let Some(name) = &was.cilium_name {
                        assert_eq!(&kept.cilium_name, name, "{}'s Cilium name", kept.name);
                    }
                    if plan.model == k8s::NetworkModel::Flat && was.mesh_id.is_some() {
                        assert_eq!(kept.mesh_id, was.mesh_id, "{}'s mesh id", kept.name);
                    }
                }
            }
            let names: Vec<&str> = plan
                .clusters
                .iter()
                .map(|c| c.cilium_name.as_str())
                .chain(plan.retained.iter().filter_map(|c| c.cilium_name.as_deref()))
                .collect();
            let mut unique = names.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), names.len(), "a Cilium name held twice: {names:?}");
            assert!(names.iter().all(|n| {
                !n.is_empty()
                    && n.len() <= k8s::CILIUM_NAME_MAX
                    && *n != "default"
                    && n.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    && !n.starts_with('-')
                    && !n.ends_with('-')
            }));
            let mut ids: Vec<(Option<&str>, u16)> = plan
                .clusters
                .iter()
                .filter_map(|c| c.mesh_id.map(|id| (c.group.as_deref(), id)))
                .chain(
                    plan.retained
                        .iter()
                        .filter_map(|c| c.mesh_id.map(|id| (c.group.as_deref(), id))),
                )
                .collect();
            assert!(ids.iter().all(|&(_, id)| (1..=k8s::MESH_ID_MAX).contains(&id)));
            let count = ids.len();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), count, "a mesh id held twice in one mesh");
            match k8s::diff(&previous, &back) {
                Ok(report) => {
                    serde_json::to_vec(&report).expect("diffs serialize");
                }
                Err(e) => check_error(&e),
            }
        }
        Err(e) => check_error(&e),
    }
});
