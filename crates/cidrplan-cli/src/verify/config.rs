//! What each cluster's nodes are configured with, read from the exports: the chosen CNI's
//! masquerade rule, the `node-nat` ruleset (mapped) and the NetworkPolicies (isolated).
//!
//! The exports come from `--export` files or, for those not given, are rendered by the
//! core from the plan. The CNI's export is always read; `node-nat` when the plan is
//! mapped and `policy` when it is isolated (or when given). A cluster an export has no
//! part for gets nothing from it (no masquerading, no mapping, no policy), with a note.

use cidrplan::Family;

use super::cni::{self, MasqRule};
use super::exports::{self, CniArg, Export, Kind};
use super::input::Subject;
use super::node_nat::NodeNat;
use super::policy::Policies;
use crate::failure::Failure;

/// One cluster's node configuration.
#[derive(Debug, Clone)]
pub(crate) struct NodeConfig {
    /// The CNI's IPv4 masquerade rule.
    pub(crate) masq: MasqRule,
    /// The node-nat ruleset, loaded as is.
    pub(crate) nat: Option<NodeNat>,
    /// The NetworkPolicies.
    pub(crate) policy: Option<Policies>,
}

/// An export verify used, for the report.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Used {
    /// The format.
    pub(crate) format: &'static str,
    /// `rendered` or the file.
    pub(crate) source: String,
}

/// The configuration of every cluster (in plan order), what it was read from, and notes.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// The CNI.
    pub(crate) cni: CniArg,
    /// Per cluster, in plan order.
    pub(crate) clusters: Vec<NodeConfig>,
    /// The exports read.
    pub(crate) used: Vec<Used>,
    /// Things to tell (a missing part, a forced render).
    pub(crate) notes: Vec<String>,
}

/// Reads (or renders) the exports and configures every cluster.
pub(crate) fn configure(
    subject: &Subject,
    cni: CniArg,
    given: Vec<Export>,
) -> Result<Config, Failure> {
    let plan = &subject.plan;
    let mut wanted = vec![cni.kind()];
    if plan.model == "mapped" || plan.clusters.iter().any(|c| c.external_pod_cidr.is_some()) {
        wanted.push(Kind::NodeNat);
    }
    if plan.model == "isolated" {
        wanted.push(Kind::Policy);
    }
    for e in &given {
        if !wanted.contains(&e.kind)
            && !matches!(e.kind, Kind::IpMasqAgent | Kind::Calico | Kind::Cilium)
        {
            wanted.push(e.kind);
        }
    }
    let mut notes = Vec::new();
    let mut exports: Vec<Export> = Vec::new();
    for kind in wanted {
        if let Some(e) = given.iter().find(|e| e.kind == kind) {
            exports.push(e.clone());
            continue;
        }
        let core = match &subject.core {
            Ok(core) => core,
            Err(e) => {
                return Err(Failure::new(
                    e.code,
                    format!(
                        "{} (verify needs the {kind} export: pass it with --export {kind}=FILE)",
                        e.message
                    ),
                ))
            }
        };
        let (export, note) = exports::render(core, kind)?;
        notes.extend(note);
        exports.push(export);
    }
    for e in &given {
        if !exports.iter().any(|x| x.kind == e.kind) {
            notes.push(format!(
                "--export {}: a {} export is not what --cni {} reads; ignored",
                e.source,
                e.kind,
                cni.kind()
            ));
        }
    }
    let find = |kind: Kind| exports.iter().find(|e| e.kind == kind);
    let mut clusters = Vec::new();
    // Settings outside the export that it needs, and the clusters that need them.
    let mut assumed: Vec<(String, Vec<String>)> = Vec::new();
    for c in &plan.clusters {
        let what = |e: &Export| format!("{} export ({}), cluster {:?}", e.kind, e.source, c.name);
        let mut missing = |e: &Export| {
            notes.push(format!(
                "{}: no part for this cluster; it configures nothing there",
                what(e)
            ));
        };
        let cni_export =
            find(cni.kind()).ok_or_else(|| Failure::new("internal_error", "no CNI export"))?;
        let masq = match cni_export.part(&c.name) {
            Some(part) => {
                let invalid = |e: cni::Invalid| {
                    Failure::new("invalid_input", format!("{}: {e}", what(cni_export)))
                };
                for needed in cni::preconditions(cni, part).map_err(invalid)? {
                    match assumed.iter_mut().find(|(n, _)| *n == needed) {
                        Some((_, clusters)) => clusters.push(c.name.clone()),
                        None => assumed.push((needed, vec![c.name.clone()])),
                    }
                }
                cni::rule(cni, part, Family::V4).map_err(invalid)?
            }
            None => {
                missing(cni_export);
                MasqRule::never(Family::V4)
            }
        };
        let nat = match find(Kind::NodeNat) {
            None => None,
            Some(e) => match e.part(&c.name) {
                Some(part) => Some(
                    NodeNat::parse(part)
                        .map_err(|x| Failure::new("invalid_input", format!("{}: {x}", what(e))))?,
                )
                .filter(|n| !n.is_empty()),
                None => {
                    missing(e);
                    None
                }
            },
        };
        let policy = match find(Kind::Policy) {
            None => None,
            Some(e) => match e.part(&c.name) {
                Some(part) if has_policy(&part.text) => Some(
                    Policies::parse(part)
                        .map_err(|x| Failure::new("invalid_input", format!("{}: {x}", what(e))))?,
                ),
                Some(_) => None,
                None => {
                    missing(e);
                    None
                }
            },
        };
        clusters.push(NodeConfig { masq, nat, policy });
    }
    for (needed, names) in assumed {
        notes.push(format!(
            "assumed for {} (the {} export's own comment asks for it): {needed}",
            names
                .iter()
                .map(|n| format!("{n:?}"))
                .collect::<Vec<_>>()
                .join(", "),
            cni.kind()
        ));
    }
    for e in &exports {
        for part in &e.parts {
            if !plan.clusters.iter().any(|c| c.name == part.cluster) {
                notes.push(format!(
                    "{} export ({}): a part for cluster {:?}, which the plan does not have; ignored",
                    e.kind, e.source, part.cluster
                ));
            }
        }
    }
    Ok(Config {
        cni,
        clusters,
        used: exports
            .iter()
            .map(|e| Used {
                format: e.kind.name(),
                source: e.source.clone(),
            })
            .collect(),
        notes,
    })
}

/// Whether a policy part holds a document (a model without restrictions gets a comment).
fn has_policy(text: &str) -> bool {
    text.lines()
        .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#') && l.trim() != "---")
}
