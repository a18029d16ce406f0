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
use pyo3::types::{PyList, PyString, PyTuple};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Why a call failed, carried out of the GIL-free section.
enum Failure {
    /// The input was not valid JSON or not of the expected shape (or, never in practice, the
    /// output could not be serialised).
    Json(serde_json::Error),
    /// The input had the wrong shape at `path` (`clusters[1].nodes`; empty at the top).
    Input {
        /// Where in the input, as serde_path_to_error writes it.
        path: String,
        /// What was wrong there.
        error: serde_json::Error,
    },
    /// The core rejected the input.
    Core(cidrplan::Error),
    /// The core panicked: a bug, reported as a `CidrplanError` rather than pyo3's
    /// `PanicException` (a `BaseException` that `except Exception` would not catch).
    Panic(String),
}

/// Runs `work` with the GIL released, turning a panic into [`Failure::Panic`].
fn without_gil<T, W>(py: Python<'_>, work: W) -> PyResult<T>
where
    T: Send,
    W: FnOnce() -> Result<T, Failure> + Send,
{
    let outcome = py.detach(move || {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or_else(|payload| {
            let message = payload
                .downcast_ref::<&str>()
                .map(|text| (*text).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Err(Failure::Panic(message))
        })
    });
    outcome.map_err(|failure| raise(py, failure))
}

/// Runs one wire operation on JSON text with the GIL released.
fn run<I, O, F>(py: Python<'_>, input: String, op: F) -> PyResult<String>
where
    I: DeserializeOwned,
    O: Serialize,
    F: FnOnce(&I) -> cidrplan::Result<O> + Send,
{
    without_gil(py, move || {
        let parsed: I = parse(&input)?;
        let output = op(&parsed).map_err(Failure::Core)?;
        serde_json::to_string(&output).map_err(Failure::Json)
    })
}

/// Reads a wire input from its JSON text, keeping the path to a value of the wrong shape.
fn parse<I: DeserializeOwned>(input: &str) -> Result<I, Failure> {
    let mut de = serde_json::Deserializer::from_str(input);
    let parsed = serde_path_to_error::deserialize(&mut de).map_err(|e| Failure::Input {
        path: e.path().to_string(),
        error: e.into_inner(),
    })?;
    de.end().map_err(Failure::Json)?;
    Ok(parsed)
}

/// Runs one wire operation on an input built from Python objects, with the GIL released.
fn run_parsed<I, O, F>(py: Python<'_>, input: I, op: F) -> PyResult<String>
where
    I: Send,
    O: Serialize,
    F: FnOnce(&I) -> cidrplan::Result<O> + Send,
{
    without_gil(py, move || {
        let output = op(&input).map_err(Failure::Core)?;
        serde_json::to_string(&output).map_err(Failure::Json)
    })
}

fn raise(py: Python<'_>, failure: Failure) -> PyErr {
    match failure {
        Failure::Json(err) => errors::input_error(py, "", &err),
        Failure::Input { path, error } => errors::input_error(py, &path, &error),
        Failure::Core(err) => errors::to_py(py, &err),
        Failure::Panic(message) => errors::internal_error(py, &message),
    }
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

/// The CIDR text of a list item: `str` as it is, anything else through `convert` (the
/// package's `ipaddress` -> text hook, which raises `InputError` for non-CIDRs).
fn cidr_of(item: &Bound<'_, PyAny>, convert: &Bound<'_, PyAny>) -> PyResult<String> {
    match item.cast::<PyString>() {
        Ok(text) => Ok(text.to_str()?.to_owned()),
        Err(_) => Ok(convert
            .call1((item,))?
            .cast::<PyString>()?
            .to_str()?
            .to_owned()),
    }
}

/// [`aggregate`] for a Python list, without the JSON round trip: each item's text is read
/// where Python keeps it and parsed straight into an address range, and the result comes
/// back as a list of `str`, each written from one reused buffer.
///
/// Aggregating is the hot path of IPAM scripts (hundreds of thousands of routes), and
/// Terraform and Ansible run it in a fresh process each time, where every byte the call
/// allocates is a page the kernel maps for the first time (and glibc hands large blocks
/// back to the kernel after each call, so warm calls pay part of it again). Copying each
/// CIDR into a Rust `String`, parsing the copies into a `Vec<Prefix>` and returning a
/// `Vec<String>` touched about 27 MB for 10^5 prefixes (6,900 page faults, most of the
/// first call's time); this path keeps only the ranges (8 bytes an IPv4 prefix), the
/// set's own arrays and the output (bindings/python/bench/RESULTS.md has the figures).
/// The set is the core's [`cidrplan::AddrSet`] made the way `AddrSet::from_prefixes`
/// makes it: an [`cidrplan::IntervalSet`] per family, IPv4 blocks first.
///
/// Errors are those of the wire operation, in its order: a `convert` failure as it comes,
/// then the limit on the number of prefixes, then the first prefix that does not parse.
#[pyfunction]
#[pyo3(signature = (prefixes, convert, lenient = false))]
fn aggregate_list<'py>(
    py: Python<'py>,
    prefixes: &Bound<'py, PyList>,
    convert: &Bound<'py, PyAny>,
    lenient: bool,
) -> PyResult<Bound<'py, PyList>> {
    use cidrplan::{Family, IntervalSet, Prefix};
    let mode = cidrplan::ParseMode::from_lenient(lenient);
    let mut v4: Vec<(u32, u32)> = Vec::with_capacity(prefixes.len());
    let mut v6: Vec<(u128, u128)> = Vec::new();
    let mut first_error: Option<cidrplan::Error> = None;
    for item in prefixes.iter() {
        let result = match item.cast::<PyString>() {
            Ok(text) => Prefix::parse_with(text.to_str()?, mode),
            Err(_) => {
                let text = convert.call1((&item,))?.cast_into::<PyString>()?;
                Prefix::parse_with(text.to_str()?, mode)
            }
        };
        match result {
            Ok(p) if p.family() == Family::V4 => v4.push((p.first() as u32, p.last() as u32)),
            Ok(p) => v6.push((p.first(), p.last())),
            Err(err) => {
                first_error.get_or_insert(err);
            }
        }
    }
    let count = prefixes.len();
    if count > cidrplan::limits::MAX_PREFIXES {
        let max = cidrplan::limits::MAX_PREFIXES as u128;
        let err = cidrplan::Error::limit("prefixes", max, count as u128);
        return Err(raise(py, Failure::Core(err)));
    }
    if let Some(err) = first_error {
        return Err(raise(py, Failure::Core(err)));
    }
    let (v4, v6) = without_gil(py, move || {
        let v4 = IntervalSet::from_ranges(v4).to_blocks();
        let v6 = IntervalSet::from_ranges(v6).to_blocks();
        Ok((v4, v6))
    })?;
    let blocks = v4
        .iter()
        .map(|&(first, len)| (Family::V4, u128::from(first), len))
        .chain(v6.iter().map(|&(first, len)| (Family::V6, first, len)));
    let mut text = String::with_capacity(48);
    let mut strings = Vec::with_capacity(v4.len() + v6.len());
    for (family, first, len) in blocks {
        use std::fmt::Write;
        let prefix =
            Prefix::new(family, first, len).map_err(|err| raise(py, Failure::Core(err)))?;
        text.clear();
        // Writing to a String cannot fail.
        let _ = write!(text, "{prefix}");
        strings.push(PyString::new(py, &text));
    }
    PyList::new(py, strings)
}

/// One `overlaps` item from a list: a CIDR, or a `(name, cidr)` tuple or list. `None` for
/// other shapes, which take the JSON path.
fn item_of(
    item: &Bound<'_, PyAny>,
    convert: &Bound<'_, PyAny>,
) -> PyResult<Option<wire::ItemEntry>> {
    if let Ok(text) = item.cast::<PyString>() {
        return Ok(Some(wire::ItemEntry::Cidr(text.to_str()?.to_owned())));
    }
    let pair = if let Ok(tuple) = item.cast::<PyTuple>() {
        (tuple.len() == 2).then(|| (tuple.get_item(0), tuple.get_item(1)))
    } else if let Ok(list) = item.cast::<PyList>() {
        (list.len() == 2).then(|| (list.get_item(0), list.get_item(1)))
    } else {
        return Ok(Some(wire::ItemEntry::Cidr(cidr_of(item, convert)?)));
    };
    match pair {
        Some((name, cidr)) => match name?.cast::<PyString>() {
            Ok(name) => Ok(Some(wire::ItemEntry::Pair(
                name.to_str()?.to_owned(),
                cidr_of(&cidr?, convert)?,
            ))),
            Err(_) => Ok(None),
        },
        None => Ok(None),
    }
}

/// [`overlaps`] for a Python list of CIDRs and `(name, cidr)` pairs, without JSON on the
/// way in (the report, usually short, comes back as JSON text). Returns `None` when an
/// item has another shape, for the caller to take the JSON path.
#[pyfunction]
#[pyo3(signature = (items, convert, expected, max_listed = None, lenient = false))]
fn overlaps_list(
    py: Python<'_>,
    items: &Bound<'_, PyList>,
    convert: &Bound<'_, PyAny>,
    expected: Vec<(String, String)>,
    max_listed: Option<u64>,
    lenient: bool,
) -> PyResult<Option<String>> {
    let mut entries = Vec::with_capacity(items.len());
    for item in items.iter() {
        match item_of(&item, convert)? {
            Some(entry) => entries.push(entry),
            None => return Ok(None),
        }
    }
    let input = wire::OverlapsInput {
        items: wire::NamedList(entries),
        expected,
        max_listed,
        lenient,
    };
    run_parsed(py, input, wire::overlaps).map(Some)
}

/// Plans the clusters of a plan request: the request's JSON -> the plan's JSON.
#[pyfunction]
fn plan(py: Python<'_>, input: String) -> PyResult<String> {
    run(py, input, cidrplan::k8s::plan)
}

/// Re-plans with a previous plan: `{"spec", "previous", "release"}` -> the plan's JSON.
#[pyfunction]
fn replan(py: Python<'_>, input: String) -> PyResult<String> {
    run(py, input, wire::replan)
}

/// What changed between two plans: `{"old", "new"}` -> `{"changes", "kept", "breaking"}`.
#[pyfunction]
fn diff(py: Python<'_>, input: String) -> PyResult<String> {
    run(py, input, wire::diff)
}

/// Ranks the network models for a plan request: -> `{"ranking": [...]}`.
#[pyfunction]
fn recommend(py: Python<'_>, input: String) -> PyResult<String> {
    run(py, input, cidrplan::k8s::recommend)
}

/// Sizes one cluster's ranges: a sizing request's JSON -> the sizing's JSON.
#[pyfunction]
fn sizing(py: Python<'_>, input: String) -> PyResult<String> {
    run(py, input, cidrplan::k8s::size)
}

/// Plans a plan request and renders the plan as configuration text in `format`; `force`
/// renders a plan whose ranges collide.
#[pyfunction]
#[pyo3(signature = (input, format, force = false))]
fn export(py: Python<'_>, input: String, format: String, force: bool) -> PyResult<String> {
    without_gil(py, move || {
        let request: cidrplan::k8s::PlanRequest = parse(&input)?;
        wire::export(&request, &format, force).map_err(Failure::Core)
    })
}

/// Imports an inventory text of `format` (`auto` recognises the shape): -> the plan
/// request fragment's JSON (`network`, `clusters`, `sources`, `ranges`, `skipped`,
/// `overlaps`, `warnings`).
#[pyfunction]
fn import_allocations(py: Python<'_>, format: String, text: String) -> PyResult<String> {
    without_gil(py, move || {
        let fragment = wire::import_allocations(&format, &text).map_err(Failure::Core)?;
        serde_json::to_string(&fragment).map_err(Failure::Json)
    })
}

/// The names `export` accepts, in the core's order.
#[pyfunction]
fn export_formats() -> Vec<&'static str> {
    cidrplan::export::ExportFormat::ALL
        .iter()
        .map(|format| format.as_str())
        .collect()
}

/// The core's built-in example plan request (the talk's network), as JSON text.
#[pyfunction]
fn example_spec(py: Python<'_>) -> PyResult<String> {
    serde_json::to_string(&cidrplan::k8s::example())
        .map_err(|err| errors::input_error(py, "", &err))
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
    m.add_function(wrap_pyfunction!(aggregate_list, m)?)?;
    m.add_function(wrap_pyfunction!(overlaps_list, m)?)?;
    m.add_function(wrap_pyfunction!(exclude, m)?)?;
    m.add_function(wrap_pyfunction!(carve, m)?)?;
    m.add_function(wrap_pyfunction!(plan, m)?)?;
    m.add_function(wrap_pyfunction!(recommend, m)?)?;
    m.add_function(wrap_pyfunction!(replan, m)?)?;
    m.add_function(wrap_pyfunction!(diff, m)?)?;
    m.add_function(wrap_pyfunction!(sizing, m)?)?;
    m.add_function(wrap_pyfunction!(export, m)?)?;
    m.add_function(wrap_pyfunction!(export_formats, m)?)?;
    m.add_function(wrap_pyfunction!(import_allocations, m)?)?;
    m.add_function(wrap_pyfunction!(example_spec, m)?)?;
    m.add_function(wrap_pyfunction!(error_codes, m)?)?;
    m.add_function(wrap_pyfunction!(exception_for, m)?)?;
    Ok(())
}
