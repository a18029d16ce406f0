//! Python extension `cidrplan._native`: the core's wire functions, JSON text in and out.
//!
//! Every operation takes the wire input of `docs/ARCHITECTURE.md` as JSON text and returns
//! the wire output as JSON text. The pure-Python package (`python/cidrplan`) normalises
//! Python arguments (stdlib `ipaddress` objects, mappings, pairs) into that input and
//! decodes the output, so this crate stays a thin, typed pipe and the Python, JS and CLI
//! surfaces share one definition of every shape. JSON text is also the fastest way across
//! the boundary for large inputs: `json.dumps` and `serde_json` are both C/Rust loops, and
//! the core runs with the GIL released.

mod errors;

use cidrplan::wire;
use pyo3::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Why a call failed, carried out of the GIL-free section.
enum Failure {
    /// The input was not valid JSON or not of the expected shape (or, never in practice, the
    /// output could not be serialised).
    Json(serde_json::Error),
    /// The core rejected the input.
    Core(cidrplan::Error),
}

/// Runs one wire operation on JSON text with the GIL released.
fn run<I, O, F>(py: Python<'_>, input: String, op: F) -> PyResult<String>
where
    I: DeserializeOwned,
    O: Serialize,
    F: FnOnce(&I) -> cidrplan::Result<O> + Send,
{
    let outcome = py.detach(move || {
        let parsed: I = serde_json::from_str(&input).map_err(Failure::Json)?;
        let output = op(&parsed).map_err(Failure::Core)?;
        serde_json::to_string(&output).map_err(Failure::Json)
    });
    outcome.map_err(|failure| match failure {
        Failure::Json(err) => errors::input_error(py, &err),
        Failure::Core(err) => errors::to_py(py, &err),
    })
}

/// All overlaps among named prefixes: `{"items": ...}` -> `{"overlaps": [...], ...}`.
#[pyfunction]
fn overlaps(py: Python<'_>, input: String) -> PyResult<String> {
    run(py, input, wire::overlaps)
}

/// Minimal CIDR cover of a union: `{"prefixes": [...]}` -> `{"prefixes": [...]}`.
#[pyfunction]
fn aggregate(py: Python<'_>, input: String) -> PyResult<String> {
    run(py, input, wire::aggregate)
}

/// Free space of a parent: `{"parent": .., "used": [...]}` -> `{"free": [...]}`.
#[pyfunction]
fn exclude(py: Python<'_>, input: String) -> PyResult<String> {
    run(py, input, wire::exclude)
}

/// Carves named requests out of pools: `{"pools", "requests", ...}` -> `{"allocations", ...}`.
#[pyfunction]
fn carve(py: Python<'_>, input: String) -> PyResult<String> {
    run(py, input, wire::carve)
}

/// Every code a `CidrplanError` can carry, as the core lists them.
#[pyfunction]
fn error_codes() -> Vec<&'static str> {
    cidrplan::Error::ALL_CODES.to_vec()
}

/// The exception the extension raises for `code` (used by the tests of the error mapping).
#[pyfunction]
fn exception_for(py: Python<'_>, code: &str, message: &str) -> Py<PyAny> {
    errors::exception(py, code, message)
        .into_value(py)
        .into_any()
}

/// The compiled half of the `cidrplan` package.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(overlaps, m)?)?;
    m.add_function(wrap_pyfunction!(aggregate, m)?)?;
    m.add_function(wrap_pyfunction!(exclude, m)?)?;
    m.add_function(wrap_pyfunction!(carve, m)?)?;
    m.add_function(wrap_pyfunction!(error_codes, m)?)?;
    m.add_function(wrap_pyfunction!(exception_for, m)?)?;
    Ok(())
}
