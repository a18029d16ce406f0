//! The one place where a core [`cidrplan::Error`] becomes a Python exception.
//!
//! The exception classes live in `cidrplan/errors.py` (so they carry Python docstrings and
//! pickle normally); this module only decides which class a code maps to and builds an
//! instance with `.code` set. Every public function of the extension funnels its errors
//! through [`to_py`] or [`input_error`], so no pyo3 `PanicException` or bare `Exception`
//! reaches users.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// Name of the class in `cidrplan.errors` raised for a core error `code`.
///
/// Each code of [`cidrplan::Error::ALL_CODES`] has an arm; the Python tests check that none
/// of them falls through to the base class.
pub fn class_name(code: &str) -> &'static str {
    match code {
        "invalid_prefix" | "host_bits_set" | "mixed_families" | "prefix_too_long" => "PrefixError",
        "space_exhausted" => "SpaceExhaustedError",
        "pinned_conflict" => "PinnedConflictError",
        "limit_exceeded" => "LimitExceededError",
        "invalid_request" => "RequestError",
        "invalid_input" => "InputError",
        "invalid_spec" => "SpecError",
        "infeasible" => "InfeasibleError",
        "collision" => "CollisionError",
        // A code added to the core after this binding was built still raises a
        // `CidrplanError` with the right `.code`.
        _ => "CidrplanError",
    }
}

/// Builds the Python exception for `code` and `message`.
pub fn exception(py: Python<'_>, code: &str, message: &str) -> PyErr {
    let built = PyModule::import(py, "cidrplan.errors")
        .and_then(|module| module.getattr(class_name(code)))
        .and_then(|class| class.call1((message, code)));
    match built {
        Ok(instance) => PyErr::from_value(instance),
        // Only reachable if the pure-Python half of the package is missing or broken.
        Err(import_error) => {
            let err = PyValueError::new_err(format!("{code}: {message}"));
            err.set_cause(py, Some(import_error));
            err
        }
    }
}

/// Converts a core error into its Python exception.
pub fn to_py(py: Python<'_>, err: &cidrplan::Error) -> PyErr {
    exception(py, err.code(), &err.to_string())
}

/// A wire input that is not valid JSON or does not have the documented shape at `path`
/// (`clusters[1].nodes`; empty or `.` for the whole input).
///
/// serde_json ends its messages with a position in the JSON text; the user never saw that
/// text (the Python layer wrote it), so the position is dropped, and the path names the
/// place instead.
pub fn input_error(py: Python<'_>, path: &str, err: &serde_json::Error) -> PyErr {
    let text = err.to_string();
    let message = match text.rfind(" at line ") {
        Some(at) if err.line() > 0 => &text[..at],
        _ => text.as_str(),
    };
    let message = if path.is_empty() || path == "." {
        format!("invalid input: {message}")
    } else {
        format!("invalid {path}: {}", cidrplan::wire::without_entry(message))
    };
    exception(py, "invalid_input", &message)
}

/// A panic in the core (a bug): a plain `CidrplanError` with code `internal_error`.
pub fn internal_error(py: Python<'_>, message: &str) -> PyErr {
    exception(
        py,
        "internal_error",
        &format!("internal error in cidrplan (please report this input): {message}"),
    )
}
