//! Terraform variables as JSON (`terraform.tfvars.json`).

use alloc::format;
use alloc::string::{String, ToString};

use crate::k8s::Plan;
use crate::text::quoted;
use crate::Prefix;

/// `{"network_model": ..., "clusters": {"<name>": {...}}}`: a map keyed by cluster name,
/// ready for `for_each`. Absent ranges are `null`. A forced render of a colliding plan
/// starts with `"collisions": [...]`, naming each.
pub(super) fn render(plan: &Plan, collisions: &[&str]) -> String {
    let mut out = String::from("{\n");
    if !collisions.is_empty() {
        let listed: alloc::vec::Vec<String> = collisions.iter().map(|c| quoted(c)).collect();
        out.push_str(&format!("  \"collisions\": [{}],\n", listed.join(", ")));
    }
    out.push_str(&format!(
        "  \"network_model\": {},\n",
        quoted(plan.model.as_str())
    ));
    out.push_str("  \"clusters\": {");
    for (i, c) in plan.clusters.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        let fields: [(&str, String); 11] = [
            ("pod_cidr", quoted(&c.pod_cidr.to_string())),
            ("node_pod_mask", c.node_pod_mask.to_string()),
            ("max_pods", c.max_pods_per_node.to_string()),
            ("service_cidr", quoted(&c.service_cidr.to_string())),
            ("node_subnet", quoted(&c.node_subnet.to_string())),
            ("external_pod_cidr", optional(c.external_pod_cidr)),
            ("pod_cidr_v6", optional(c.pod_cidr_v6)),
            (
                "node_pod_mask_v6",
                c.node_pod_mask_v6
                    .map_or("null".to_string(), |m| m.to_string()),
            ),
            ("service_cidr_v6", optional(c.service_cidr_v6)),
            ("egress", quoted(c.egress.as_str())),
            ("ingress", quoted(c.ingress.as_str())),
        ];
        out.push_str(&format!("    {}: {{\n", quoted(&c.name)));
        for (key, value) in fields {
            out.push_str(&format!("      \"{key}\": {value},\n"));
        }
        if !c.extra_pod_cidrs.is_empty() {
            // Second pod ranges of a cluster that outgrew its first, for the CNI's IPAM.
            let extra: alloc::vec::Vec<String> = c
                .extra_pod_cidrs
                .iter()
                .map(|p| quoted(&p.to_string()))
                .collect();
            out.push_str(&format!(
                "      \"extra_pod_cidrs\": [{}],\n",
                extra.join(", ")
            ));
        }
        let cidrs: alloc::vec::Vec<String> = c
            .non_masquerade_cidrs
            .iter()
            .map(|p| quoted(&p.to_string()))
            .collect();
        out.push_str(&format!(
            "      \"non_masquerade_cidrs\": [{}]\n    }}",
            cidrs.join(", ")
        ));
    }
    out.push_str(if plan.clusters.is_empty() {
        "}\n}\n"
    } else {
        "\n  }\n}\n"
    });
    out
}

fn optional(prefix: Option<Prefix>) -> String {
    prefix.map_or("null".to_string(), |p| quoted(&p.to_string()))
}
