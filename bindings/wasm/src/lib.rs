//! WebAssembly bindings of [`cidrplan`]: the npm package `cidrplan`.
//!
//! Every function takes plain JS values and reads them into the core's wire input types
//! (`cidrplan::wire`, `cidrplan::k8s`) with serde-wasm-bindgen, after a bound on their shape
//! (`src/shape.rs`). Results are written with serde-wasm-bindgen's `json_compatible()`
//! serializer, so JS receives plain objects, arrays, strings, numbers and `null` (never a
//! Map or `undefined`) — the same shapes as the CLI's `--json` output and the Python
//! module's return values. Errors are thrown as real JS `Error` objects carrying the core's
//! stable `code` (see `src/errors.rs`); a value of the wrong shape is named by its path
//! (`spec.clusters[1].nodes`).
//!
//! Inputs go through a `serde_json::Value` (see `Cargo.toml`): serde-wasm-bindgen reads a
//! struct by looking up its declared fields, so an unknown key would pass unnoticed, while
//! `Value` keeps every key, in order, for the derived code's `deny_unknown_fields`.
//! Lists of CIDR strings, the bulk of most inputs and outputs, cross as one text of lines
//! instead.
//!
//! Positional arguments follow the brief's signatures (`exclude(parent, used)`,
//! `carve(pools, requests, reserved, strategy)`), each named like its wire field so a
//! malformed argument is reported under that name; a trailing `options` object carries the
//! wire format's optional fields (`lenient`, and `expected`/`max_listed` for `overlaps`).
//! Each argument is read on its own, so an error names the argument first.

mod errors;
mod options;
mod shape;

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use cidrplan::wire;

use errors::{core_error, input_error};

/// Talc instead of the standard library's dlmalloc: smaller, and faster in WebAssembly.
/// The package runs on one thread (no `atomics`), which this allocator requires.
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

// The TypeScript declarations: every function is marked `skip_typescript`, and
// `scripts/build.mjs` writes the declarations of `scripts/types.mjs` instead: the wire types
// generated from the core's JSON Schemas (`schemas/`) and the functions of
// `src/functions.d.ts`.

/// Reads one argument; a value of the wrong shape becomes an `invalid_input` error whose
/// field is the argument's name (its wire field name) and the path inside it. Only the
/// derived read is generic: the steps around it are shared by every argument type, so they
/// are compiled once rather than once per type (a few KB of the module).
fn arg<T: DeserializeOwned>(field: &str, value: JsValue) -> Result<T, JsValue> {
    serde_path_to_error::deserialize(plain_value(field, value)?).map_err(|e| path_error(field, e))
}

/// The argument, bounded and made plain (see [`shape::plain`]), as a `serde_json::Value`.
fn plain_value(field: &str, value: JsValue) -> Result<serde_json::Value, JsValue> {
    let value = shape::plain(field, &value)?;
    serde_wasm_bindgen::from_value(value).map_err(|e| input_error(field, &e.to_string()))
}

/// The `invalid_input` error of a value of the wrong shape, named by the argument and the
/// path inside it.
fn path_error(field: &str, e: serde_path_to_error::Error<serde_json::Error>) -> JsValue {
    let path = e.path().to_string();
    let path = match path.as_str() {
        "." => String::new(),
        p if p.starts_with('[') => String::from(p),
        p => format!(".{p}"),
    };
    input_error(
        &format!("{field}{path}"),
        wire::without_entry(&e.into_inner().to_string()),
    )
}

/// A list of CIDR strings: the common case crosses as one string (see [`shape::fast_strings`]).
fn strings_arg(field: &str, value: JsValue) -> Result<Vec<String>, JsValue> {
    match shape::fast_strings(&value) {
        Some(list) => Ok(list),
        None => arg(field, value),
    }
}

/// An optional argument as given: `None` for `undefined` and `null`, which take the default.
fn given(value: Option<JsValue>) -> Option<JsValue> {
    value.filter(|v| !v.is_undefined() && !v.is_null())
}

/// An optional argument: `undefined` and `null` take the default.
fn opt_arg<T: DeserializeOwned + Default>(
    field: &str,
    value: Option<JsValue>,
) -> Result<T, JsValue> {
    given(value).map_or(Ok(T::default()), |v| arg(field, v))
}

/// An optional list of CIDR strings.
fn opt_strings_arg(field: &str, value: Option<JsValue>) -> Result<Vec<String>, JsValue> {
    given(value).map_or(Ok(Vec::new()), |v| strings_arg(field, v))
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

/// Serializes a wire output as plain JSON-compatible JS values (objects, arrays, `null`).
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| input_error("output", &e.to_string()))
}

/// Every overlap among named prefixes: `{overlaps: [{a, a_cidr, b, b_cidr, relation}],
/// total, truncated}`.
///
/// `items` is a list of CIDR strings, a list of `[name, cidr]` pairs, or an object mapping
/// name to CIDR. `options` may carry `expected` (`[[parent, child]]` pairs not to report),
/// `max_listed` and `lenient`.
#[wasm_bindgen(skip_typescript)]
pub fn overlaps(items: JsValue, options: Option<JsValue>) -> Result<JsValue, JsValue> {
    let options = opt_arg::<options::OverlapsOptions>("options", options)?;
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
    let options = opt_arg::<options::ParseOptions>("options", options)?;
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
    let options = opt_arg::<options::ParseOptions>("options", options)?;
    let parent: String = arg("parent", parent)?;
    // As in `aggregate`: a list of plain strings crosses as one text. The parent is parsed
    // first, as wire::exclude does, so errors come in the same order.
    if let Some(list) = used.as_ref().filter(|u| js_sys::Array::is_array(u)) {
        let parent = cidrplan::Prefix::parse_with(
            &parent,
            cidrplan::ParseMode::from_lenient(options.lenient),
        );
        if let Some(parsed) = shape::fast_prefixes(list, options.lenient) {
            let free =
                cidrplan::exclude(parent.map_err(core_error)?, &parsed?).map_err(core_error)?;
            return Ok(wrap("free", &shape::prefixes_to_js(&free)));
        }
    }
    let input = wire::ExcludeInput {
        parent,
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
    let options = opt_arg::<options::ParseOptions>("options", options)?;
    let strategy = match given(strategy) {
        Some(v) => arg("strategy", v)?,
        None => cidrplan::Strategy::BestFit.as_str().into(),
    };
    let input = wire::CarveWireInput {
        pools: strings_arg("pools", pools)?,
        requests: arg("requests", requests)?,
        reserved: opt_strings_arg("reserved", reserved)?,
        strategy,
        lenient: options.lenient,
    };
    to_js(&wire::carve(&input).map_err(core_error)?)
}

/// Plans address space for the clusters of `spec` (a plan request: network, clusters,
/// requirements, model): every range placed, with reachability, holes, warnings and
/// headroom, and the ranking of the models.
///
/// `options.previous` is the fleet's previous plan (a `plan` result or the JSON of
/// `cidrplan plan --json`): every cluster in it keeps every range; `options.release` names
/// clusters of it whose ranges are given up.
#[wasm_bindgen(skip_typescript)]
pub fn plan(spec: JsValue, options: Option<JsValue>) -> Result<JsValue, JsValue> {
    let request: cidrplan::k8s::PlanRequest = arg("spec", spec)?;
    let mut plan_options = cidrplan::k8s::PlanOptions::default();
    if let Some(options) = given(options) {
        let field = |key: &str| js_sys::Reflect::get(&options, &JsValue::from_str(key)).ok();
        if let Some(previous) = given(field("previous")) {
            // The previous plan's derived code skips the many keys a plan derives from
            // its ranges.
            plan_options.previous = Some(arg("options.previous", previous)?);
        }
        plan_options.release = opt_strings_arg("options.release", field("release"))?;
    }
    to_js(&cidrplan::k8s::plan_with(&request, &plan_options).map_err(core_error)?)
}

/// What changed from plan `old` to plan `new`: `{changes: [{cluster, range, change, old,
/// new}], kept, breaking}`; `breaking` when an existing range moved or shrank, or a mesh
/// id or Cilium name changed.
#[wasm_bindgen(skip_typescript)]
pub fn diff(old: JsValue, new: JsValue) -> Result<JsValue, JsValue> {
    let old: cidrplan::k8s::PreviousPlan = arg("old", old)?;
    let new: cidrplan::k8s::PreviousPlan = arg("new", new)?;
    to_js(&cidrplan::k8s::diff(&old, &new).map_err(core_error)?)
}

/// Scores the five network models for `spec`, each with its reasons: `{ranking: [...]}`.
#[wasm_bindgen(skip_typescript)]
pub fn recommend(spec: JsValue) -> Result<JsValue, JsValue> {
    let request: cidrplan::k8s::PlanRequest = arg("spec", spec)?;
    to_js(&cidrplan::k8s::recommend(&request).map_err(core_error)?)
}

/// The sizing rules for one cluster, without a network: per-node mask, pod, service and
/// node-subnet lengths (`{max_nodes, max_pods_per_node?, services?, family?, cloud?, ...}`).
#[wasm_bindgen(skip_typescript)]
pub fn sizing(request: JsValue) -> Result<JsValue, JsValue> {
    let request = arg::<cidrplan::k8s::SizingRequest>("request", request)?;
    to_js(&cidrplan::k8s::size(&request).map_err(core_error)?)
}

/// Plans `spec`, then renders the plan as configuration text in `format` (one of
/// [`export_formats`]); `options.force` renders a plan whose ranges collide.
#[wasm_bindgen(js_name = exportConfig, skip_typescript)]
pub fn export_config(
    spec: JsValue,
    format: JsValue,
    options: Option<JsValue>,
) -> Result<String, JsValue> {
    let options = opt_arg::<options::ExportOptions>("options", options)?;
    let request: cidrplan::k8s::PlanRequest = arg("spec", spec)?;
    let format: String = arg("format", format)?;
    wire::export(&request, &format, options.force).map_err(core_error)
}

/// Imports an inventory `text` of `format` (a format name, or `auto` to recognise the
/// shape): a plan request fragment `{network: {pools, allocations}, clusters, sources,
/// ranges, skipped, overlaps}`, allocations with their origin.
#[wasm_bindgen(js_name = importAllocations, skip_typescript)]
pub fn import_allocations(format: JsValue, text: JsValue) -> Result<JsValue, JsValue> {
    let format: String = arg("format", format)?;
    let text: String = arg("text", text)?;
    to_js(&wire::import_allocations(&format, &text).map_err(core_error)?)
}

/// The formats [`export_config`] renders, in a stable order.
#[wasm_bindgen(js_name = exportFormats, skip_typescript)]
pub fn export_formats() -> JsValue {
    let names: Vec<String> = cidrplan::export::ExportFormat::ALL
        .iter()
        .map(|f| String::from(f.as_str()))
        .collect();
    shape::strings_to_js(&names)
}

/// The built-in example plan request: the network of the talk (10.0.0.0/8 with a host
/// that pods must reach, and two clusters), the CLI's `cidrplan plan` with no file.
#[wasm_bindgen(skip_typescript)]
pub fn example() -> Result<JsValue, JsValue> {
    to_js(&cidrplan::k8s::example())
}

/// Every error code the package can throw (`err.code`), in a stable order.
#[wasm_bindgen(js_name = errorCodes, skip_typescript)]
pub fn error_codes() -> JsValue {
    let codes: Vec<String> = cidrplan::Error::ALL_CODES
        .iter()
        .map(|c| String::from(*c))
        .collect();
    shape::strings_to_js(&codes)
}

/// The version of the package (and of the Rust core it was built from).
#[wasm_bindgen(skip_typescript)]
pub fn version() -> String {
    String::from(env!("CARGO_PKG_VERSION"))
}
