//! A plan file (`cidrplan plan --json`) rebuilt as the core's `Plan`, so that the exports
//! verify needs are rendered by the core from the file as it stands, hand edits included.
//!
//! The exports read a plan's model, its clusters (every field, the `datapath` decisions
//! above all), its collision warnings (a colliding plan renders only forced) and its
//! request; the ranking, holes, matrix and headroom are not read and are left empty. A
//! plan file without `datapath` entries (written by a cidrplan before them) cannot be
//! rendered: pass its exports with `--export`.

use cidrplan::export::COLLISION_CODES;
use cidrplan::k8s::{
    ClusterPlan, Datapath, Headroom, How as CoreHow, Network, NetworkModel, NodeMapping, Plan,
    Routing, Warning,
};
use cidrplan::{Family, Prefix};
use serde::Deserialize;

use super::input::How;
use crate::failure::Failure;

#[derive(Deserialize)]
struct PlanFile {
    model: NetworkModel,
    clusters: Vec<ClusterFile>,
    #[serde(default)]
    warnings: Vec<WarningFile>,
    #[serde(default)]
    network: Option<Network>,
    #[serde(default)]
    request: Option<cidrplan::k8s::PlanRequest>,
}

#[derive(Deserialize)]
struct WarningFile {
    code: String,
    message: String,
}

#[derive(Deserialize)]
struct ClusterFile {
    name: String,
    pod_cidr: Prefix,
    node_pod_mask: u8,
    #[serde(default = "default_max_pods")]
    max_pods_per_node: u32,
    service_cidr: Prefix,
    node_subnet: Prefix,
    #[serde(default)]
    pods_in_node_subnet: bool,
    #[serde(default)]
    external_pod_cidr: Option<Prefix>,
    egress: How,
    ingress: How,
    #[serde(default)]
    non_masquerade_cidrs: Vec<Prefix>,
    #[serde(default)]
    datapath: Vec<DatapathFile>,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    mesh_id: Option<u16>,
    /// Empty in a plan file from before Cilium names were recorded: settled as that
    /// plan's exports gave them.
    #[serde(default)]
    cilium_name: String,
    #[serde(default)]
    pod_cidr_v6: Option<Prefix>,
    #[serde(default)]
    node_pod_mask_v6: Option<u8>,
    #[serde(default)]
    service_cidr_v6: Option<Prefix>,
    #[serde(default)]
    node_mappings: Vec<MappingFile>,
    #[serde(default)]
    extra_pod_cidrs: Vec<Prefix>,
    #[serde(default)]
    pod_cidr_parts: Vec<Prefix>,
    #[serde(default)]
    growth_reserve: Vec<Prefix>,
}

fn default_max_pods() -> u32 {
    cidrplan::k8s::DEFAULT_MAX_PODS_PER_NODE
}

#[derive(Deserialize)]
struct MappingFile {
    node: u32,
    internal: Prefix,
    external: Prefix,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RoutingFile {
    Native,
    Tunnel,
}

#[derive(Deserialize)]
struct DatapathFile {
    family: Family,
    pod_cidr: Prefix,
    #[serde(default)]
    extra_pod_cidrs: Vec<Prefix>,
    keep_source: Vec<Prefix>,
    #[serde(default)]
    external_pod_cidr: Option<Prefix>,
    #[serde(default)]
    mapped_toward: Vec<Prefix>,
    otherwise: How,
    #[serde(default)]
    allowed_egress: Option<Vec<Prefix>>,
    #[serde(default)]
    allowed_ingress: Option<Vec<Prefix>>,
    routing: RoutingFile,
    ingress: How,
}

fn core_how(how: How) -> CoreHow {
    match how {
        How::Direct => CoreHow::Direct,
        How::Snat => CoreHow::Snat,
        How::Gateway => CoreHow::Gateway,
        How::Nat => CoreHow::Nat,
        How::None => CoreHow::None,
    }
}

/// Rebuilds the core's plan from a plan file's JSON.
pub(crate) fn rebuild(value: &serde_json::Value, origin: &str) -> Result<Plan, Failure> {
    let file: PlanFile = serde_path_to_error::deserialize(value).map_err(|e| {
        Failure::new(
            "invalid_input",
            format!("{origin} at {}: {}", e.path(), e.inner()),
        )
    })?;
    let mut clusters = Vec::with_capacity(file.clusters.len());
    for c in file.clusters {
        if c.datapath.is_empty() {
            return Err(Failure::new(
                "invalid_input",
                format!(
                    "{origin}: cluster {:?} has no datapath entries (a plan written before \
                     them?): re-plan it, or pass its exports with --export",
                    c.name
                ),
            ));
        }
        clusters.push(ClusterPlan {
            name: c.name,
            pod_cidr: c.pod_cidr,
            node_pod_mask: c.node_pod_mask,
            max_pods_per_node: c.max_pods_per_node,
            service_cidr: c.service_cidr,
            node_subnet: c.node_subnet,
            pods_in_node_subnet: c.pods_in_node_subnet,
            external_pod_cidr: c.external_pod_cidr,
            egress: core_how(c.egress),
            ingress: core_how(c.ingress),
            non_masquerade_cidrs: c.non_masquerade_cidrs,
            datapath: c
                .datapath
                .into_iter()
                .map(|d| Datapath {
                    family: d.family,
                    pod_cidr: d.pod_cidr,
                    extra_pod_cidrs: d.extra_pod_cidrs,
                    keep_source: d.keep_source,
                    external_pod_cidr: d.external_pod_cidr,
                    mapped_toward: d.mapped_toward,
                    otherwise: core_how(d.otherwise),
                    allowed_egress: d.allowed_egress,
                    allowed_ingress: d.allowed_ingress,
                    routing: match d.routing {
                        RoutingFile::Native => Routing::Native,
                        RoutingFile::Tunnel => Routing::Tunnel,
                    },
                    ingress: core_how(d.ingress),
                })
                .collect(),
            group: c.group,
            mesh_id: c.mesh_id,
            cilium_name: c.cilium_name,
            pod_cidr_v6: c.pod_cidr_v6,
            node_pod_mask_v6: c.node_pod_mask_v6,
            service_cidr_v6: c.service_cidr_v6,
            node_mappings: c
                .node_mappings
                .into_iter()
                .map(|m| NodeMapping {
                    node: m.node,
                    internal: m.internal,
                    external: m.external,
                })
                .collect(),
            extra_pod_cidrs: c.extra_pod_cidrs,
            pod_cidr_parts: c.pod_cidr_parts,
            growth_reserve: c.growth_reserve,
            growth: Vec::new(),
        });
    }
    // Only collisions matter to the exports; their codes are the core's own strings.
    let warnings = file
        .warnings
        .into_iter()
        .filter_map(|w| {
            COLLISION_CODES
                .iter()
                .find(|c| **c == w.code)
                .map(|code| Warning {
                    code,
                    message: w.message,
                })
        })
        .collect();
    // A plan file from before plans kept their network only in the request.
    let mut request = file.request.unwrap_or_default();
    if let Some(network) = file.network {
        request.network = network;
    }
    let mut plan = Plan {
        model: file.model,
        ranking: Vec::new(),
        clusters,
        holes: Vec::new(),
        reachability: Vec::new(),
        warnings,
        rules: Vec::new(),
        headroom: Headroom {
            clusters: Vec::new(),
            more_clusters: 0,
            more_clusters_binding: "",
            template: String::new(),
            groups: Vec::new(),
        },
        request,
        retained: Vec::new(),
        released: Vec::new(),
    };
    cidrplan::k8s::settle_identities(&mut plan);
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cidrplan::export::{render, ExportFormat};
    use cidrplan::k8s::{example, plan, ModelChoice};

    #[test]
    fn a_plan_file_renders_the_same_exports_as_the_plan() {
        for model in [
            ModelChoice::Flat,
            ModelChoice::Island,
            ModelChoice::Isolated,
            ModelChoice::Mapped,
            ModelChoice::Archipelago,
        ] {
            let mut request = example();
            request.model = model;
            let planned = plan(&request).unwrap();
            let value = serde_json::to_value(&planned).unwrap();
            let rebuilt = rebuild(&value, "plan.json").unwrap();
            for format in [
                ExportFormat::IpMasqAgent,
                ExportFormat::Calico,
                ExportFormat::Cilium,
                ExportFormat::NodeNat,
                ExportFormat::Policy,
            ] {
                assert_eq!(
                    render(&rebuilt, format).unwrap(),
                    render(&planned, format).unwrap(),
                    "{model:?} {format}"
                );
            }
        }
    }
}
