//! Kubernetes planning: sizing, the five network models, reachability, lint and a reasoned
//! recommendation.
//!
//! The vocabulary is that of Tim Hockin's talk "Kubernetes and Networks: why is this so
//! dang hard?": a **network** (pools) holds **allocations**; **clusters** have nodes in
//! **node subnets**, pods in **pod ranges** cut into **per-node ranges**, and **service
//! ranges**. A **network model** ([`NetworkModel`]) says how pod addresses meet the
//! network: flat, island, isolated, mapped or archipelago.
//!
//! Three entry points take the same [`PlanRequest`]:
//! - [`recommend`] scores every model with its reasons ([`Recommendation`]);
//! - [`plan`] places every range for the requested (or recommended) model ([`Plan`]);
//! - [`lint`] lists the plan's warnings only.
//!
//! [`size`] answers the sizing rules for one cluster, and [`example`] is the talk's network.
//!
//! ```
//! use cidrplan::k8s::{example, plan, recommend};
//!
//! let request = example();
//! let ranking = recommend(&request)?;
//! assert_eq!(ranking.ranking[0].model.as_str(), "flat");
//! assert!(ranking.ranking[0].reasons.iter().any(|r| r.criterion == "network_programmable"));
//!
//! let plan = plan(&request)?;
//! assert_eq!(plan.clusters[0].pod_cidr.to_string(), "10.1.0.0/16");
//! assert_eq!(plan.clusters[0].node_pod_mask, 24);
//! # Ok::<(), cidrplan::Error>(())
//! ```
//!
//! # How placement works
//! Shared ranges come first: island, isolated and mapped reuse one pod range sized for the
//! largest cluster, archipelago one range sized for the largest group, and every model but
//! flat one service range. A shared range shadows no reachable allocation and no pinned
//! range; it comes from free space of 100.64.0.0/10 or 240.0.0.0/4 when
//! `allow_non_rfc1918` is set, else from free space of the pools, and only then from pool
//! space that shadows allocations pods need not reach. Then one first-fit carve places the
//! ranges each cluster owns alone (flat pod and service ranges, mapped external ranges,
//! node subnets) around allocations, pins and shared ranges, in cluster order. IPv6 ranges
//! are unique in every model: IPv6 space is not scarce, so nothing motivates reuse.
//! Pinned ranges are used as given and linted, never moved.
//!
//! # Re-planning with the previous plan
//! A plan is a lock file: [`plan_with`] given the previous plan ([`PlanOptions`]) keeps
//! every range of every cluster it knows, grows clusters in place or with a second pod
//! range ([`Growth`]), retains clusters no longer requested until released, keeps every
//! cluster's Cilium name and ClusterMesh id ([`settle_identities`]), and [`diff`] says
//! what changed (`docs/lockfile.md`).
//!
//! # JSON shapes (feature `serde`)
//! A [`Plan`] serializes as
//! `{"model", "ranking": [ModelScore], "clusters": [{"name", "pod_cidr", "node_pod_mask",
//! "service_cidr", "node_subnet", "external_pod_cidr"?, "egress", "ingress",
//! "non_masquerade_cidrs", "datapath", "group"?, "mesh_id"?, "cilium_name",
//! "pod_cidr_v6"?, "node_pod_mask_v6"?, "service_cidr_v6"?, "node_mappings"?, "extra_pod_cidrs"?, "growth_reserve"?, "growth"?}],
//! "holes": [{"cidr", "kind", "clusters",
//! "shadows": [{"name", "cidr", "reachable"}]}], "reachability": [{"from", "to", "how"}],
//! "warnings": [{"code", "message"}], "headroom": {"clusters": [{"name", "nodes",
//! "node_capacity", "more_nodes", "binding"}], "more_clusters", "more_clusters_binding",
//! "template"}, "request", "retained"?, "released"?}` (the network is the request's); keys marked `?` appear
//! only when they apply. `egress`, `ingress` and
//! `how` are `direct`, `snat`, `gateway`, `nat` or `none` and describe IPv4 (IPv6 is routed
//! directly in every model). A [`Recommendation`] serializes as `{"recommended", "ip_space",
//! "ip_space_judged", "ranking": [{"model", "score", "feasible", "reasons": [{"criterion",
//! "effect", "source", "text"}]}]}`: `effect` is an integer added to the score (+2 for a
//! good-when item of the talk, -3 for a bad-when item, smaller for derived nuances, 0 for
//! measured facts) and `source` is `talk`, `derived` or `measured`.
//!
//! # Shared test vectors
//! `tests/vectors/{plan,recommend,sizing}.json` hold `{"name", "input", "match": "subset",
//! "expected"}` cases: every key of an expected object must be present in the output with
//! a matching value, recursively; an expected list must have as many items as the output's,
//! matched by position; other values must be equal. Error cases are `{"name", "input",
//! "error": {"code", "message_contains"?}}`.

mod avoid;
mod cloud;
mod context;
mod datapath;
mod diff;
mod draft;
mod example;
mod fit_options;
mod grow;
mod headroom;
mod holes;
mod identity;
mod lint;
mod lock;
mod model;
mod plan;
mod reachability;
mod recommend;
mod request;
pub mod sizing;
mod space;
mod vendor_defaults;

pub use cloud::{
    RuleApplied, AKS_FORBIDDEN, AKS_OVERLAY_MAX_PODS, AKS_OVERLAY_NODE_MASK,
    EKS_SERVICE_LONGEST_LEN, EKS_SERVICE_SHORTEST_LEN, EKS_SERVICE_SPACE,
    GKE_DEFAULT_SERVICE_RANGE, RULE_CODES,
};
pub use context::{MAX_CLUSTERS, MAX_POOLS_TIMES_CLUSTERS};
pub use datapath::{Datapath, Routing};
pub use diff::{diff, Change, PlanDiff};
pub use draft::NON_RFC1918_ISLAND_SPACE;
pub use example::example;
pub use headroom::{ClusterHeadroom, GroupHeadroom, Headroom, HEADROOM_CAP};
pub use holes::{Hole, Shadowed};
pub use identity::{settle_identities, CILIUM_NAME_MAX, MESH_ID_MAX};
pub use lint::{Warning, MAX_COLLISION_WARNINGS, WARNING_CODES};
pub use lock::{
    Growth, LockedCluster, PlanOptions, PreviousPlan, MAX_GROWTH_RESERVE, MAX_LOCKED_EXTRAS,
    MAX_PREVIOUS_CLUSTERS,
};
pub use model::{ModelChoice, NetworkModel};
pub use plan::{
    ClusterPlan, NodeMapping, Plan, MAX_LISTED_NODE_MAPPINGS, MAX_LISTED_NODE_MAPPINGS_PER_PLAN,
};
pub use reachability::{How, Reach, MAX_ALLOCATION_ROWS};
pub use recommend::{ModelScore, Reason, Recommendation, Source, LARGE_NODE_COUNT};
pub use request::{
    AllocationSpec, Cloud, ClusterFamily, ClusterSpec, Cni, Exposure, Footprint, Integration,
    IpSpace, Layout, Network, PlanRequest, RangeKind, Requirements, DEFAULT_MAX_PODS_PER_NODE,
    DEFAULT_SERVICES,
};
pub use sizing::{size, ClusterSizing, Sizing, SizingRequest};
pub use vendor_defaults::{VendorDefault, VENDOR_DEFAULTS};

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::{Error, Result};
use context::Context;

/// Scores every model against the request's requirements and address space.
///
/// Models whose ranges do not fit are `feasible: false`, with the numbers; the ranking puts
/// feasible models first, then higher scores, ties in the talk's order.
///
/// ```
/// use cidrplan::k8s::{example, recommend, IpSpace, PlanRequest, Requirements};
/// let mut request = example();
/// request.requirements = Requirements {
///     ip_space: Some(IpSpace::Scarce),
///     network_programmable: Some(false),
///     integration: Some(cidrplan::k8s::Integration::Some),
///     ..Requirements::default()
/// };
/// let ranking = recommend(&request)?.ranking;
/// assert_eq!(ranking[0].model.as_str(), "island");
/// # Ok::<(), cidrplan::Error>(())
/// ```
pub fn recommend(req: &PlanRequest) -> Result<Recommendation> {
    let ctx = Context::new(req)?;
    recommend::evaluate(&ctx).map(|(recommendation, _)| recommendation)
}

/// Plans every cluster with the requested model, or with the top feasible one for `auto`.
///
/// Fails with `invalid_spec` naming the field for a bad request, and with `infeasible`
/// (with the numbers) when the model does not fit the address space.
///
/// ```
/// use cidrplan::k8s::{example, plan, How};
/// let plan = plan(&example())?;
/// assert_eq!(plan.model.as_str(), "flat");
/// assert_eq!(plan.clusters[1].pod_cidr.to_string(), "10.2.0.0/16");
/// assert_eq!(plan.clusters[1].egress, How::Direct);
/// assert!(plan.holes.is_empty());
/// # Ok::<(), cidrplan::Error>(())
/// ```
pub fn plan(req: &PlanRequest) -> Result<Plan> {
    plan_with(req, &PlanOptions::default())
}

/// Plans `req` as a re-plan of `options.previous`: every cluster of the previous plan that
/// is still requested keeps every range it had and the previous plan's model; new clusters
/// are carved around them; a cluster no longer requested stays reserved (the plan's
/// `retained`, with a `cluster_retained` warning) until `options.release` names it. A kept
/// cluster that needs more room grows in place when the aligned block around its range is
/// free, else gets a second pod range; its `growth` says which, and why.
///
/// The ranking is the request's, as [`recommend`] gives it; the model is the previous
/// plan's while it keeps or retains any cluster (a request naming another model is an
/// `invalid_spec` error).
///
/// ```
/// use cidrplan::k8s::{example, plan, plan_with, PlanOptions, PreviousPlan};
/// let mut request = example();
/// let first = plan(&request)?;
/// request.clusters[1].max_nodes = Some(500); // b outgrows its /16
/// let options = PlanOptions { previous: Some(PreviousPlan::from(&first)), release: vec![] };
/// let second = plan_with(&request, &options)?;
/// assert_eq!(second.clusters[0].pod_cidr, first.clusters[0].pod_cidr); // a never moves
/// let b = &second.clusters[1];
/// assert!(b.pod_cidr.contains(&first.clusters[1].pod_cidr) || !b.extra_pod_cidrs.is_empty());
/// # Ok::<(), cidrplan::Error>(())
/// ```
pub fn plan_with(req: &PlanRequest, options: &PlanOptions) -> Result<Plan> {
    let mut plan = plan_without_request(req, options)?;
    plan.request = req.clone();
    Ok(plan)
}

/// [`plan_with`], taking the request: the plan keeps it as its [`Plan::request`] instead
/// of a copy (with 10^6 allocations the copy was a third of the plan's memory).
///
/// ```
/// use cidrplan::k8s::{example, plan_owned, PlanOptions};
/// let plan = plan_owned(example(), &PlanOptions::default())?;
/// assert_eq!(plan.request, example());
/// # Ok::<(), cidrplan::Error>(())
/// ```
pub fn plan_owned(req: PlanRequest, options: &PlanOptions) -> Result<Plan> {
    let mut plan = plan_without_request(&req, options)?;
    plan.request = req;
    Ok(plan)
}

/// The plan of `req`, its `request` left empty for the caller to fill.
fn plan_without_request(req: &PlanRequest, options: &PlanOptions) -> Result<Plan> {
    let ctx = Context::new(req)?;
    let mut lock = lock::resolve(req, options)?;
    let (recommendation, drafts) = recommend::evaluate(&ctx)?;
    if let (Some(previous), Some(asked)) = (lock.model, req.model.model()) {
        if previous != asked {
            return Err(Error::invalid_spec(
                "model",
                format!(
                    "{asked} differs from the previous plan's {previous}, which its clusters \
                     keep; release them all to plan with {asked}"
                ),
            ));
        }
    }
    let chosen = lock
        .model
        .or(req.model.model())
        .or(recommendation.recommended);
    let model = match chosen {
        Some(model) => model,
        None => {
            let reasons: Vec<String> = drafts
                .iter()
                .filter_map(|d| match d {
                    Err(Error::Infeasible { model, reason }) => Some(format!("{model}: {reason}")),
                    _ => None,
                })
                .collect();
            let error = Error::Infeasible {
                model: String::from("auto"),
                reason: format!("no model fits ({})", reasons.join("; ")),
            };
            return Err(fit_options::with_options(
                req,
                &NetworkModel::ALL,
                &drafts,
                error,
            ));
        }
    };
    let identities = core::mem::take(&mut lock.identities);
    if lock.model.is_some() {
        let retained = lock.retained.clone();
        let released = lock.released.clone();
        let locked = ctx.locked(lock)?;
        let draft = draft::draft(&locked, model)?;
        let mut plan = plan::assemble(&locked, &draft, recommendation.ranking)?;
        plan::note_retained(&mut plan, retained, released);
        keep_identities(&mut plan, &identities);
        return Ok(plan);
    }
    let position = NetworkModel::ALL.iter().position(|&m| m == model);
    if let Some(Err(error)) = position.and_then(|p| drafts.get(p)) {
        let error = error.clone();
        return Err(fit_options::with_options(req, &[model], &drafts, error));
    }
    let draft = match position.and_then(|p| drafts.into_iter().nth(p)) {
        Some(draft) => draft?,
        None => {
            return Err(Error::Infeasible {
                model: String::from(model.as_str()),
                reason: String::from("the model was not evaluated"),
            })
        }
    };
    let mut plan = plan::assemble(&ctx, &draft, recommendation.ranking)?;
    plan.released = lock.released;
    keep_identities(&mut plan, &identities);
    Ok(plan)
}

/// Gives the plan's clusters the mesh ids and Cilium names the previous plan gave them
/// (`identities`, in request order), then settles the rest (`docs/lockfile.md`).
fn keep_identities(plan: &mut Plan, identities: &[Option<identity::Identity>]) {
    for (cluster, kept) in plan.clusters.iter_mut().zip(identities) {
        if let Some(kept) = kept {
            cluster.mesh_id = kept.mesh_id;
            cluster.cilium_name = kept.cilium_name.clone();
        }
    }
    settle_identities(plan);
}

/// The warnings of the request's plan: collisions with allocations, other clusters and
/// vendor defaults, and Kubernetes rule violations.
///
/// ```
/// use cidrplan::k8s::{example, lint};
/// let mut request = example();
/// request.clusters[0].pod_cidr = Some("10.0.0.0/16".parse()?);
/// request.clusters[0].service_cidr = Some("10.0.0.0/20".parse()?); // inside the pod range
/// let warnings = lint(&request)?;
/// assert!(warnings.iter().any(|w| w.code == "service_in_pod_range"));
/// # Ok::<(), cidrplan::Error>(())
/// ```
pub fn lint(req: &PlanRequest) -> Result<Vec<Warning>> {
    plan(req).map(|p| p.warnings)
}
