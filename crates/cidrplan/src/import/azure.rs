//! Azure: `az network vnet list` / `show` (fields at the top level, plus `resourceGroup`)
//! and the ARM REST responses (fields under `properties`; a list under `value`).
//! Subnets carry `addressPrefix` or `addressPrefixes`.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::json::Value;

use super::path::{dig, quote, str_of, Path};
use super::{RangeKind, Sink};
use crate::error::Result;

pub(crate) fn read(doc: &Value, root: &Path<'_>, out: &mut Sink<'_>) -> Result<()> {
    match doc {
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                vnet(v, &root.index(i), out)?;
            }
        }
        Value::Object(map) => match map.get("value") {
            Some(Value::Array(items)) => {
                let at = root.key("value");
                for (i, v) in items.iter().enumerate() {
                    vnet(v, &at.index(i), out)?;
                }
                if let Some(next) = str_of(doc, "nextLink") {
                    out.skip(
                        &root.key("nextLink"),
                        format!("a further page was not included: {next}"),
                    );
                }
            }
            _ => vnet(doc, root, out)?,
        },
        other => {
            return Err(out.bad(
                root,
                format!("expected virtual networks, found {}", quote(other)),
            ))
        }
    }
    Ok(())
}

/// The object holding the fields: `properties` in REST bodies, the object itself in the
/// CLI's flattened output; and its path.
fn fields<'v, 'p>(item: &'v Value<'v>, at: &'p Path<'p>) -> (&'v Value<'v>, Option<&'static str>) {
    let _ = at;
    match item.get("properties") {
        Some(p) if p.is_object() => (p, Some("properties")),
        _ => (item, None),
    }
}

/// `resourceGroup`, or the segment after `/resourceGroups/` of the id.
fn resource_group(item: &Value) -> Option<String> {
    if let Some(rg) = str_of(item, "resourceGroup") {
        return Some(String::from(rg));
    }
    let id = str_of(item, "id")?;
    let mut parts = id.split('/');
    while let Some(p) = parts.next() {
        if p.eq_ignore_ascii_case("resourceGroups") {
            return parts.next().map(String::from);
        }
    }
    None
}

/// The prefixes under `addressPrefix` and `addressPrefixes` of `props`.
fn prefixes<'v>(
    props: &'v Value<'v>,
) -> impl Iterator<Item = (&'static str, Option<usize>, &'v Value<'v>)> {
    let one = props
        .get("addressPrefix")
        .filter(|v| !matches!(v, Value::Null))
        .map(|v| ("addressPrefix", None, v));
    let many = props
        .get("addressPrefixes")
        .and_then(Value::as_array)
        .into_iter()
        .flat_map(|l| {
            l.iter()
                .enumerate()
                .map(|(i, v)| ("addressPrefixes", Some(i), v))
        });
    one.into_iter().chain(many)
}

fn vnet(item: &Value, at: &Path<'_>, out: &mut Sink<'_>) -> Result<()> {
    if !item.is_object() {
        return Err(out.bad(
            at,
            format!("expected a virtual network, found {}", quote(item)),
        ));
    }
    let name = String::from(str_of(item, "name").unwrap_or("vnet"));
    let scope = String::from(str_of(item, "id").unwrap_or(&name));
    let rg = resource_group(item);
    let (props, key) = fields(item, at);
    let props_at = match key {
        Some(k) => at.key(k),
        None => *at,
    };
    let space = props_at.key("addressSpace");
    let list = dig(props, &["addressSpace", "addressPrefixes"])
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if list.is_empty() {
        out.skip(
            &space,
            format!(
                "virtual network {} has no address space",
                crate::text::quoted(&name)
            ),
        );
    }
    let list_at = space.key("addressPrefixes");
    for (i, v) in list.iter().enumerate() {
        let here = list_at.index(i);
        let cidr = out.cidr(v, &here)?;
        let r = out.range(&here, name.as_str(), cidr, RangeKind::Network, Some(&scope));
        if let Some(rg) = &rg {
            r.labels.insert("resource_group".into(), rg.clone());
        }
    }
    let subnets = super::path::list_of(props, "subnets", out.source, &props_at)?;
    let subnets_at = props_at.key("subnets");
    for (i, s) in subnets.iter().enumerate() {
        let s_at = subnets_at.index(i);
        let s_name = format!("{name}/{}", str_of(s, "name").unwrap_or("subnet"));
        let (sp, skey) = fields(s, &s_at);
        let sp_at = match skey {
            Some(k) => s_at.key(k),
            None => s_at,
        };
        let mut found = 0;
        for (key, index, v) in prefixes(sp) {
            let k_at = sp_at.key(key);
            let i_at;
            let here = match index {
                Some(i) => {
                    i_at = k_at.index(i);
                    &i_at
                }
                None => &k_at,
            };
            let cidr = out.cidr(v, here)?;
            let r = out.range(here, s_name.as_str(), cidr, RangeKind::Subnet, Some(&scope));
            if let Some(rg) = &rg {
                r.labels.insert("resource_group".into(), rg.clone());
            }
            found += 1;
        }
        if found == 0 {
            return Err(out.bad(
                &s_at,
                format!(
                    "subnet {} has no addressPrefix or addressPrefixes",
                    crate::text::quoted(&s_name)
                ),
            ));
        }
    }
    Ok(())
}
