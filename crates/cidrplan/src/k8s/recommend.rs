//! Scoring every model against the requirements: the talk's good-when and bad-when lists,
//! a few consequences derived from how each model works, and facts measured in the
//! address space. Every point of a score comes with the reason that gave it.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::context::Context;
use super::draft::{draft, Draft};
use super::model::NetworkModel;
use super::request::{Exposure, Footprint, Integration, IpSpace, Requirements};
use super::space::{block_size, grouped};
use crate::{Error, Family, Result};

/// A cluster this large, or a fleet this large in all, counts as "a large number of nodes"
/// for the island and archipelago bad-when lists: every gateway to NodePorts spreads over
/// every node.
pub const LARGE_NODE_COUNT: u64 = 1_000;

/// Where a reason comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Source {
    /// A good-when or bad-when item of the talk.
    Talk,
    /// A consequence of how the model works, reasoned from first principles.
    Derived,
    /// A fact measured in the request's address space.
    Measured,
}

/// One reason for (or against) a model.
///
/// `criterion` names the requirement it answers (`ip_space`, `network_programmable`,
/// `integration`, `cross_cluster_integration`, `kubernetes_footprint`,
/// `debug_connectivity`, `direct_to_endpoint`, `exposed_services`, `non_http_services`,
/// `client_ip_firewalls`, `identical_clusters`, `node_count`, `reachable_allocations`,
/// `nat`) or `address_space` for the measured fit; `effect` is what it adds to the score
/// (0 for facts that inform without scoring).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Reason {
    /// The criterion it answers.
    pub criterion: &'static str,
    /// Points added to the score: +2 for a good-when match, -3 for a bad-when match
    /// (the talk's bad-when items are deal-breakers), smaller for derived nuances.
    pub effect: i32,
    /// Where it comes from.
    pub source: Source,
    /// One sentence for people.
    pub text: String,
}

/// One model's standing.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ModelScore {
    /// The model.
    pub model: NetworkModel,
    /// Sum of the reasons' effects.
    pub score: i32,
    /// Whether its ranges fit the address space.
    pub feasible: bool,
    /// Why, in the order: address space facts, then requirements.
    pub reasons: Vec<Reason>,
}

/// The result of `recommend`: every model, best first.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Recommendation {
    /// The top feasible model, if any model fits.
    pub recommended: Option<NetworkModel>,
    /// The IP space the scores assumed.
    pub ip_space: IpSpace,
    /// Whether `ip_space` was judged from the free space rather than given.
    pub ip_space_judged: bool,
    /// Feasible models first, then by score, ties in the talk's order.
    pub ranking: Vec<ModelScore>,
}

/// Why archipelago is not recommended for a request without meshes.
pub(crate) const NO_MESHES: &str = "no group holds two clusters: each cluster would be its \
    own group, which is island with the same reused range and nothing gained; give clusters \
    a `group` to plan meshes";

/// Whether some archipelago group holds two clusters or more (a mesh).
pub(crate) fn has_meshes(ctx: &Context<'_>) -> bool {
    ctx.groups.iter().any(|(_, members)| members.len() >= 2)
}

/// What the scoring looks at, measured once.
struct Facts {
    ip_space: IpSpace,
    /// Explains a judged `ip_space`; empty when the request gave it.
    ip_note: String,
    largest_cluster: (String, u64),
    total_nodes: u64,
    reachable_count: usize,
    first_reachable: Option<String>,
}

/// Scores every model and keeps the drafts so `plan` need not place ranges twice.
pub(crate) fn evaluate(ctx: &Context<'_>) -> Result<(Recommendation, Vec<Result<Draft>>)> {
    let drafts: Vec<Result<Draft>> = NetworkModel::ALL.iter().map(|&m| draft(ctx, m)).collect();
    // Only infeasibility is a property of a model; anything else is a bad request.
    for d in &drafts {
        if let Err(e) = d {
            if !matches!(e, Error::Infeasible { .. }) {
                return Err(e.clone());
            }
        }
    }
    let family = if ctx.sizings.iter().any(|s| s.family.has_v4()) {
        Family::V4
    } else {
        Family::V6
    };
    let free = ctx
        .any_space(family)
        .difference(&ctx.allocated)
        .count(family)
        .saturating_u128();
    let flat_need = need(ctx, NetworkModel::Flat, family)
        .iter()
        .fold(0u128, |s, t| s.saturating_add(t.total(family)));
    let flat_fits = drafts.first().is_some_and(|d| d.is_ok());
    let (ip_space, ip_note, judged) = match ctx.req.requirements.ip_space {
        Some(given) => (given, String::new(), false),
        None => {
            let plentiful = flat_fits && flat_need.saturating_mul(2) <= free;
            let note = format!(
                " (judged: flat needs {} of the {} free addresses, {})",
                grouped(flat_need),
                grouped(free),
                percent(flat_need, free)
            );
            let space = if plentiful {
                IpSpace::Plentiful
            } else {
                IpSpace::Scarce
            };
            (space, note, true)
        }
    };
    let largest_cluster = ctx
        .sizings
        .iter()
        .zip(&ctx.req.clusters)
        .map(|(s, c)| (c.name.clone(), u64::from(s.max_nodes)))
        .fold(
            (String::new(), 0u64),
            |best, c| if c.1 > best.1 { c } else { best },
        );
    let facts = Facts {
        ip_space,
        ip_note,
        largest_cluster,
        total_nodes: ctx.sizings.iter().map(|s| u64::from(s.max_nodes)).sum(),
        reachable_count: ctx
            .req
            .network
            .allocations
            .iter()
            .filter(|a| a.reachable)
            .count(),
        first_reachable: ctx
            .req
            .network
            .allocations
            .iter()
            .find(|a| a.reachable)
            .map(|a| a.name.clone()),
    };

    let meshes = has_meshes(ctx);
    let mut ranking: Vec<ModelScore> = NetworkModel::ALL
        .iter()
        .zip(&drafts)
        .map(|(&model, result)| {
            let mut reasons = Vec::new();
            reasons.push(Reason {
                criterion: "address_space",
                effect: 0,
                source: Source::Measured,
                text: need_text(ctx, model, family, free),
            });
            if let Err(Error::Infeasible { reason, .. }) = result {
                reasons.push(Reason {
                    criterion: "address_space",
                    effect: 0,
                    source: Source::Measured,
                    text: format!("{model} does not fit: {reason}"),
                });
            }
            if model == NetworkModel::Archipelago && !meshes {
                reasons.push(Reason {
                    criterion: "groups",
                    effect: -3,
                    source: Source::Derived,
                    text: String::from(NO_MESHES),
                });
            }
            reasons.extend(score(model, &ctx.req.requirements, &facts));
            ModelScore {
                model,
                score: reasons.iter().map(|r| r.effect).sum(),
                feasible: result.is_ok(),
                reasons,
            }
        })
        .collect();
    // Stable sort: ties keep the talk's order of models. Archipelago without meshes is
    // island with a larger range: never recommended, listed after the feasible models.
    let unrecommendable = |m: &ModelScore| m.model == NetworkModel::Archipelago && !meshes;
    ranking.sort_by_key(|m| (!m.feasible, unrecommendable(m), -m.score));
    let recommended = ranking
        .iter()
        .find(|m| m.feasible && !unrecommendable(m))
        .map(|m| m.model);
    Ok((
        Recommendation {
            recommended,
            ip_space,
            ip_space_judged: judged,
            ranking,
        },
        drafts,
    ))
}

/// One kind of block a model needs: `count` blocks of `/len`, shared by all clusters or not.
struct Term {
    kind: Kind,
    len: u8,
    count: u64,
    shared: bool,
}

/// What a block is for; pods come first in the sentence because they dominate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Pods,
    Services,
    Nodes,
}

impl Term {
    fn total(&self, family: Family) -> u128 {
        block_size(family, self.len).saturating_mul(u128::from(self.count))
    }
}

/// The blocks a model takes from the network for the clusters as sized (pins aside).
fn need(ctx: &Context<'_>, model: NetworkModel, family: Family) -> Vec<Term> {
    let v4 = family == Family::V4;
    let pod = |i: usize| {
        let s = &ctx.sizings[i];
        if v4 {
            s.pod_len
        } else {
            s.pod_len_v6
        }
    };
    let svc = |i: usize| {
        let s = &ctx.sizings[i];
        if v4 {
            s.service_len
        } else {
            s.service_len_v6
        }
    };
    let n = ctx.sizings.len();
    let mut lens: Vec<(Kind, u8, bool)> = Vec::new();
    let unique_pods = !v4 || model == NetworkModel::Flat || model == NetworkModel::Mapped;
    if unique_pods {
        lens.extend((0..n).filter_map(pod).map(|l| (Kind::Pods, l, false)));
    }
    if !v4 || model == NetworkModel::Flat {
        lens.extend((0..n).filter_map(svc).map(|l| (Kind::Services, l, false)));
    }
    if v4 && model.reuses_pod_range() {
        let shared_pod = if model == NetworkModel::Archipelago {
            ctx.groups
                .iter()
                .map(|(_, members)| {
                    members
                        .iter()
                        .filter_map(|&i| pod(i))
                        .fold(0u128, |s, l| s.saturating_add(block_size(family, l)))
                })
                .max()
                .and_then(|total| len_holding(family, total))
        } else {
            (0..n).filter_map(pod).min()
        };
        lens.extend(shared_pod.map(|l| (Kind::Pods, l, true)));
        lens.extend(
            (0..n)
                .filter_map(svc)
                .min()
                .map(|l| (Kind::Services, l, true)),
        );
    }
    lens.extend(
        ctx.sizings
            .iter()
            .filter(|s| s.node_family == family)
            .map(|s| (Kind::Nodes, s.node_subnet_len, false)),
    );
    lens.sort();
    let mut terms: Vec<Term> = Vec::new();
    for (kind, len, shared) in lens {
        match terms.last_mut() {
            Some(t) if t.kind == kind && t.len == len && t.shared == shared => t.count += 1,
            _ => terms.push(Term {
                kind,
                len,
                count: 1,
                shared,
            }),
        }
    }
    terms
}

fn len_holding(family: Family, addresses: u128) -> Option<u8> {
    if addresses == 0 {
        return None;
    }
    let bits = 128 - (addresses - 1).leading_zeros();
    u32::from(family.bits())
        .checked_sub(bits)
        .and_then(|l| u8::try_from(l).ok())
}

/// "flat needs 4 x /14 = 1,048,576 addresses for pods (1,069,056 with 4 x /20 for services
/// and 4 x /22 for node subnets); 393,216 are free in 10.0.0.0/8".
fn need_text(ctx: &Context<'_>, model: NetworkModel, family: Family, free: u128) -> String {
    let terms = need(ctx, model, family);
    let phrase = |kind: Kind| {
        let mut text = String::new();
        let mut total = 0u128;
        for t in terms.iter().filter(|t| t.kind == kind) {
            if !text.is_empty() {
                text.push_str(" + ");
            }
            if t.shared {
                text.push_str(&format!("one shared /{}", t.len));
            } else {
                text.push_str(&format!("{} x /{}", t.count, t.len));
            }
            total = total.saturating_add(t.total(family));
        }
        (text, total)
    };
    let (pods, pod_total) = phrase(Kind::Pods);
    let (services, service_total) = phrase(Kind::Services);
    let (nodes, node_total) = phrase(Kind::Nodes);
    let all = pod_total
        .saturating_add(service_total)
        .saturating_add(node_total);
    let mut rest = Vec::new();
    if !services.is_empty() {
        rest.push(format!("{services} for services"));
    }
    if !nodes.is_empty() {
        rest.push(format!("{nodes} for node subnets"));
    }
    let with = if rest.is_empty() {
        String::new()
    } else {
        format!(" ({} with {})", grouped(all), rest.join(" and "))
    };
    format!(
        "{model} needs {pods} = {} addresses for pods{with}; {} are free in {}",
        grouped(pod_total),
        grouped(free),
        ctx.pool_names(family)
    )
}

fn percent(part: u128, whole: u128) -> String {
    if whole == 0 {
        return String::from("all of nothing");
    }
    let tenths = part.saturating_mul(1000) / whole;
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// Collects reasons for one model.
struct Reasons(Vec<Reason>);

impl Reasons {
    fn add(
        &mut self,
        criterion: &'static str,
        effect: i32,
        source: Source,
        text: impl Into<String>,
    ) {
        self.0.push(Reason {
            criterion,
            effect,
            source,
            text: text.into(),
        });
    }
}

/// Good-when: +2. Bad-when: -3.
const GOOD: i32 = 2;
const BAD: i32 = -3;

fn score(model: NetworkModel, r: &Requirements, f: &Facts) -> Vec<Reason> {
    let mut out = Reasons(Vec::new());
    let ip_source = if f.ip_note.is_empty() {
        Source::Talk
    } else {
        Source::Measured
    };
    let scarce = f.ip_space == IpSpace::Scarce;
    let note = f.ip_note.as_str();
    let many_exposed = r.exposed_services == Some(Exposure::Many);
    match model {
        NetworkModel::Flat => {
            if scarce {
                out.add("ip_space", BAD, ip_source, format!("IP space is scarce or fragmented, and every cluster needs its own routed pod range{note}"));
            } else {
                out.add(
                    "ip_space",
                    GOOD,
                    ip_source,
                    format!("IP space is available for a unique pod range per cluster{note}"),
                );
            }
            match r.network_programmable {
                Some(true) => out.add("network_programmable", GOOD, Source::Talk, "the network is programmable: it can route every node's pod range"),
                Some(false) => out.add("network_programmable", BAD, Source::Talk, "the network is hard to configure, yet flat needs a route for every node's pod range"),
                None => {}
            }
            if r.integration == Some(Integration::High) {
                out.add("integration", GOOD, Source::Talk, "high integration and performance are needed: pods and the network talk directly, without NAT");
            }
            if r.cross_cluster_integration == Some(Integration::High) {
                out.add(
                    "cross_cluster_integration",
                    GOOD,
                    Source::Derived,
                    "pods of every cluster address each other directly",
                );
            }
            match r.kubernetes_footprint {
                Some(Footprint::Large) => out.add("kubernetes_footprint", GOOD, Source::Talk, "Kubernetes is a large part of the footprint, worth routed space"),
                Some(Footprint::Small) => out.add("kubernetes_footprint", BAD, Source::Talk, "Kubernetes is a small part of the footprint: routed space for pods does not pay off"),
                None => {}
            }
            if r.identical_clusters {
                out.add(
                    "identical_clusters",
                    BAD,
                    Source::Derived,
                    "clusters must be internally identical, but flat gives every cluster different ranges",
                );
            }
            if r.debug_connectivity {
                out.add(
                    "debug_connectivity",
                    1,
                    Source::Derived,
                    "pod IPs are real network addresses, so connectivity is debugged end to end",
                );
            }
            if r.direct_to_endpoint {
                out.add(
                    "direct_to_endpoint",
                    1,
                    Source::Derived,
                    "clients reach pods directly",
                );
            }
            if many_exposed {
                out.add(
                    "exposed_services",
                    1,
                    Source::Derived,
                    "services are exposed without gateways in the way",
                );
            }
            if r.client_ip_firewalls {
                out.add(
                    "client_ip_firewalls",
                    1,
                    Source::Derived,
                    "firewalls see pod IPs as they are",
                );
            }
        }
        NetworkModel::Island | NetworkModel::Archipelago => {
            let island = model == NetworkModel::Island;
            match r.integration {
                Some(Integration::Some) => out.add("integration", GOOD, Source::Talk, "some integration is needed: pods reach the network by SNAT, the network reaches pods through gateways"),
                Some(Integration::High) => out.add("integration", -2, Source::Derived, "high integration with the network is needed, but the network reaches pods only through gateways"),
                _ => {}
            }
            if island {
                if r.cross_cluster_integration == Some(Integration::High) {
                    out.add("cross_cluster_integration", -2, Source::Derived, "pods of different clusters share one range and reach each other only through gateways");
                }
            } else if r.cross_cluster_integration == Some(Integration::High) {
                out.add("cross_cluster_integration", GOOD, Source::Talk, "high integration across clusters is needed: clusters of a group are flat among themselves");
            } else {
                out.add("cross_cluster_integration", -1, Source::Derived, "no high cross-cluster integration is needed, so groups add nothing over island");
            }
            if scarce {
                let what = if island {
                    "all clusters reuse one pod range"
                } else {
                    "groups reuse one range"
                };
                out.add(
                    "ip_space",
                    GOOD,
                    ip_source,
                    format!("IP space is scarce or fragmented: {what}{note}"),
                );
            }
            if r.network_programmable == Some(false) {
                out.add(
                    "network_programmable",
                    GOOD,
                    Source::Talk,
                    "the network is not programmable: only node IPs need routes",
                );
            }
            if r.debug_connectivity {
                out.add(
                    "debug_connectivity",
                    BAD,
                    Source::Talk,
                    "connectivity must be debugged, but pods hide behind SNAT and gateways",
                );
            }
            if r.direct_to_endpoint {
                out.add("direct_to_endpoint", BAD, Source::Talk, "direct-to-endpoint communication is needed, but the network reaches pods only through gateways");
            }
            if many_exposed {
                let to = if island { "" } else { " to non-Kubernetes" };
                out.add(
                    "exposed_services",
                    BAD,
                    Source::Talk,
                    format!("many services are exposed{to}, each through a gateway"),
                );
            }
            if r.non_http_services {
                out.add(
                    "non_http_services",
                    -2,
                    Source::Talk,
                    "non-HTTP services cannot share an L7 ingress: each needs its own L4 gateway",
                );
            }
            if r.client_ip_firewalls {
                out.add(
                    "client_ip_firewalls",
                    BAD,
                    Source::Talk,
                    "firewalls rely on client IPs, but pods leave as their node's IP",
                );
            }
            if island && f.largest_cluster.1 >= LARGE_NODE_COUNT {
                out.add("node_count", BAD, Source::Measured, format!("a large number of nodes: cluster {} has {} (>= {LARGE_NODE_COUNT}), and gateways to NodePorts spread over all of them", f.largest_cluster.0, grouped(u128::from(f.largest_cluster.1))));
            }
            if !island && f.total_nodes >= LARGE_NODE_COUNT {
                out.add(
                    "node_count",
                    BAD,
                    Source::Measured,
                    format!(
                        "a large number of nodes across all clusters: {} (>= {LARGE_NODE_COUNT})",
                        grouped(u128::from(f.total_nodes))
                    ),
                );
            }
        }
        NetworkModel::Isolated => {
            match r.integration {
                Some(Integration::Unneeded) => out.add("integration", GOOD, Source::Talk, "no integration is needed"),
                Some(_) => out.add("integration", BAD, Source::Talk, "integration is needed, but nothing crosses an isolated cluster's edge except explicit gateways"),
                None => {
                    if let Some(first) = &f.first_reachable {
                        out.add("reachable_allocations", -2, Source::Measured, match f.reachable_count {
                            1 => format!("allocation {first} is marked reachable, but isolated pods reach nothing"),
                            n => format!("{n} allocations are marked reachable (first: {first}), but isolated pods reach nothing"),
                        });
                    }
                }
            }
            if matches!(
                r.cross_cluster_integration,
                Some(Integration::Some | Integration::High)
            ) {
                out.add(
                    "cross_cluster_integration",
                    BAD,
                    Source::Talk,
                    "cross-cluster integration is needed, but isolated clusters do not talk",
                );
            }
            if scarce {
                out.add(
                    "ip_space",
                    GOOD,
                    ip_source,
                    format!("IP space is scarce or fragmented: clusters reuse their ranges{note}"),
                );
            }
            if r.network_programmable == Some(false) {
                out.add(
                    "network_programmable",
                    GOOD,
                    Source::Talk,
                    "the network is not programmable: only node IPs need routes",
                );
            }
        }
        NetworkModel::Mapped => {
            if r.identical_clusters {
                out.add("identical_clusters", 3, Source::Derived, "clusters must be internally identical yet directly addressable: each node's pod range gets a unique external twin");
            }
            if r.integration == Some(Integration::High) {
                out.add(
                    "integration",
                    1,
                    Source::Derived,
                    "pods are addressable from the network through their external addresses",
                );
            }
            if r.direct_to_endpoint {
                out.add(
                    "direct_to_endpoint",
                    1,
                    Source::Derived,
                    "clients reach each pod at its external address",
                );
            }
            if r.client_ip_firewalls {
                out.add(
                    "client_ip_firewalls",
                    1,
                    Source::Derived,
                    "firewalls see each pod's unique external address",
                );
            }
            match r.network_programmable {
                Some(true) => out.add("network_programmable", GOOD, Source::Derived, "the network is programmable: it can route each node's external range"),
                Some(false) => out.add("network_programmable", BAD, Source::Derived, "the network is hard to configure, yet each node's external range must be routed to it"),
                None => {}
            }
            if scarce {
                out.add(
                    "ip_space",
                    BAD,
                    ip_source,
                    format!(
                        "IP space is scarce, but mapped needs as much external space as flat{note}"
                    ),
                );
            }
            if r.debug_connectivity {
                out.add("debug_connectivity", BAD, Source::Derived, "connectivity must be debugged, but pod addresses differ inside and outside the cluster");
            }
            out.add(
                "nat",
                -2,
                Source::Derived,
                "every node must NAT its pod range 1:1 to its external range",
            );
        }
    }
    out.0
}
