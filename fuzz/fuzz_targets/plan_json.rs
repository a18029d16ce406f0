//! Arbitrary JSON into the Kubernetes planner and the wire operations: deserializing,
//! recommending, planning, linting and exporting never panic; errors have documented codes;
//! every plan serializes; whatever the names, the Terraform export is valid JSON and the
//! YAML exports are valid YAML with one document per cluster.
#![no_main]

use cidrplan::export::{render, render_forced, ExportFormat, COLLISION_CODES};

/// Past this many pools times clusters, the plan's JSON and exports are left to the limits
/// tests (see below).
const EXPORTED_POOLS_TIMES_CLUSTERS: usize = 20_000;
use cidrplan::{k8s, wire};
use cidrplan_fuzz::{check_error, json_within_guard};
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde::Serialize;

fn wire_op<I: DeserializeOwned, O: Serialize>(data: &[u8], f: fn(&I) -> cidrplan::Result<O>) {
    if let Ok(input) = serde_json::from_slice::<I>(data) {
        match f(&input) {
            Ok(output) => {
                serde_json::to_vec(&output).expect("outputs serialize");
            }
            Err(e) => check_error(&e),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if !json_within_guard(data) {
        return;
    }
    wire_op(data, wire::overlaps);
    wire_op(data, wire::aggregate);
    wire_op(data, wire::exclude);
    wire_op(data, wire::carve);

    let Ok(request) = serde_json::from_slice::<k8s::PlanRequest>(data) else {
        return;
    };
    let recommended = k8s::recommend(&request);
    match &recommended {
        Ok(r) => {
            serde_json::to_vec(r).expect("recommendations serialize");
        }
        Err(e) => check_error(e),
    }
    match k8s::plan(&request) {
        Ok(plan) => {
            assert!(recommended.is_ok(), "plan succeeds where recommend fails");
            // Plans and exports grow with pools times clusters (each cluster lists the network
            // it keeps its address toward, and Calico a pool per block of it): up to the request
            // limit of 10^6 that is hundreds of megabytes, which the limits tests render. Here a
            // smaller fleet's plan and every export are parsed back and re-linted.
            let size = request
                .network
                .pools
                .len()
                .saturating_mul(plan.clusters.len());
            if size > EXPORTED_POOLS_TIMES_CLUSTERS {
                return;
            }
            let json = serde_json::to_vec(&plan).expect("plans serialize");
            serde_json::from_slice::<serde_json::Value>(&json).expect("plans are JSON");
            let collides = plan
                .warnings
                .iter()
                .any(|w| COLLISION_CODES.contains(&w.code));
            let exports = &ExportFormat::ALL[..];
            for &format in exports {
                match render(&plan, format) {
                    Ok(_) => assert!(!collides, "{format:?} rendered a colliding plan"),
                    Err(e) => {
                        assert!(collides, "{format:?} refused a clean plan: {e}");
                        assert_eq!(e.code(), "collision");
                    }
                }
                let text = render_forced(&plan, format);
                match format {
                    ExportFormat::Tfvars => {
                        serde_json::from_str::<serde_json::Value>(&text)
                            .unwrap_or_else(|e| panic!("tfvars is not JSON ({e}):\n{text}"));
                    }
                    ExportFormat::KcmFlags => {}
                    ExportFormat::NodeNat => {
                        // Names only ever appear in comments; the rules' braces balance.
                        let rules: String = text.lines().filter(|l| !l.starts_with('#')).collect();
                        assert_eq!(
                            rules.matches('{').count(),
                            rules.matches('}').count(),
                            "node-nat braces balance:\n{text}"
                        );
                    }
                    _ => {
                        let mut documents = 0;
                        for document in serde_yaml_ng::Deserializer::from_str(&text) {
                            serde_yaml_ng::Value::deserialize(document).unwrap_or_else(|e| {
                                panic!("{format:?} is not YAML ({e}):\n{text}")
                            });
                            documents += 1;
                        }
                        // A cluster whose model needs no policy gets a comment, not a document;
                        // so does a Calico cluster whose pods the cloud's CNI addresses (no IP
                        // pool: pods in the node subnet, or EKS custom networking).
                        let cloud_assigned = plan
                            .clusters
                            .iter()
                            .filter(|c| {
                                c.pods_in_node_subnet
                                    || plan.request.network.cni == k8s::Cni::CustomNetworking
                            })
                            .count();
                        let wanted = match format {
                            ExportFormat::Policy => 0,
                            ExportFormat::Calico => plan.clusters.len() - cloud_assigned,
                            _ => plan.clusters.len(),
                        };
                        assert!(documents >= wanted, "{format:?}: {documents} documents");
                    }
                }
            }
            let warnings = k8s::lint(&request).expect("lint succeeds where plan does");
            assert_eq!(warnings, plan.warnings);
        }
        Err(e) => check_error(&e),
    }
});
