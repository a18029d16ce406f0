//! WebAssembly bindings of [`cidrplan`]: the npm package `cidrplan`.
//!
//! Every function takes plain JS values, deserializes them into the core's wire input
//! types (`cidrplan::wire`), calls the core and serializes the result with
//! serde-wasm-bindgen's JSON-compatible serializer, so JS receives plain objects, arrays,
//! strings, numbers and `null` — the same shapes as the CLI's `--json` output and the
//! Python module's return values. Errors are thrown as real JS `Error` objects carrying
//! the core's stable `code` (see `src/errors.rs`).
//!
//! Positional arguments follow the brief's signatures (`exclude(parent, used)`,
//! `carve(pools, requests, reserved, strategy)`), each named like its wire field so a
//! malformed argument is reported under that name; a trailing `options` object carries the
//! wire format's optional fields (`lenient`, and `expected`/`max_listed` for `overlaps`).
//! Each argument is deserialized on its own rather than through one gathered object: that
//! names the field without a path-tracking deserializer, which would cost ~20 KB of wasm.

mod errors;
mod shape;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use cidrplan::wire;

use errors::{core_error, input_error};

// The TypeScript declarations of every function, input and output (functions are marked
// `skip_typescript` so their optional parameters and result types are declared there, in one
// place). Hand-maintained next to the wire format of docs/ARCHITECTURE.md; `npm test` checks
// that every export is declared and compiles a typed usage example against them.
#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = include_str!("types.d.ts");

/// Deserializes one argument; a value of the wrong shape becomes an `invalid_input` error
/// naming the argument (its wire field name) and what was expected.
fn arg<T: DeserializeOwned>(field: &str, value: JsValue) -> Result<T, JsValue> {
    shape::check(field, &value)?;
    serde_wasm_bindgen::from_value(value).map_err(|e| {
        // serde-wasm-bindgen renders its errors through JS `String(err)`: drop the "Error: ".
        let message = e.to_string();
        let message = message.strip_prefix("Error: ").unwrap_or(&message);
        match entry_error(message) {
            Some((index, rest)) => input_error(&format!("{field}[{index}]"), rest),
            None => input_error(field, message),
        }
    })
}

/// `("3", "...")` from a list's `"entry 3: ..."` error, so the field path names the entry.
/// Byte comparisons, not `str` pattern searches, keep a substring searcher out of the
/// module.
fn entry_error(message: &str) -> Option<(&str, &str)> {
    let rest = message.strip_prefix("entry ")?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let (index, rest) = rest.split_at(digits);
    let rest = rest.strip_prefix(": ")?;
    (digits > 0).then_some((index, rest))
}

/// A list of CIDR strings: the common case crosses as one string (see [`shape::fast_strings`]).
fn strings_arg(field: &str, value: JsValue) -> Result<Vec<String>, JsValue> {
    match shape::fast_strings(&value) {
        Some(list) => Ok(list),
        None => arg(field, value),
    }
}

/// An optional list of CIDR strings.
fn opt_strings_arg(field: &str, value: Option<JsValue>) -> Result<Vec<String>, JsValue> {
    match value {
        Some(v) if !v.is_undefined() && !v.is_null() => strings_arg(field, v),
        _ => Ok(Vec::new()),
    }
}

/// `{key: [strings]}`, the shape of the `aggregate` and `exclude` results, built without a
/// boundary crossing per string.
fn strings_object(key: &str, list: &[String]) -> JsValue {
    wrap(key, &shape::strings_to_js(list))
}

/// `{key: value}` as a plain object.
fn wrap(key: &str, value: &JsValue) -> JsValue {
    let obj = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&obj, &JsValue::from_str(key), value);
    obj.into()
}

/// An optional argument: `undefined` and `null` take the wire format's default.
fn opt_arg<T: DeserializeOwned + Default>(
    field: &str,
    value: Option<JsValue>,
) -> Result<T, JsValue> {
    match value {
        Some(v) if !v.is_undefined() && !v.is_null() => arg(field, v),
        _ => Ok(T::default()),
    }
}

/// The trailing `options` object. serde-wasm-bindgen reads a struct's fields by name and
/// never sees other keys, so `deny_unknown_fields` cannot catch a misspelt option: the keys
/// are checked here instead, as the CLI and Python (which parse JSON) reject them.
fn options_arg<T: DeserializeOwned + Default>(
    value: Option<JsValue>,
    allowed: &[&str],
) -> Result<T, JsValue> {
    if let Some(v) = value.as_ref().filter(|v| v.is_object()) {
        for key in js_sys::Object::keys(v.unchecked_ref::<js_sys::Object>()).iter() {
            let key = key.as_string().unwrap_or_default();
            if !allowed.contains(&key.as_str()) {
                let expected = allowed.join("`, `");
                return Err(input_error(
                    "options",
                    &format!("unknown field `{key}`, expected one of `{expected}`"),
                ));
            }
        }
    }
    opt_arg("options", value)
}

/// A plan request. Its structs `deny_unknown_fields`, which serde-wasm-bindgen cannot
/// enforce (it reads only the fields a struct names), so the request is serialized back
/// and compared with the input: a key that was not read is an `invalid_input` error, as in
/// the CLI and Python. (Reading through JSON instead would link serde_json: ~38 KB.)
fn spec_arg<T: DeserializeOwned + Serialize>(field: &str, spec: JsValue) -> Result<T, JsValue> {
    let request: T = arg(field, spec.clone())?;
    shape::check_known_keys(field, &spec, &to_js(&request)?)?;
    Ok(request)
}

/// Serializes a wire output as plain JSON-compatible JS values (objects, arrays, `null`).
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    value
        .serialize(&ser)
        .map_err(|e| input_error("output", &e.to_string()))
}

/// The trailing `options` of `aggregate`, `exclude` and `carve`.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ParseOptions {
    /// Mask host bits (`10.0.0.1/8` -> `10.0.0.0/8`) instead of rejecting them.
    #[serde(default)]
    lenient: bool,
}

/// The trailing `options` of `overlaps`.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverlapsOptions {
    /// `[parent, child]` name pairs that are intended and not reported.
    #[serde(default)]
    expected: Vec<(String, String)>,
    /// List at most this many pairs (all are counted).
    #[serde(default)]
    max_listed: Option<u64>,
    /// Mask host bits instead of rejecting them.
    #[serde(default)]
    lenient: bool,
}

/// Every overlap among named prefixes: `{overlaps: [{a, a_cidr, b, b_cidr, relation}],
/// total, truncated}`.
///
/// `items` is a list of CIDR strings, a list of `[name, cidr]` pairs, or an object mapping
/// name to CIDR. `options` may carry `expected` (`[[parent, child]]` pairs not to report),
/// `max_listed` and `lenient`.
#[wasm_bindgen(skip_typescript)]
pub fn overlaps(items: JsValue, options: Option<JsValue>) -> Result<JsValue, JsValue> {
    let options: OverlapsOptions = options_arg(options, &["expected", "max_listed", "lenient"])?;
    let input = wire::OverlapsInput {
        items: match shape::fast_strings(&items) {
            Some(list) => wire::NamedList(list.into_iter().map(wire::ItemEntry::Cidr).collect()),
            None => arg("items", items)?,
        },
        expected: options.expected,
        max_listed: options.max_listed,
        lenient: options.lenient,
    };
    to_js(&wire::overlaps(&input).map_err(core_error)?)
}

/// The minimal CIDR cover of the union of `prefixes`, ascending, IPv4 before IPv6:
/// `{prefixes: [...]}`.
#[wasm_bindgen(skip_typescript)]
pub fn aggregate(prefixes: JsValue, options: Option<JsValue>) -> Result<JsValue, JsValue> {
    let options: ParseOptions = options_arg(options, &["lenient"])?;
    // A list of plain strings crosses as one text: the same parse and core call as
    // wire::aggregate, without a boundary crossing per string.
    if let Some(parsed) = shape::fast_prefixes(&prefixes, options.lenient) {
        let merged = cidrplan::aggregate(&parsed?);
        return Ok(wrap("prefixes", &shape::prefixes_to_js(&merged)));
    }
    let input = wire::AggregateInput {
        prefixes: arg("prefixes", prefixes)?,
        lenient: options.lenient,
    };
    let output = wire::aggregate(&input).map_err(core_error)?;
    Ok(strings_object("prefixes", &output.prefixes))
}

/// The free space of `parent` once `used` is taken out, as minimal CIDRs ascending:
/// `{free: [...]}`.
#[wasm_bindgen(skip_typescript)]
pub fn exclude(
    parent: JsValue,
    used: Option<JsValue>,
    options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let options: ParseOptions = options_arg(options, &["lenient"])?;
    // As in `aggregate`: a list of plain strings crosses as one text. The parent is parsed
    // first, as wire::exclude does, so errors come in the same order.
    if let Some(list) = used.as_ref().filter(|u| js_sys::Array::is_array(u)) {
        let text: String = arg("parent", parent.clone())?;
        let parent =
            cidrplan::Prefix::parse_with(&text, cidrplan::ParseMode::from_lenient(options.lenient));
        if let Some(parsed) = shape::fast_prefixes(list, options.lenient) {
            let free =
                cidrplan::exclude(parent.map_err(core_error)?, &parsed?).map_err(core_error)?;
            return Ok(wrap("free", &shape::prefixes_to_js(&free)));
        }
    }
    let input = wire::ExcludeInput {
        parent: arg("parent", parent)?,
        used: opt_strings_arg("used", used)?,
        lenient: options.lenient,
    };
    let output = wire::exclude(&input).map_err(core_error)?;
    Ok(strings_object("free", &output.free))
}

/// Carves named requests out of `pools` around `reserved` ranges.
///
/// `requests` is a list of `[name, size]` pairs or an object mapping name to size; a size
/// is `"/20"`, an address count (number or decimal string) or `{size, pinned}`.
/// `strategy` is `"best-fit"` (default), `"first-fit"` or `"sequential"`.
#[wasm_bindgen(skip_typescript)]
pub fn carve(
    pools: JsValue,
    requests: JsValue,
    reserved: Option<JsValue>,
    strategy: Option<JsValue>,
    options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let options: ParseOptions = options_arg(options, &["lenient"])?;
    let strategy: Option<String> = opt_arg("strategy", strategy)?;
    let input = wire::CarveWireInput {
        pools: strings_arg("pools", pools)?,
        requests: arg("requests", requests)?,
        reserved: opt_strings_arg("reserved", reserved)?,
        strategy: strategy.unwrap_or_else(|| cidrplan::Strategy::BestFit.as_str().into()),
        lenient: options.lenient,
    };
    to_js(&wire::carve(&input).map_err(core_error)?)
}

/// Plans address space for the clusters of `spec` (a plan request: network, clusters,
/// requirements, model): every range placed, with reachability, holes, warnings and
/// headroom, and the ranking of the models.
#[wasm_bindgen(skip_typescript)]
pub fn plan(spec: JsValue) -> Result<JsValue, JsValue> {
    let request: cidrplan::k8s::PlanRequest = spec_arg("spec", spec)?;
    to_js(&cidrplan::k8s::plan(&request).map_err(core_error)?)
}

/// Scores the five network models for `spec`, each with its reasons: `{ranking: [...]}`.
#[wasm_bindgen(skip_typescript)]
pub fn recommend(spec: JsValue) -> Result<JsValue, JsValue> {
    let request: cidrplan::k8s::PlanRequest = spec_arg("spec", spec)?;
    to_js(&cidrplan::k8s::recommend(&request).map_err(core_error)?)
}

/// The sizing rules for one cluster, without a network: per-node mask, pod, service and
/// node-subnet lengths (`{max_nodes, max_pods_per_node?, services?, family?, cloud?, ...}`).
#[wasm_bindgen(skip_typescript)]
pub fn sizing(request: JsValue) -> Result<JsValue, JsValue> {
    let request: cidrplan::k8s::SizingRequest = spec_arg("request", request)?;
    to_js(&cidrplan::k8s::size(&request).map_err(core_error)?)
}

/// Plans `spec`, then renders the plan as configuration text in `format`: `kubeadm`,
/// `kcm-flags`, `calico`, `cilium`, `ip-masq-agent` or `tfvars` (see [`export_formats`]).
#[wasm_bindgen(js_name = exportConfig, skip_typescript)]
pub fn export_config(spec: JsValue, format: JsValue) -> Result<String, JsValue> {
    let request: cidrplan::k8s::PlanRequest = spec_arg("spec", spec)?;
    let format: String = arg("format", format)?;
    wire::export(&request, &format).map_err(core_error)
}

/// The formats [`export_config`] renders, in a stable order.
#[wasm_bindgen(js_name = exportFormats, skip_typescript)]
pub fn export_formats() -> Vec<String> {
    cidrplan::export::ExportFormat::ALL
        .iter()
        .map(|f| String::from(f.as_str()))
        .collect()
}

/// The built-in example plan request: the network of the talk (10.0.0.0/8 with a host
/// that pods must reach, and two clusters), the CLI's `cidrplan plan` with no file.
#[wasm_bindgen(skip_typescript)]
pub fn example() -> Result<JsValue, JsValue> {
    to_js(&cidrplan::k8s::example())
}

/// Every error code the package can throw (`err.code`), in a stable order.
#[wasm_bindgen(js_name = errorCodes, skip_typescript)]
pub fn error_codes() -> Vec<String> {
    cidrplan::Error::ALL_CODES
        .iter()
        .map(|c| String::from(*c))
        .collect()
}

/// The version of the package (and of the Rust core it was built from).
#[wasm_bindgen(skip_typescript)]
pub fn version() -> String {
    String::from(env!("CARGO_PKG_VERSION"))
}
