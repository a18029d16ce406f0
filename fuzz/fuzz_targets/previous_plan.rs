//! Arbitrary JSON as the previous plan of a re-plan (`plan --previous`) and as both sides
//! of a diff: reading it, re-planning a small fleet with it and diffing never panic; errors
//! have documented codes; every re-plan serializes and reads back as a previous plan; a
//! plan diffs empty with itself; and a re-plan of the same request keeps every range of
//! every cluster it keeps (in place growth aside, which contains the old range).
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
            }
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
