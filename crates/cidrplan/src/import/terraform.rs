//! Terraform: `terraform show -json` of a state (`values`) or a plan (`planned_values`,
//! and the state it was planned against under `prior_state`), modules nested under
//! `child_modules`, managed resources and data sources alike. Resource types read:
//! `aws_vpc`, `aws_vpc_ipv4_cidr_block_association`, `aws_vpc_ipv6_cidr_block_association`,
//! `aws_subnet`, `google_compute_subnetwork` (with `secondary_ip_range`),
//! `azurerm_virtual_network` (with inline `subnet` blocks) and `azurerm_subnet`; other
//! types hold no address ranges and are passed over. A value Terraform knows only after
//! apply is absent from the JSON: such a resource is listed as skipped.

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::String;

use super::json::Value;

use super::path::{dig, list_of, quote, str_of, Path};
use super::{gke_range, kept_cluster, RangeKind, Sink};
use crate::error::Result;
use crate::prefix::Family;

/// The resource types read.
const TYPES: &[&str] = &[
    "aws_vpc",
    "aws_vpc_ipv4_cidr_block_association",
    "aws_vpc_ipv6_cidr_block_association",
    "aws_subnet",
    "google_compute_subnetwork",
    "azurerm_virtual_network",
    "azurerm_subnet",
];

pub(crate) fn read(doc: &Value, root: &Path<'_>, out: &mut Sink<'_>) -> Result<()> {
    // A plan lists a resource under planned_values and again under prior_state: the
    // planned one wins, and data sources only read before planning come from the state.
    let mut seen = BTreeSet::new();
    let planned = root.key("planned_values");
    let values = root.key("values");
    let prior = root.key("prior_state");
    let prior_values = prior.key("values");
    let roots = [
        (doc.get("planned_values"), planned),
        (doc.get("values"), values),
        (doc.pointer("/prior_state/values"), prior_values),
    ];
    let mut any = false;
    for (value, at) in roots.iter() {
        if let Some(v) = value {
            if let Some(m) = v.get("root_module") {
                any = true;
                module(m, &at.key("root_module"), out, &mut seen, 0)?;
            }
        }
    }
    if !any {
        return Err(out.bad(
            root,
            "no values, planned_values or prior_state.values root_module",
        ));
    }
    Ok(())
}

/// Deepest module nesting read (the JSON parser itself stops at 128 levels).
const MAX_DEPTH: usize = 64;

fn module(
    m: &Value,
    at: &Path<'_>,
    out: &mut Sink<'_>,
    seen: &mut BTreeSet<String>,
    depth: usize,
) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(out.bad(at, format!("modules nest deeper than {MAX_DEPTH} levels")));
    }
    let resources = list_of(m, "resources", out.source, at)?;
    let r_at = at.key("resources");
    for (i, r) in resources.iter().enumerate() {
        let here = r_at.index(i);
        let kind = str_of(r, "type").unwrap_or_default();
        if !TYPES.contains(&kind) {
            continue;
        }
        let address = String::from(str_of(r, "address").unwrap_or(kind));
        if !seen.insert(address.clone()) {
            continue;
        }
        let values_at = here.key("values");
        let Some(values) = r.get("values").filter(|v| v.is_object()) else {
            out.skip(&here, format!("{address}: no values"));
            continue;
        };
        resource(kind, &address, values, &values_at, out)?;
    }
    let children = list_of(m, "child_modules", out.source, at)?;
    let c_at = at.key("child_modules");
    for (i, c) in children.iter().enumerate() {
        module(c, &c_at.index(i), out, seen, depth + 1)?;
    }
    Ok(())
}

/// A string attribute, where it is set to a non-empty string.
fn text<'v>(values: &'v Value<'v>, key: &str) -> Option<&'v Value<'v>> {
    values
        .get(key)
        .filter(|v| v.as_str().is_some_and(|s| !s.is_empty()))
}

fn resource(kind: &str, address: &str, v: &Value, at: &Path<'_>, out: &mut Sink<'_>) -> Result<()> {
    let tag_name = dig(v, &["tags", "Name"]).and_then(Value::as_str);
    let name = String::from(tag_name.or_else(|| str_of(v, "name")).unwrap_or(address));
    let mut found = 0usize;
    match kind {
        "aws_vpc" => {
            let scope = String::from(str_of(v, "id").unwrap_or(address));
            let mut primary = None;
            if let Some(c) = text(v, "cidr_block") {
                let p = out.cidr(c, &at.key("cidr_block"))?;
                out.range(
                    &at.key("cidr_block"),
                    name.as_str(),
                    p,
                    RangeKind::Network,
                    Some(&scope),
                );
                primary = Some(p);
                found += 1;
            }
            // Data sources list every association, the primary block again among them.
            let assoc = list_of(v, "cidr_block_associations", out.source, at)?;
            let assoc_at = at.key("cidr_block_associations");
            for (i, a) in assoc.iter().enumerate() {
                let here = assoc_at.index(i);
                let state = str_of(a, "state");
                if state.is_some_and(|s| {
                    !s.eq_ignore_ascii_case("associated") && !s.eq_ignore_ascii_case("associating")
                }) {
                    out.skip(&here, format!("state {}", state.unwrap_or_default()));
                    continue;
                }
                let Some(c) = text(a, "cidr_block") else {
                    continue;
                };
                let p = out.cidr(c, &here.key("cidr_block"))?;
                if Some(p) != primary {
                    out.range(&here, name.as_str(), p, RangeKind::Network, Some(&scope));
                }
                found += 1;
            }
            if let Some(c) = text(v, "ipv6_cidr_block") {
                let p = out.cidr(c, &at.key("ipv6_cidr_block"))?;
                out.range(
                    &at.key("ipv6_cidr_block"),
                    name.as_str(),
                    p,
                    RangeKind::Network,
                    Some(&scope),
                );
                found += 1;
            }
        }
        "aws_vpc_ipv4_cidr_block_association" | "aws_vpc_ipv6_cidr_block_association" => {
            let scope = str_of(v, "vpc_id").map(String::from);
            let key = if kind.contains("ipv6") {
                "ipv6_cidr_block"
            } else {
                "cidr_block"
            };
            if let Some(c) = text(v, key) {
                let p = out.cidr(c, &at.key(key))?;
                out.range(
                    &at.key(key),
                    address,
                    p,
                    RangeKind::Network,
                    scope.as_deref(),
                );
                found += 1;
            }
        }
        "aws_subnet" => {
            let scope = str_of(v, "vpc_id").map(String::from);
            for key in ["cidr_block", "ipv6_cidr_block"] {
                if let Some(c) = text(v, key) {
                    let p = out.cidr(c, &at.key(key))?;
                    let r = out.range(
                        &at.key(key),
                        name.as_str(),
                        p,
                        RangeKind::Subnet,
                        scope.as_deref(),
                    );
                    if let Some(zone) = str_of(v, "availability_zone") {
                        r.labels.insert("zone".into(), zone.into());
                    }
                    found += 1;
                }
            }
        }
        "google_compute_subnetwork" => {
            let scope =
                str_of(v, "network").map(|n| String::from(n.rsplit('/').next().unwrap_or(n)));
            let mut primary = None;
            for key in [
                "ip_cidr_range",
                "ipv6_cidr_range",
                "internal_ipv6_prefix",
                "external_ipv6_prefix",
            ] {
                if let Some(c) = text(v, key) {
                    let p = out.cidr(c, &at.key(key))?;
                    out.range(
                        &at.key(key),
                        name.as_str(),
                        p,
                        RangeKind::Subnet,
                        scope.as_deref(),
                    );
                    if key == "ip_cidr_range" {
                        primary = Some(p);
                    }
                    found += 1;
                }
            }
            let ranges = list_of(v, "secondary_ip_range", out.source, at)?;
            let ranges_at = at.key("secondary_ip_range");
            for (i, r) in ranges.iter().enumerate() {
                let here = ranges_at.index(i);
                let Some(c) = text(r, "ip_cidr_range") else {
                    out.skip(&here, "no ip_cidr_range (known only after apply)");
                    continue;
                };
                let p = out.cidr(c, &here.key("ip_cidr_range"))?;
                let range_name = str_of(r, "range_name").unwrap_or("secondary");
                let gke = gke_range(range_name);
                let kind = gke.map_or(RangeKind::Secondary, |(_, k)| k);
                let range = out.range(&here, range_name, p, kind, scope.as_deref());
                range.labels.insert("subnetwork".into(), name.clone());
                if let Some((cluster, kind)) = gke {
                    range.cluster = Some(String::from(cluster));
                    let mut spec = kept_cluster(cluster);
                    let v6 = p.family() == Family::V6;
                    match (kind, v6) {
                        (RangeKind::Pods, false) => spec.pod_cidr = Some(p),
                        (RangeKind::Pods, true) => spec.pod_cidr_v6 = Some(p),
                        (_, false) => spec.service_cidr = Some(p),
                        (_, true) => spec.service_cidr_v6 = Some(p),
                    }
                    spec.node_subnet = primary;
                    out.cluster(spec); // merged by name with its other range
                }
                found += 1;
            }
        }
        "azurerm_virtual_network" => {
            let scope = String::from(str_of(v, "id").unwrap_or(address));
            let space = list_of(v, "address_space", out.source, at)?;
            let space_at = at.key("address_space");
            for (i, c) in space.iter().enumerate() {
                let p = out.cidr(c, &space_at.index(i))?;
                out.range(
                    &space_at.index(i),
                    name.as_str(),
                    p,
                    RangeKind::Network,
                    Some(&scope),
                );
                found += 1;
            }
            let subnets = list_of(v, "subnet", out.source, at)?;
            let subnets_at = at.key("subnet");
            for (i, s) in subnets.iter().enumerate() {
                let s_at = subnets_at.index(i);
                let s_name = format!("{name}/{}", str_of(s, "name").unwrap_or("subnet"));
                found += azure_prefixes(s, &s_at, &s_name, &scope, out)?;
            }
        }
        "azurerm_subnet" => {
            let vnet = str_of(v, "virtual_network_name").unwrap_or_default();
            let s_name = if vnet.is_empty() {
                name.clone()
            } else {
                format!("{vnet}/{name}")
            };
            found += azure_prefixes(v, at, &s_name, vnet, out)?;
        }
        _ => {}
    }
    if found == 0 {
        out.skip(
            at,
            format!("{address}: no address range known (known only after apply?)"),
        );
    }
    Ok(())
}

fn azure_prefixes(
    s: &Value,
    at: &Path<'_>,
    name: &str,
    scope: &str,
    out: &mut Sink<'_>,
) -> Result<usize> {
    let mut found = 0;
    let list = list_of(s, "address_prefixes", out.source, at)?;
    let list_at = at.key("address_prefixes");
    for (i, c) in list.iter().enumerate() {
        let p = out.cidr(c, &list_at.index(i))?;
        out.range(&list_at.index(i), name, p, RangeKind::Subnet, Some(scope));
        found += 1;
    }
    if found == 0 {
        if let Some(c) = text(s, "address_prefix") {
            let p = out.cidr(c, &at.key("address_prefix"))?;
            out.range(
                &at.key("address_prefix"),
                name,
                p,
                RangeKind::Subnet,
                Some(scope),
            );
            found += 1;
        }
    }
    let _ = quote;
    Ok(found)
}
