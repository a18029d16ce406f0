//! AWS: `aws ec2 describe-vpcs` and `describe-subnets` (and the single `{"Vpc": ..}` /
//! `{"Subnet": ..}` that `create-vpc` and `create-subnet` print).

use alloc::format;
use alloc::string::String;

use super::json::Value;

use super::path::{dig, list_of, str_of, Path};
use super::{RangeKind, Sink};
use crate::error::Result;

/// The `Name` tag, where there is one.
fn name_tag<'v>(item: &'v Value<'v>) -> Option<&'v str> {
    item.get("Tags")?
        .as_array()?
        .iter()
        .find(|t| t.get("Key").and_then(Value::as_str) == Some("Name"))
        .and_then(|t| str_of(t, "Value"))
}

/// A block is in use unless its state says it is leaving or gone. States are compared
/// without case: the 2016 API wrote them in capitals.
fn state_in_use(state: Option<&str>) -> bool {
    match state {
        None => true,
        Some(s) => s.eq_ignore_ascii_case("associated") || s.eq_ignore_ascii_case("associating"),
    }
}

/// The entries under `many` (a list) or the one object under `one`.
fn entries<'v>(
    doc: &'v Value<'v>,
    many: &'static str,
    one: &'static str,
    root: &Path<'_>,
    out: &Sink<'_>,
) -> Result<(&'static str, &'v [Value<'v>])> {
    if let Some(item) = doc.get(one) {
        return Ok((one, core::slice::from_ref(item)));
    }
    match doc.get(many) {
        Some(Value::Array(items)) => Ok((many, items)),
        Some(other) => Err(out.bad(
            &root.key(many),
            format!("expected a list, found {}", super::path::quote(other)),
        )),
        None => Err(out.bad(
            root,
            format!(
                "no {many} list: not a describe-{} output",
                many.to_ascii_lowercase()
            ),
        )),
    }
}

/// VPCs: every associated IPv4 and IPv6 CIDR block, as network space.
pub(crate) fn read_vpcs(doc: &Value, root: &Path<'_>, out: &mut Sink<'_>) -> Result<()> {
    let (key, vpcs) = entries(doc, "Vpcs", "Vpc", root, out)?;
    let list = root.key(key);
    for (i, vpc) in vpcs.iter().enumerate() {
        let at = if key == "Vpc" { list } else { list.index(i) };
        let id = str_of(vpc, "VpcId").unwrap_or("vpc");
        let name = String::from(name_tag(vpc).unwrap_or(id));
        let mut found = 0usize;
        let blocks = list_of(vpc, "CidrBlockAssociationSet", out.source, &at)?;
        let blocks_at = at.key("CidrBlockAssociationSet");
        for (j, block) in blocks.iter().enumerate() {
            let here = blocks_at.index(j);
            let state = dig(block, &["CidrBlockState", "State"]).and_then(Value::as_str);
            if !state_in_use(state) {
                out.skip(&here, format!("state {}", state.unwrap_or_default()));
                continue;
            }
            let Some(v) = block.get("CidrBlock") else {
                return Err(out.bad(&here, "a CIDR block association without a CidrBlock"));
            };
            let cidr = out.cidr(v, &here.key("CidrBlock"))?;
            out.range(&here, name.as_str(), cidr, RangeKind::Network, Some(id));
            found += 1;
        }
        if blocks.is_empty() {
            if let Some(v) = vpc.get("CidrBlock") {
                let cidr = out.cidr(v, &at.key("CidrBlock"))?;
                out.range(&at, name.as_str(), cidr, RangeKind::Network, Some(id));
                found += 1;
            }
        }
        found += read_v6(vpc, &at, &name, id, RangeKind::Network, out)?;
        if found == 0 {
            return Err(out.bad(
                &at,
                format!("VPC {} has no CIDR block", crate::text::quoted(id)),
            ));
        }
    }
    Ok(())
}

/// The IPv6 associations of a VPC or a subnet; how many are in use.
fn read_v6(
    item: &Value,
    at: &Path<'_>,
    name: &str,
    scope: &str,
    kind: RangeKind,
    out: &mut Sink<'_>,
) -> Result<usize> {
    let blocks = list_of(item, "Ipv6CidrBlockAssociationSet", out.source, at)?;
    let blocks_at = at.key("Ipv6CidrBlockAssociationSet");
    let mut found = 0;
    for (j, block) in blocks.iter().enumerate() {
        let here = blocks_at.index(j);
        let state = dig(block, &["Ipv6CidrBlockState", "State"]).and_then(Value::as_str);
        if !state_in_use(state) {
            out.skip(&here, format!("state {}", state.unwrap_or_default()));
            continue;
        }
        let Some(v) = block.get("Ipv6CidrBlock") else {
            return Err(out.bad(&here, "an IPv6 association without an Ipv6CidrBlock"));
        };
        let cidr = out.cidr(v, &here.key("Ipv6CidrBlock"))?;
        out.range(&here, name, cidr, kind, Some(scope));
        found += 1;
    }
    Ok(found)
}

/// Subnets: the IPv4 block (absent on IPv6-only subnets) and the associated IPv6 blocks.
pub(crate) fn read_subnets(doc: &Value, root: &Path<'_>, out: &mut Sink<'_>) -> Result<()> {
    let (key, subnets) = entries(doc, "Subnets", "Subnet", root, out)?;
    let list = root.key(key);
    for (i, subnet) in subnets.iter().enumerate() {
        let at = if key == "Subnet" { list } else { list.index(i) };
        let id = str_of(subnet, "SubnetId").unwrap_or("subnet");
        let vpc = str_of(subnet, "VpcId").unwrap_or("");
        let name = String::from(name_tag(subnet).unwrap_or(id));
        let mut found = 0;
        match subnet.get("CidrBlock") {
            None | Some(Value::Null) => {}
            Some(v) => {
                let cidr = out.cidr(v, &at.key("CidrBlock"))?;
                let r = out.range(&at, name.as_str(), cidr, RangeKind::Subnet, Some(vpc));
                if let Some(zone) = str_of(subnet, "AvailabilityZone") {
                    r.labels.insert("zone".into(), zone.into());
                }
                found += 1;
            }
        }
        found += read_v6(subnet, &at, &name, vpc, RangeKind::Subnet, out)?;
        if found == 0 {
            return Err(out.bad(
                &at,
                format!(
                    "subnet {} has no CidrBlock and no associated IPv6 block",
                    crate::text::quoted(id)
                ),
            ));
        }
    }
    Ok(())
}
