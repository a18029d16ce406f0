//! Runs the Kubernetes planning cases of
//! `tests/vectors/{plan,recommend,sizing,replan,diff}.json`.
//!
//! Case format (shared with the JS and Python tests): `{"name", "input", "match":
//! "subset", "expected"}` or `{"name", "input", "error": {"code", "message_contains"?}}`.
//! `input` is the wire input: a plan request for `plan` and `recommend`, a sizing request
//! for `sizing`. An input that does not deserialize (unknown field, bad prefix) is an
//! `invalid_input` error, as in every binding.
//!
//! `"match": "subset"` compares like this, recursively: every key of an expected object
//! must be in the output with a matching value (keys the output adds are ignored); an
//! expected list must have exactly as many items as the output's, matched by position;
//! anything else must be equal. Plans and rankings carry far more than a case needs to pin
//! down, so a case states what it is about and stays valid when outputs gain keys.

use std::path::PathBuf;

use cidrplan::k8s::{plan, recommend, size, PlanRequest, SizingRequest};
use serde_json::Value;

fn load(file: &str) -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/vectors")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Where `got` fails to match `expected` under the subset rule, if anywhere.
fn mismatch(expected: &Value, got: &Value, path: &str) -> Option<String> {
    match (expected, got) {
        (Value::Object(want), Value::Object(have)) => want.iter().find_map(|(key, value)| {
            let at = format!("{path}.{key}");
            match have.get(key) {
                Some(found) => mismatch(value, found, &at),
                None => Some(format!("{at}: missing")),
            }
        }),
        (Value::Array(want), Value::Array(have)) => {
            if want.len() != have.len() {
                return Some(format!(
                    "{path}: {} items, expected {}",
                    have.len(),
                    want.len()
                ));
            }
            want.iter()
                .zip(have)
                .enumerate()
                .find_map(|(i, (w, h))| mismatch(w, h, &format!("{path}[{i}]")))
        }
        _ if expected == got => None,
        _ => Some(format!("{path}: got {got}, expected {expected}")),
    }
}

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

fn check(file: &str, op: fn(&Value) -> Result<Value, (String, String)>) -> usize {
    let cases = load(file);
    assert!(!cases.is_empty(), "{file} has no cases");
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        let result = op(&case["input"]);
        match (case.get("expected"), case.get("error"), result) {
            (Some(expected), None, Ok(got)) => {
                assert_eq!(
                    case["match"], "subset",
                    "{file}: {name}: unknown match rule"
                );
                if let Some(why) = mismatch(expected, &got, "$") {
                    panic!("{file}: {name}: {why}\noutput: {got:#}");
                }
            }
            (None, Some(error), Err((code, message))) => {
                assert_eq!(code, error["code"], "{file}: {name}: {message}");
                if let Some(part) = error.get("message_contains").and_then(Value::as_str) {
                    assert!(
                        message.contains(part),
                        "{file}: {name}: {message:?} lacks {part:?}"
                    );
                }
            }
            (_, _, got) => panic!("{file}: {name}: unexpected result {got:?}"),
        }
    }
    cases.len()
}

#[test]
fn sizing_vectors() {
    let ran = check("sizing.json", |input| run::<SizingRequest, _>(input, size));
    assert!(ran >= 9, "the GKE table alone has nine rows");
}

#[test]
fn plan_vectors() {
    check("plan.json", |input| run::<PlanRequest, _>(input, plan));
}

#[test]
fn recommend_vectors() {
    check("recommend.json", |input| {
        run::<PlanRequest, _>(input, recommend)
    });
}

#[test]
fn replan_vectors() {
    let ran = check("replan.json", |input| {
        run::<cidrplan::wire::ReplanInput, _>(input, cidrplan::wire::replan)
    });
    assert!(ran >= 10, "replan.json keeps its cases");
}

#[test]
fn diff_vectors() {
    check("diff.json", |input| {
        run::<cidrplan::wire::DiffInput, _>(input, cidrplan::wire::diff)
    });
}

#[test]
fn subset_rule() {
    let got = serde_json::json!({"a": 1, "b": [{"x": 1, "y": 2}], "c": "extra"});
    assert_eq!(
        mismatch(&serde_json::json!({"b": [{"x": 1}]}), &got, "$"),
        None
    );
    assert!(mismatch(&serde_json::json!({"b": []}), &got, "$").is_some());
    assert!(mismatch(&serde_json::json!({"d": 1}), &got, "$").is_some());
    assert!(mismatch(&serde_json::json!({"a": 2}), &got, "$").is_some());
}
