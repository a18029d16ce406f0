//! Runs the shared cases of `tests/vectors/*.json` that the core's wire format covers.
//!
//! Case format (shared with the JS and Python tests): `{"name", "input", "expected"}` or
//! `{"name", "input", "error": {"code", "message"?}}`. The file name is the operation,
//! except in `errors.json`, where each case names its operation in `"op"`. An input that
//! does not deserialize is an `invalid_input` error, as in every binding.

use std::path::PathBuf;

use cidrplan::wire;
use serde_json::Value;

fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors")
}

fn load(file: &str) -> Vec<Value> {
    let path = vectors_dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `Ok(output)` or `Err((code, message))`, as every surface reports it.
fn call(op: &str, input: &Value) -> Option<Result<Value, (String, String)>> {
    fn run<I: serde::de::DeserializeOwned, O: serde::Serialize>(
        input: &Value,
        f: fn(&I) -> cidrplan::Result<O>,
    ) -> Result<Value, (String, String)> {
        let parsed: I = serde_json::from_value(input.clone())
            .map_err(|e| ("invalid_input".to_string(), format!("invalid input: {e}")))?;
        f(&parsed)
            .map(|out| serde_json::to_value(out).expect("outputs serialize"))
            .map_err(|e| (e.code().to_string(), e.to_string()))
    }
    Some(match op {
        "overlaps" => run(input, wire::overlaps),
        "aggregate" => run(input, wire::aggregate),
        "exclude" => run(input, wire::exclude),
        "carve" => run(input, wire::carve),
        "plan" => run(input, cidrplan::k8s::plan),
        "recommend" => run(input, cidrplan::k8s::recommend),
        _ => return None,
    })
}

fn check_file(file: &str, op_of: impl Fn(&Value) -> String) {
    let cases = load(file);
    assert!(!cases.is_empty(), "{file} has no cases");
    let mut ran = 0;
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        let op = op_of(case);
        let Some(result) = call(&op, &case["input"]) else {
            continue;
        };
        ran += 1;
        match (&case.get("expected"), &case.get("error"), result) {
            (Some(expected), None, Ok(got)) => assert_eq!(&got, *expected, "{file}: {name}"),
            (None, Some(error), Err((code, message))) => {
                assert_eq!(
                    code,
                    error["code"].as_str().unwrap(),
                    "{file}: {name}: {message}"
                );
                if let Some(expected_message) = error.get("message").and_then(Value::as_str) {
                    assert_eq!(message, expected_message, "{file}: {name}");
                }
            }
            (_, _, got) => panic!("{file}: {name}: unexpected result {got:?}"),
        }
    }
    assert!(ran > 0, "{file}: no case ran");
}

#[test]
fn overlaps_vectors() {
    check_file("overlaps.json", |_| "overlaps".into());
}

#[test]
fn aggregate_vectors() {
    check_file("aggregate.json", |_| "aggregate".into());
}

#[test]
fn exclude_vectors() {
    check_file("exclude.json", |_| "exclude".into());
}

#[test]
fn carve_vectors() {
    check_file("carve.json", |_| "carve".into());
}

#[test]
fn error_vectors() {
    check_file("errors.json", |case| {
        case["op"].as_str().unwrap_or_default().to_string()
    });
}

/// Inputs that once misbehaved or sit on a documented limit (docs/limits.md), kept as
/// shared cases so every surface answers them alike; each names its operation in `"op"`.
#[test]
fn regression_vectors() {
    check_file("regressions.json", |case| {
        case["op"].as_str().unwrap_or_default().to_string()
    });
}
