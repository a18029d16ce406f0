//! What would make an infeasible plan fit: each option is a changed request planned for
//! real, and only the options that then fit are named.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::context::Context;
use super::draft::{draft, Draft};
use super::model::NetworkModel;
use super::request::{PlanRequest, DEFAULT_MAX_PODS_PER_NODE};
use crate::{Error, Result};

/// Smallest pod count a halving suggests: 8 pods already get the /28 floor.
const MIN_SUGGESTED_PODS: u32 = 8;

/// `error` (an `infeasible` of `models`) with what would make the request fit appended:
/// fewer pods per node, a smaller range per cluster (fewer nodes), non-RFC 1918 space for
/// the reused ranges, or another model, each checked by planning it.
pub(crate) fn with_options(
    req: &PlanRequest,
    models: &[NetworkModel],
    drafts: &[Result<Draft>],
    error: Error,
) -> Error {
    let Error::Infeasible { model, reason } = error else {
        return error;
    };
    let mut fits: Vec<String> = Vec::new();
    let fits_any = |changed: &PlanRequest| {
        Context::new(changed).is_ok_and(|ctx| models.iter().any(|&m| draft(&ctx, m).is_ok()))
    };

    let pods =
        |c: &super::request::ClusterSpec| c.max_pods_per_node.unwrap_or(DEFAULT_MAX_PODS_PER_NODE);
    if req
        .clusters
        .iter()
        .any(|c| pods(c) / 2 >= MIN_SUGGESTED_PODS)
    {
        let mut changed = req.clone();
        for c in &mut changed.clusters {
            c.max_pods_per_node = Some((pods(c) / 2).max(MIN_SUGGESTED_PODS).min(pods(c)));
        }
        if fits_any(&changed) {
            fits.push(String::from(
                "half the max_pods_per_node of every cluster (smaller per-node ranges)",
            ));
        }
    }
    let most = |c: &super::request::ClusterSpec| c.max_nodes.unwrap_or(c.nodes).max(c.nodes);
    if req.clusters.iter().any(|c| most(c) / 2 >= c.nodes.max(1)) {
        let mut changed = req.clone();
        for c in &mut changed.clusters {
            c.max_nodes = Some((most(c) / 2).max(c.nodes));
        }
        if fits_any(&changed) {
            fits.push(String::from(
                "half the max_nodes of every cluster (a smaller range per cluster)",
            ));
        }
    }
    let reuses = models.iter().any(|m| m.reuses_pod_range());
    if reuses && !req.requirements.allow_non_rfc1918 {
        let mut changed = req.clone();
        changed.requirements.allow_non_rfc1918 = true;
        if fits_any(&changed) {
            fits.push(String::from(
                "requirements.allow_non_rfc1918 (reused ranges in 100.64.0.0/10 or 240.0.0.0/4)",
            ));
        }
    }
    let meshes = Context::new(req).is_ok_and(|ctx| super::recommend::has_meshes(&ctx));
    let others: Vec<String> = NetworkModel::ALL
        .iter()
        .zip(drafts)
        // Archipelago without a mesh is never recommended (island says the same).
        .filter(|(m, _)| **m != NetworkModel::Archipelago || meshes)
        .filter(|(m, d)| !models.contains(m) && d.is_ok())
        .map(|(m, _)| String::from(m.as_str()))
        .collect();
    if !others.is_empty() {
        fits.push(format!("the model {}", others.join(" or ")));
    }
    let tail = if fits.is_empty() {
        String::from(
            "; nothing tried fits either (half the pods per node, half the nodes per cluster, \
             non-RFC 1918 space, the other models)",
        )
    } else {
        format!(
            "; it fits (each checked by planning) with {}",
            fits.join(", or with ")
        )
    };
    Error::Infeasible {
        model,
        reason: format!("{reason}{tail}"),
    }
}
