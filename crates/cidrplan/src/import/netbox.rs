//! NetBox prefixes: the REST API (`/api/ipam/prefixes/`, paginated `results` or one
//! prefix; v2 with integer statuses and families, v3/v4 with strings) and the CSV export.
//! Containers become network space; other prefixes are allocations labelled with their
//! status, VRF, role, tenant and site or scope.

use alloc::format;
use alloc::string::{String, ToString};

use super::json::Value;

use super::path::{quote, str_of, Path};
use super::{RangeKind, Sink};
use crate::error::Result;

/// NetBox 2.x status numbers.
fn status_name(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.to_ascii_lowercase()),
        Value::Number(n) => Some(String::from(match n.as_u64() {
            Some(0) => "container",
            Some(1) => "active",
            Some(2) => "reserved",
            Some(3) => "deprecated",
            _ => return Some(n.to_string()),
        })),
        Value::Object(_) => value
            .get("value")
            .and_then(status_name)
            .or_else(|| value.get("label").and_then(status_name)),
        _ => None,
    }
}

/// The display name of a related object (`{"name": ..}`) or a plain string.
fn related(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.is_empty() => Some(String::from(s.as_ref())),
        v @ Value::Object(_) => str_of(v, "name")
            .or_else(|| str_of(v, "display"))
            .or_else(|| str_of(v, "slug"))
            .map(String::from),
        _ => None,
    }
}

pub(crate) fn read_json(doc: &Value, root: &Path<'_>, out: &mut Sink<'_>) -> Result<()> {
    match doc.get("results") {
        Some(Value::Array(items)) => {
            let at = root.key("results");
            for (i, p) in items.iter().enumerate() {
                prefix(p, &at.index(i), out)?;
            }
            if let Some(next) = str_of(doc, "next") {
                out.skip(
                    &root.key("next"),
                    format!("a further page was not included: {next}"),
                );
            }
        }
        Some(other) => {
            return Err(out.bad(
                &root.key("results"),
                format!("expected a list, found {}", quote(other)),
            ))
        }
        None if doc.is_array() => {
            for (i, p) in doc.as_array().into_iter().flatten().enumerate() {
                prefix(p, &root.index(i), out)?;
            }
        }
        None => prefix(doc, root, out)?,
    }
    Ok(())
}

struct Labels {
    status: Option<String>,
    vrf: Option<String>,
    role: Option<String>,
    tenant: Option<String>,
    site: Option<String>,
    description: Option<String>,
}

fn prefix(p: &Value, at: &Path<'_>, out: &mut Sink<'_>) -> Result<()> {
    let Some(v) = p.get("prefix") else {
        return Err(out.bad(at, "a prefix entry without a prefix"));
    };
    let cidr = out.cidr(v, &at.key("prefix"))?;
    let labels = Labels {
        status: p.get("status").and_then(status_name),
        vrf: related(p.get("vrf")),
        role: related(p.get("role")),
        tenant: related(p.get("tenant")),
        site: related(p.get("scope")).or_else(|| related(p.get("site"))),
        description: str_of(p, "description").map(String::from),
    };
    add(cidr, labels, at, out);
    Ok(())
}

fn add(cidr: crate::Prefix, l: Labels, at: &dyn core::fmt::Display, out: &mut Sink<'_>) {
    let container = l.status.as_deref() == Some("container");
    let kind = if container {
        RangeKind::Network
    } else {
        RangeKind::Prefix
    };
    let name = l.description.unwrap_or_else(|| cidr.to_string());
    let scope = String::from(l.vrf.as_deref().unwrap_or("global"));
    let r = out.range(at, name, cidr, kind, Some(&scope));
    for (key, value) in [
        ("status", l.status),
        ("vrf", l.vrf),
        ("role", l.role),
        ("tenant", l.tenant),
        ("site", l.site),
    ] {
        if let Some(value) = value {
            r.labels.insert(String::from(key), value);
        }
    }
}

/// Row `n` (1-based, as editors count lines of a one-line-per-row file).
struct Row(usize);

impl core::fmt::Display for Row {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "row {}", self.0)
    }
}

/// The CSV export: a header row naming the columns (`prefix`, `status`, `vrf`, `tenant`,
/// `role`, `site` or `scope`, `description`; any case, any order, others ignored).
pub(crate) fn read_csv(text: &str, out: &mut Sink<'_>) -> Result<()> {
    let rows = super::csv::records(text);
    let Some((header, body)) = rows.split_first() else {
        return Err(out.bad(&Path::ROOT, "an empty CSV: no header row"));
    };
    let column = |names: &[&str]| {
        header.iter().position(|h| {
            let h = h.trim().to_ascii_lowercase();
            names.iter().any(|n| h == *n)
        })
    };
    let Some(prefix_col) = column(&["prefix"]) else {
        return Err(out.bad(&Path::ROOT, "the header row names no prefix column"));
    };
    let status = column(&["status"]);
    let vrf = column(&["vrf"]);
    let tenant = column(&["tenant"]);
    let role = column(&["role"]);
    let site = column(&["scope", "site"]);
    let description = column(&["description"]);
    for (i, row) in body.iter().enumerate() {
        let at = Row(i + 2);
        let get = |col: Option<usize>| {
            col.and_then(|c| row.get(c))
                .map(|s| s.trim())
                .filter(|s| !s.is_empty() && *s != "\u{2014}")
                .map(String::from)
        };
        let Some(text) = get(Some(prefix_col)) else {
            out.skip(&at, "no prefix");
            continue;
        };
        let cidr = super::path::cidr(&Value::String(text.into()), out.source, &at, false)?;
        let labels = Labels {
            status: get(status).map(|s| s.to_ascii_lowercase()),
            vrf: get(vrf),
            role: get(role),
            tenant: get(tenant),
            site: get(site),
            description: get(description),
        };
        add(cidr, labels, &at, out);
    }
    Ok(())
}
