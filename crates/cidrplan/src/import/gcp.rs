//! Google Cloud: `gcloud compute networks subnets list --format=json` (a bare list), the
//! Compute API's `subnetworks.list` (`items: [..]`), `subnetworks.aggregatedList`
//! (`items: {"regions/R": {"subnetworks": [..]}}`) and `subnetworks.get` (one object).
//! Secondary ranges GKE named `gke-CLUSTER-pods-HASH` / `gke-CLUSTER-services-HASH` make
//! that cluster a kept cluster with its ranges pinned.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;

use super::json::Value;

use super::path::{list_of, quote, str_of, Path};
use super::{gke_range, kept_cluster, RangeKind, Sink};
use crate::error::Result;
use crate::k8s::ClusterSpec;
use crate::prefix::Family;

/// The last segment of a selfLink URL (`.../networks/default` -> `default`).
fn last_segment(url: &str) -> &str {
    url.rsplit('/').next().unwrap_or(url)
}

pub(crate) fn read(doc: &Value, root: &Path<'_>, out: &mut Sink<'_>) -> Result<()> {
    let mut clusters: BTreeMap<String, ClusterSpec> = BTreeMap::new();
    match doc {
        Value::Array(items) => {
            for (i, s) in items.iter().enumerate() {
                subnet(s, &root.index(i), out, &mut clusters)?;
            }
        }
        Value::Object(map) => match map.get("items") {
            Some(Value::Array(items)) => {
                let at = root.key("items");
                for (i, s) in items.iter().enumerate() {
                    subnet(s, &at.index(i), out, &mut clusters)?;
                }
            }
            Some(Value::Object(scopes)) => {
                let at = root.key("items");
                for (scope, entry) in scopes.iter() {
                    let here = at.key(scope);
                    let list = list_of(entry, "subnetworks", out.source, &here)?;
                    if list.is_empty() && entry.get("warning").is_none() {
                        out.skip(&here, "no subnetworks");
                    }
                    let list_at = here.key("subnetworks");
                    for (i, s) in list.iter().enumerate() {
                        subnet(s, &list_at.index(i), out, &mut clusters)?;
                    }
                }
            }
            Some(other) => {
                return Err(out.bad(
                    &root.key("items"),
                    format!("expected a list or a map of scopes, found {}", quote(other)),
                ))
            }
            None => subnet(doc, root, out, &mut clusters)?,
        },
        other => {
            return Err(out.bad(
                root,
                format!("expected subnetworks, found {}", quote(other)),
            ))
        }
    }
    for (_, cluster) in clusters {
        out.cluster(cluster);
    }
    Ok(())
}

fn subnet(
    s: &Value,
    at: &Path<'_>,
    out: &mut Sink<'_>,
    clusters: &mut BTreeMap<String, ClusterSpec>,
) -> Result<()> {
    if !s.is_object() {
        return Err(out.bad(at, format!("expected a subnetwork, found {}", quote(s))));
    }
    let name = String::from(str_of(s, "name").unwrap_or("subnetwork"));
    let network = str_of(s, "network").map(last_segment);
    let region = str_of(s, "region").map(last_segment);
    let mut primary = None;
    let mut found = 0;
    if let Some(v) = s.get("ipCidrRange") {
        let cidr = out.cidr(v, &at.key("ipCidrRange"))?;
        let r = out.range(at, name.as_str(), cidr, RangeKind::Subnet, network);
        if let Some(region) = region {
            r.labels.insert("region".into(), region.into());
        }
        primary = Some(cidr);
        found += 1;
    }
    for key in ["ipv6CidrRange", "internalIpv6Prefix", "externalIpv6Prefix"] {
        if let Some(v) = s.get(key) {
            let here = at.key(key);
            let cidr = out.cidr(v, &here)?;
            let r = out.range(&here, name.as_str(), cidr, RangeKind::Subnet, network);
            if let Some(region) = region {
                r.labels.insert("region".into(), region.into());
            }
            found += 1;
        }
    }
    let ranges = list_of(s, "secondaryIpRanges", out.source, at)?;
    let ranges_at = at.key("secondaryIpRanges");
    for (j, r) in ranges.iter().enumerate() {
        let here = ranges_at.index(j);
        let Some(v) = r.get("ipCidrRange") else {
            return Err(out.bad(&here, "a secondary range without an ipCidrRange"));
        };
        let cidr = out.cidr(v, &here.key("ipCidrRange"))?;
        let range_name = str_of(r, "rangeName").unwrap_or("secondary");
        let gke = gke_range(range_name);
        let kind = gke.map_or(RangeKind::Secondary, |(_, k)| k);
        let range = out.range(&here, range_name, cidr, kind, network);
        range.labels.insert("subnetwork".into(), name.clone());
        if let Some((cluster, kind)) = gke {
            range.cluster = Some(String::from(cluster));
            let spec = clusters
                .entry(String::from(cluster))
                .or_insert_with(|| kept_cluster(cluster));
            let v6 = cidr.family() == Family::V6;
            match (kind, v6) {
                (RangeKind::Pods, false) => spec.pod_cidr = Some(cidr),
                (RangeKind::Pods, true) => spec.pod_cidr_v6 = Some(cidr),
                (_, false) => spec.service_cidr = Some(cidr),
                (_, true) => spec.service_cidr_v6 = Some(cidr),
            }
            if spec.node_subnet.is_none() {
                spec.node_subnet = primary;
            }
        }
        found += 1;
    }
    if found == 0 {
        return Err(out.bad(
            at,
            format!(
                "subnetwork {} has no ipCidrRange",
                crate::text::quoted(&name)
            ),
        ));
    }
    Ok(())
}
