//! How arguments cross into wasm: as plain JS values, after a bound on their shape, or, for
//! the lists of strings that are the bulk of most inputs, as one text of lines.
//!
//! Reading recurses once per nesting level, on the wasm stack, so `[[[[...]]]]` nested a
//! hundred thousand deep would overflow the stack, and a wasm trap leaves the module's
//! stack pointer corrupt for every later call. The walk that bounds it is in `js/shape.js`,
//! iterative and in plain JS.

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
    #[wasm_bindgen(js_name = cidrplanToPlain)]
    fn to_plain(value: &JsValue, max_depth: u32, max_values: u32) -> js_sys::Array;

    #[wasm_bindgen(js_name = cidrplanLinesLength)]
    fn lines_length(value: &JsValue) -> f64;

    #[wasm_bindgen(js_name = cidrplanWriteLines)]
    fn write_lines(value: &JsValue, out: &mut [u8]) -> f64;

    #[wasm_bindgen(js_name = cidrplanEncodedCount)]
    fn encoded_count() -> u32;

    #[wasm_bindgen(js_name = cidrplanSplitLines)]
    fn split_lines(text: &str) -> JsValue;
}

/// A list of ASCII strings without newlines as one text, one string per line, written by
/// `js/shape.js` straight into a buffer allocated here; `None` for anything else.
fn encode_lines(value: &JsValue) -> Option<Vec<u8>> {
    let len = lines_length(value);
    // Also refuses NaN; a text this long could not be held anyway.
    if !(0.0..=f64::from(u32::MAX)).contains(&len) {
        return None;
    }
    let mut text = vec![0u8; len as usize];
    let written = write_lines(value, &mut text);
    if !(0.0..=len).contains(&written) {
        return None;
    }
    text.truncate(written as usize);
    Some(text)
}

/// A list of prefix strings parsed in bulk: `None` when `value` is not a list of strings
/// or one of them holds a newline (the general path then reports it precisely); otherwise
/// the same prefixes, or the same error, as parsing each string.
pub(crate) fn fast_prefixes(
    value: &JsValue,
    lenient: bool,
) -> Option<Result<Vec<cidrplan::Prefix>, JsValue>> {
    let text = encode_lines(value)?;
    let count = encoded_count() as usize;
    let lines = || text.iter().filter(|&&b| b == b'\n').count() + 1;
    match cidrplan::wire::parse_lines(&text, lenient) {
        Ok(list) if list.len() == count => Some(Ok(list)),
        Err(error) if lines() == count => Some(Err(core_error(error))),
        _ => None,
    }
}

/// A list of plain strings crossing as one text; `None` for anything else.
pub(crate) fn fast_strings(value: &JsValue) -> Option<Vec<String>> {
    let text = String::from_utf8(encode_lines(value)?).ok()?;
    let count = encoded_count() as usize;
    let list: Vec<String> = text.split('\n').map(String::from).collect();
    (list.len() == count).then_some(list)
}

/// A list of strings for JS, crossing the boundary as one text.
pub(crate) fn strings_to_js(list: &[String]) -> JsValue {
    split_lines(&cidrplan::wire::join(list, "\n"))
}

/// Prefixes for JS as canonical strings, crossing the boundary as one text.
pub(crate) fn prefixes_to_js(list: &[cidrplan::Prefix]) -> JsValue {
    split_lines(&cidrplan::wire::join_lines(list))
}

/// The argument as plain data (made in `js/shape.js`: objects, arrays, strings, finite
/// numbers, booleans and `null`), or the error naming why it cannot be read: nested deeper
/// than [`MAX_DEPTH`], holding more than [`MAX_VALUES`] values, throwing when read, or
/// holding a value JSON cannot carry.
pub(crate) fn plain(field: &str, value: &JsValue) -> Result<JsValue, JsValue> {
    let verdict = to_plain(value, MAX_DEPTH, MAX_VALUES);
    if verdict.length() == 1 {
        return Ok(verdict.get(0));
    }
    let detail = verdict.get(1);
    if verdict.get(0).as_string().as_deref() == Some("limit_exceeded") {
        let actual = detail.as_f64().unwrap_or(0.0) as u128;
        return Err(core_error(cidrplan::Error::limit(
            "values in one argument",
            u128::from(MAX_VALUES),
            actual,
        )));
    }
    let path = verdict.get(2).as_string().unwrap_or_default();
    let detail = detail.as_string().unwrap_or_default();
    Err(input_error(&format!("{field}{path}"), &detail))
}
