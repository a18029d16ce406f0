//! Recognising a source's shape from its content.

use super::json::Value;

use super::Format;
use crate::error::{Error, Result};

/// Recognises the shape of `text` (JSON of one of the [`Format`]s, or NetBox CSV).
/// `source` names the text in the error when no shape fits.
pub fn detect(text: &str, source: &str) -> Result<Format> {
    detect_parsed(text, source).map(|(format, _)| format)
}

/// [`detect`], keeping the parsed document (`None` for CSV) for the reader.
pub(crate) fn detect_parsed<'t>(
    text: &'t str,
    source: &str,
) -> Result<(Format, Option<Value<'t>>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = text.trim_start();
    if !trimmed.starts_with('{') && !trimmed.starts_with('[') {
        let header = trimmed
            .lines()
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if header
            .split(',')
            .any(|c| c.trim().trim_matches('"') == "prefix")
        {
            return Ok((Format::NetboxCsv, None));
        }
        return Err(unknown(
            source,
            "neither JSON nor a CSV with a prefix column",
        ));
    }
    let parsed = super::parse_json(text, source)?;
    let (doc, _) = unwrap(&parsed);
    match of_value(doc) {
        Some(format) => Ok((format, Some(parsed))),
        None => Err(unknown(source, describe(doc))),
    }
}

fn unknown(source: &str, what: &str) -> Error {
    let names: alloc::vec::Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
    Error::invalid_input(
        if source.is_empty() { "input" } else { source },
        alloc::format!(
            "unknown shape ({what}); name the format, one of {}",
            names.join(", ")
        ),
    )
}

fn describe(doc: &Value) -> &'static str {
    match doc {
        Value::Array(items) if items.is_empty() => "an empty list",
        Value::Array(_) => "a list of objects no importer knows",
        Value::Object(_) => "an object no importer knows",
        _ => "a JSON scalar",
    }
}

/// Strips the wrappers recorders put around a response: botocore's placebo
/// `{"status_code", "data"}` and a flight recorder's `{"headers", "body"}`. Returns the
/// response and the key it sat under.
pub(crate) fn unwrap<'v>(doc: &'v Value<'v>) -> (&'v Value<'v>, Option<&'static str>) {
    if let Value::Object(map) = doc {
        if map.contains_key("status_code") {
            if let Some(data) = map.get("data") {
                return (data, Some("data"));
            }
        }
        // An Azure REST API specification example: the response body of its 200.
        if map.contains_key("parameters") {
            if let Some(body) = doc.pointer("/responses/200/body") {
                return (body, Some("responses.200.body"));
            }
        }
        if map.contains_key("headers") {
            if let Some(body) = map.get("body") {
                return (body, Some("body"));
            }
        }
    }
    (doc, None)
}

fn of_value(doc: &Value) -> Option<Format> {
    match doc {
        Value::Array(items) => items.iter().find_map(of_item),
        Value::Object(map) => {
            if map.contains_key("Vpcs") || map.contains_key("Vpc") {
                return Some(Format::AwsVpcs);
            }
            if map.contains_key("Subnets") || map.contains_key("Subnet") {
                return Some(Format::AwsSubnets);
            }
            if map.contains_key("format_version")
                && ["values", "planned_values", "prior_state"]
                    .iter()
                    .any(|k| map.contains_key(k))
            {
                return Some(Format::Terraform);
            }
            let kind = doc.get("kind").and_then(Value::as_str).unwrap_or_default();
            if kind.starts_with("compute#subnetwork") {
                return Some(Format::GcpSubnets);
            }
            if kind == "ConfigMap" || doc.pointer("/data/ClusterConfiguration").is_some() {
                return Some(Format::KubeadmConfig);
            }
            if kind == "NodeList" || kind == "Node" {
                return Some(Format::KubectlNodes);
            }
            for key in ["results", "value", "items"] {
                if let Some(Value::Array(items)) = map.get(key) {
                    if let Some(f) = items.iter().find_map(of_item) {
                        return Some(f);
                    }
                }
            }
            of_item(doc)
        }
        _ => None,
    }
}

/// The shape of one entry of a list (or of a lone object).
fn of_item(item: &Value) -> Option<Format> {
    let Value::Object(map) = item else {
        return None;
    };
    if map.contains_key("dst") {
        return Some(Format::IpRoute);
    }
    if map.contains_key("ipCidrRange") || map.contains_key("secondaryIpRanges") {
        return Some(Format::GcpSubnets);
    }
    if map.contains_key("addressSpace") || item.pointer("/properties/addressSpace").is_some() {
        return Some(Format::AzureVnets);
    }
    if map.contains_key("prefix") && (map.contains_key("status") || map.contains_key("family")) {
        return Some(Format::NetboxPrefixes);
    }
    let kind = item.get("kind").and_then(Value::as_str).unwrap_or_default();
    if kind == "Node" || item.pointer("/status/addresses").is_some() {
        return Some(Format::KubectlNodes);
    }
    None
}
