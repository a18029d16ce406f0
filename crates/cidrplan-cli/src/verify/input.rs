//! Reading what to verify: a plan as `cidrplan plan --json` writes it (verified as it
//! stands, hand edits included), or a plan request, which is planned first.
//!
//! A plan lists no allocation addresses and no pools, so those come from the request
//! (built-in example or request file), from a `network` object added to the plan JSON (the
//! request's `network` shape), or from `--allocation` and `--pool`.

use cidrplan::k8s::{self, ModelChoice, PlanRequest};
use cidrplan::Prefix;
use serde::{Deserialize, Serialize};

use super::VerifyArgs;
use crate::failure::Failure;
use crate::input::origin;
use crate::spec::{read_spec, InputFormat};

/// How traffic gets from one side to the other, as the plan's reachability rows say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum How {
    /// Routed as is: the destination sees the source's own address.
    Direct,
    /// Masqueraded to the node's address.
    Snat,
    /// Only through a gateway (here: a NodePort on the cluster's first node).
    Gateway,
    /// Through the node's 1:1 mapping to the external pod range.
    Nat,
    /// Not at all.
    None,
}

impl How {
    /// The wire name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            How::Direct => "direct",
            How::Snat => "snat",
            How::Gateway => "gateway",
            How::Nat => "nat",
            How::None => "none",
        }
    }
}

/// The parts of a plan the replica and the claims are built from.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct PlanDoc {
    /// The model's wire name.
    pub(crate) model: String,
    /// One entry per cluster.
    pub(crate) clusters: Vec<ClusterDoc>,
    /// The claims to check.
    pub(crate) reachability: Vec<ReachDoc>,
    /// Reused ranges; their shadowed allocations give allocation addresses.
    #[serde(default)]
    pub(crate) holes: Vec<HoleDoc>,
    /// Pools and allocations added by verify or by hand (a plan file from before plans
    /// kept their network only in `request`, too).
    #[serde(default)]
    pub(crate) network: Option<NetworkDoc>,
    /// The request planned, whose `network` is the plan's when there is no `network`.
    #[serde(default)]
    pub(crate) request: Option<RequestDoc>,
}

/// The part of a plan's `request` verify reads.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct RequestDoc {
    /// The network the plan was made in.
    #[serde(default)]
    pub(crate) network: Option<NetworkDoc>,
}

/// One cluster of the plan.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ClusterDoc {
    /// Cluster name.
    pub(crate) name: String,
    /// Pod range.
    pub(crate) pod_cidr: Prefix,
    /// Per-node pod range mask.
    pub(crate) node_pod_mask: u8,
    /// Service range (kept clear of the network host's address).
    #[serde(default)]
    pub(crate) service_cidr: Option<Prefix>,
    /// Where node IPs live.
    pub(crate) node_subnet: Prefix,
    /// Mapped only: the external range.
    #[serde(default)]
    pub(crate) external_pod_cidr: Option<Prefix>,
    /// How pods reach the network.
    pub(crate) egress: How,
    /// How the network reaches pods.
    pub(crate) ingress: How,
    /// Destinations pods reach without masquerading.
    #[serde(default)]
    pub(crate) non_masquerade_cidrs: Vec<Prefix>,
    /// Archipelago only: the cluster's group.
    #[serde(default)]
    pub(crate) group: Option<String>,
    /// Mapped only: node k's internal and external ranges.
    #[serde(default)]
    pub(crate) node_mappings: Vec<MappingDoc>,
}

/// Mapped model: one node's external range (its internal range is node k's by rule).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct MappingDoc {
    /// Node index.
    pub(crate) node: u32,
    /// As the network sees it.
    pub(crate) external: Prefix,
}

/// One claim of the reachability matrix.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ReachDoc {
    /// `pod:<cluster>`, `network` or `allocation:<name>`.
    pub(crate) from: String,
    /// Same vocabulary as `from`.
    pub(crate) to: String,
    /// The mechanism claimed.
    pub(crate) how: How,
    /// `ipv4` or `ipv6` (absent: IPv4).
    #[serde(default)]
    pub(crate) family: Option<String>,
}

impl ReachDoc {
    /// Whether the row is about IPv6 (the replica is IPv4 only).
    pub(crate) fn is_ipv6(&self) -> bool {
        self.family.as_deref() == Some("ipv6")
    }
}

/// A hole, for the allocations it shadows.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct HoleDoc {
    /// Allocations inside the hole.
    #[serde(default)]
    pub(crate) shadows: Vec<AllocationDoc>,
}

/// The routed pools and named allocations.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub(crate) struct NetworkDoc {
    /// Pools the organisation routes.
    #[serde(default)]
    pub(crate) pools: Vec<Prefix>,
    /// Named allocations.
    #[serde(default)]
    pub(crate) allocations: Vec<AllocationDoc>,
}

/// A named allocation (extra keys such as `reachable` are ignored).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub(crate) struct AllocationDoc {
    /// Its name in the reachability matrix.
    pub(crate) name: String,
    /// Its range.
    pub(crate) cidr: Prefix,
}

/// The plan to verify, the network it lives in, and where it came from.
#[derive(Debug)]
pub(crate) struct Subject {
    /// The plan.
    pub(crate) plan: PlanDoc,
    /// Pools and allocations, merged from every source.
    pub(crate) network: NetworkDoc,
    /// For messages: the file or "the built-in example".
    pub(crate) origin: String,
    /// The core's plan the exports not given with `--export` are rendered from: planned
    /// from a request or the built-in example, or rebuilt from a plan file as it stands
    /// (an error when the file cannot be rebuilt, reported only if an export is missing).
    pub(crate) core: Result<k8s::Plan, Failure>,
}

/// Reads the subject of `verify` from the arguments.
pub(crate) fn read(args: &VerifyArgs) -> Result<Subject, Failure> {
    let ((plan, core), origin) = match args.plan.as_deref() {
        None => {
            let request = with_model(k8s::example(), args.model);
            (
                plan_request(&request, "the built-in example")?,
                "the built-in example".to_string(),
            )
        }
        Some(file) => {
            let origin = origin(Some(file));
            let format = args.input_format.unwrap_or_else(|| format_of(file));
            let plan = match format {
                InputFormat::Json => from_json(file, &origin, args.model)?,
                _ => {
                    let request = with_model(read_spec(Some(file), Some(format))?, args.model);
                    plan_request(&request, &origin)?
                }
            };
            (plan, origin)
        }
    };
    let mut network = plan
        .network
        .clone()
        .or_else(|| plan.request.as_ref().and_then(|r| r.network.clone()))
        .unwrap_or_default();
    for hole in &plan.holes {
        for shadow in &hole.shadows {
            if !network.allocations.iter().any(|a| a.name == shadow.name) {
                network.allocations.push(shadow.clone());
            }
        }
    }
    for text in &args.allocations {
        let (name, cidr) = crate::commands::split_pair("--allocation", text)?;
        let cidr = parse_prefix("--allocation", cidr)?;
        network.allocations.retain(|a| a.name != name);
        network.allocations.push(AllocationDoc {
            name: name.to_string(),
            cidr,
        });
    }
    for text in &args.pools {
        let pool = parse_prefix("--pool", text)?;
        if !network.pools.contains(&pool) {
            network.pools.push(pool);
        }
    }
    Ok(Subject {
        plan,
        network,
        origin,
        core,
    })
}

fn parse_prefix(flag: &str, text: &str) -> Result<Prefix, Failure> {
    Prefix::parse(text.trim()).map_err(|e| Failure::at(&format!("{flag} {text:?}"), &e))
}

fn format_of(file: &str) -> InputFormat {
    let lower = file.to_ascii_lowercase();
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        InputFormat::Yaml
    } else if lower.ends_with(".toml") {
        InputFormat::Toml
    } else {
        InputFormat::Json
    }
}

fn with_model(mut request: PlanRequest, model: Option<ModelChoice>) -> PlanRequest {
    if let Some(model) = model {
        request.model = model;
    }
    request
}

/// Plans a request and reads the plan back through its JSON shape, with the request's
/// network attached, so that requests and plan files take the same path; the core's plan
/// comes along for rendering the exports.
fn plan_request(
    request: &PlanRequest,
    origin: &str,
) -> Result<(PlanDoc, Result<k8s::Plan, Failure>), Failure> {
    let plan = k8s::plan(request).map_err(|e| Failure::at(origin, &e))?;
    let mut value = serde_json::to_value(&plan)
        .map_err(|e| Failure::new("internal_error", format!("{origin}: {e}")))?;
    let network = NetworkDoc {
        pools: request.network.pools.clone(),
        allocations: request
            .network
            .allocations
            .iter()
            .map(|a| AllocationDoc {
                name: a.name.clone(),
                cidr: a.cidr,
            })
            .collect(),
    };
    if let Some(object) = value.as_object_mut() {
        let network = serde_json::to_value(&network)
            .map_err(|e| Failure::new("internal_error", format!("{origin}: {e}")))?;
        object.insert("network".to_string(), network);
    }
    Ok((plan_from_value(value, origin)?, Ok(plan)))
}

/// Reads a JSON file that is either a plan (it has `reachability`) or a plan request.
fn from_json(
    file: &str,
    origin: &str,
    model: Option<ModelChoice>,
) -> Result<(PlanDoc, Result<k8s::Plan, Failure>), Failure> {
    use std::io::Read;
    let mut text = String::new();
    crate::input::open(Some(file))?
        .read_to_string(&mut text)
        .map_err(|e| Failure::io(origin, &e))?;
    if text.trim().is_empty() {
        return Err(Failure::new(
            "invalid_input",
            format!("{origin}: empty input: expected a plan or a plan request"),
        ));
    }
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Failure::new("invalid_input", format!("{origin}: {e}")))?;
    let is_plan = value
        .as_object()
        .is_some_and(|o| o.contains_key("reachability"));
    if !is_plan {
        let mut de = serde_json::Deserializer::from_str(&text);
        let request: PlanRequest = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| bad(origin, &e.path().to_string(), &e.into_inner().to_string()))?;
        return plan_request(&with_model(request, model), origin);
    }
    let core = super::plan_file::rebuild(&value, origin);
    let plan = plan_from_value(value, origin)?;
    if let Some(model) = model {
        let asked = model.as_str();
        if model != ModelChoice::Auto && asked != plan.model {
            return Err(Failure::new(
                "invalid_input",
                format!(
                    "{origin}: --model {asked} applies to a plan request; this file is a {} plan",
                    plan.model
                ),
            ));
        }
    }
    // A plan file that cannot be rebuilt (one without datapath entries) is still
    // verified when its exports are given; the error is reported only if one is missing.
    Ok((plan, core))
}

fn plan_from_value(value: serde_json::Value, origin: &str) -> Result<PlanDoc, Failure> {
    serde_path_to_error::deserialize(value)
        .map_err(|e| bad(origin, &e.path().to_string(), &e.into_inner().to_string()))
}

fn bad(origin: &str, path: &str, message: &str) -> Failure {
    let at = if path.is_empty() || path == "." {
        String::new()
    } else {
        format!(" at {path}")
    };
    Failure::new("invalid_input", format!("{origin}{at}: {message}"))
}
