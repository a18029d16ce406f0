//! A bound on the shape of every argument, checked before deserialization.
//!
//! serde-wasm-bindgen recurses once per nesting level, on the wasm stack; untagged wire
//! types buffer whatever they are given, so `[[[[...]]]]` nested a hundred thousand deep
//! would overflow the stack, and a wasm trap leaves the module's stack pointer corrupt for
//! every later call. The walk itself is in `js/shape.js`, iterative and in plain JS.

use wasm_bindgen::prelude::*;

use crate::errors::{core_error, input_error};

/// Deeper than any wire input needs (a plan spec is about five levels deep).
pub(crate) const MAX_DEPTH: u32 = 32;

/// Most values (array elements, object properties) one argument may hold: enough for
/// [`cidrplan::limits::MAX_PREFIXES`] `[name, cidr]` pairs, and a bound on inputs whose
/// shared references would expand exponentially.
pub(crate) const MAX_VALUES: u32 = 64_000_000;

#[wasm_bindgen(module = "/js/shape.js")]
extern "C" {
    #[wasm_bindgen(js_name = cidrplanCheckShape)]
    fn check_shape(value: &JsValue, max_depth: u32, max_values: u32) -> JsValue;

    #[wasm_bindgen(js_name = cidrplanUnknownKey)]
    fn unknown_key(input: &JsValue, echo: &JsValue) -> Option<String>;

    #[wasm_bindgen(js_name = cidrplanJoinLines)]
    fn join_lines(value: &JsValue) -> Option<String>;

    #[wasm_bindgen(js_name = cidrplanSplitLines)]
    fn split_lines(text: &str) -> JsValue;

    #[wasm_bindgen(js_name = cidrplanPackIpv4)]
    fn pack_ipv4(value: &JsValue) -> Option<Vec<u32>>;

    #[wasm_bindgen(js_name = cidrplanFormatIpv4)]
    fn format_ipv4(pairs: &[u32]) -> JsValue;
}

/// A list of canonical IPv4 prefixes, packed by `js/shape.js` as (address, length) pairs;
/// `None` for any other list (or one over the core's prefix limit, which the string path
/// reports).
pub(crate) fn fast_ipv4(value: &JsValue) -> Option<Vec<cidrplan::Prefix>> {
    let pairs = pack_ipv4(value)?;
    if pairs.len() / 2 > cidrplan::limits::MAX_PREFIXES {
        return None;
    }
    pairs
        .chunks_exact(2)
        .map(|p| {
            let len = u8::try_from(p[1]).ok()?;
            cidrplan::Prefix::new(cidrplan::Family::V4, u128::from(p[0]), len).ok()
        })
        .collect()
}

/// IPv4 prefixes for JS as canonical strings, formatted on the JS side; `None` if any is
/// IPv6.
pub(crate) fn ipv4_to_js(list: &[cidrplan::Prefix]) -> Option<JsValue> {
    let mut pairs = Vec::with_capacity(list.len() * 2);
    for p in list {
        if p.family() != cidrplan::Family::V4 {
            return None;
        }
        pairs.push(u32::try_from(p.first()).ok()?);
        pairs.push(u32::from(p.len()));
    }
    Some(format_ipv4(&pairs))
}

/// A list of plain strings as one joined string (see `js/shape.js`), split here; `None` for
/// anything else, which then takes the general path.
pub(crate) fn fast_strings(value: &JsValue) -> Option<Vec<String>> {
    join_lines(value).map(|joined| joined.split('\n').map(String::from).collect())
}

/// A list of strings for JS, crossing the boundary as one joined string.
pub(crate) fn strings_to_js(list: &[String]) -> JsValue {
    split_lines(&list.join("\n"))
}

/// Rejects an argument nested deeper than [`MAX_DEPTH`], holding more than [`MAX_VALUES`]
/// values, or whose properties throw when read.
pub(crate) fn check(field: &str, value: &JsValue) -> Result<(), JsValue> {
    let verdict = check_shape(value, MAX_DEPTH, MAX_VALUES);
    if verdict.is_undefined() {
        return Ok(());
    }
    let verdict = js_sys::Array::from(&verdict);
    let detail = verdict.get(1);
    if verdict.get(0).as_string().as_deref() == Some("limit_exceeded") {
        let actual = detail.as_f64().unwrap_or(0.0) as u128;
        return Err(core_error(cidrplan::Error::limit(
            "values in one argument",
            u128::from(MAX_VALUES),
            actual,
        )));
    }
    let detail = detail.as_string().unwrap_or_default();
    Err(input_error(field, &detail))
}

/// Rejects keys of `input` that deserialization did not read, found by comparing `input`
/// with `echo`, the parsed value serialized back (see `js/shape.js`).
pub(crate) fn check_known_keys(
    field: &str,
    input: &JsValue,
    echo: &JsValue,
) -> Result<(), JsValue> {
    match unknown_key(input, echo) {
        None => Ok(()),
        Some(path) => {
            let key = path.rsplit('.').next().unwrap_or(&path);
            Err(input_error(
                &format!("{field}{path}"),
                &format!("unknown field `{key}`"),
            ))
        }
    }
}
