//! The one place where errors become JS values.
//!
//! Every error reaches JS as a real `Error` (so `instanceof Error`, stack traces and
//! `err.message` behave as users expect) named `CidrplanError`, with `code` set to the
//! core's stable snake_case code. Structured details the core carries are copied onto the
//! error too (`field` for `invalid_input` and `invalid_spec`), so UIs can point at the
//! offending input without parsing messages.

use cidrplan::Error;
use wasm_bindgen::JsValue;

/// Builds the JS error: message, `name`, `code` and optional `field`.
fn js_error(code: &str, message: &str, field: Option<&str>) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name("CidrplanError");
    // Setting properties on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from_str(code));
    if let Some(field) = field {
        let _ = js_sys::Reflect::set(&err, &JsValue::from_str("field"), &JsValue::from_str(field));
    }
    err.into()
}

/// Converts a core error into the `Error` thrown to JS.
pub(crate) fn core_error(err: Error) -> JsValue {
    let message = err.to_string();
    // The core's enum is `#[non_exhaustive]`: variants added later still get their code
    // and message through the last arm; only the extra `field` property needs listing.
    let field = match &err {
        Error::InvalidInput { field, .. } | Error::InvalidSpec { field, .. } => {
            Some(field.as_str())
        }
        Error::InvalidPrefix { .. }
        | Error::HostBitsSet { .. }
        | Error::MixedFamilies { .. }
        | Error::PrefixTooLong { .. }
        | Error::SpaceExhausted { .. }
        | Error::PinnedConflict { .. }
        | Error::LimitExceeded { .. }
        | Error::InvalidRequest { .. }
        | Error::Infeasible { .. }
        | Error::Collision { .. } => None,
        _ => None,
    };
    js_error(err.code(), &message, field)
}

/// An input that does not have the wire format's shape: code `invalid_input`, with the
/// field path (`requests[2]`, `clusters[0].nodes`) in the message and in `field`.
pub(crate) fn input_error(path: &str, message: &str) -> JsValue {
    let field = if path.is_empty() || path == "." {
        "input"
    } else {
        path
    };
    core_error(Error::invalid_input(field, message))
}
