//! The core's wire functions over JSON lines, for the differential test of every surface
//! (tests/differential): each stdin line `OP<TAB>INPUT` (INPUT the wire input as JSON)
//! gets one stdout line, `{"ok": output}` or `{"error": {"code", "message"}}`. An input that
//! does not deserialize is `invalid_input`, as in every binding. The input is deserialized
//! from its text, never through `serde_json::Value`, whose maps would sort the keys of a
//! mapping (`requests`, `items`) that the wire format reads in document order.
//!
//! ```sh
//! printf 'aggregate\t{"prefixes": ["10.0.0.0/25", "10.0.0.128/25"]}\n' \
//!   | cargo run -q -p cidrplan --example wire_jsonl
//! ```

use std::io::{self, BufRead, Write};

use cidrplan::{k8s, wire};
use serde_json::{json, Value};

fn run<I: serde::de::DeserializeOwned, O: serde::Serialize>(
    input: &str,
    f: fn(&I) -> cidrplan::Result<O>,
) -> Value {
    let parsed: I = match serde_json::from_str(input) {
        Ok(parsed) => parsed,
        Err(e) => {
            return json!({"error": {"code": "invalid_input", "message": format!("invalid input: {e}")}})
        }
    };
    match f(&parsed) {
        Ok(output) => json!({ "ok": output }),
        Err(e) => json!({"error": {"code": e.code(), "message": e.to_string()}}),
    }
}

/// `{"spec": PlanRequest, "format": "calico", "force"?: bool}` -> the rendered text.
fn export(input: &str) -> Value {
    let parsed = serde_json::from_str::<Value>(input).and_then(|mut v| {
        let format = v["format"].as_str().unwrap_or_default().to_string();
        let force = v["force"].as_bool().unwrap_or(false);
        serde_json::from_value::<k8s::PlanRequest>(v["spec"].take())
            .map(|spec| (spec, format, force))
    });
    match parsed {
        Err(e) => json!({"error": {"code": "invalid_input", "message": e.to_string()}}),
        Ok((spec, format, force)) => match wire::export(&spec, &format, force) {
            Ok(text) => json!({ "ok": text }),
            Err(e) => json!({"error": {"code": e.code(), "message": e.to_string()}}),
        },
    }
}

/// `{"format": "aws-subnets" | "auto", "text": "..."}` -> the import's fragment.
fn import(input: &str) -> Value {
    #[derive(serde::Deserialize)]
    struct Import {
        format: String,
        text: String,
    }
    match serde_json::from_str::<Import>(input) {
        Err(e) => json!({"error": {"code": "invalid_input", "message": e.to_string()}}),
        Ok(i) => match wire::import_allocations(&i.format, &i.text) {
            Ok(fragment) => json!({ "ok": fragment }),
            Err(e) => json!({"error": {"code": e.code(), "message": e.to_string()}}),
        },
    }
}

fn main() -> io::Result<()> {
    let stdin = io::stdin();
    let mut out = io::BufWriter::new(io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let (op, input) = line.split_once('\t').unwrap_or((line.as_str(), "null"));
        let answer = match op {
            "overlaps" => run(input, wire::overlaps),
            "aggregate" => run(input, wire::aggregate),
            "exclude" => run(input, wire::exclude),
            "carve" => run(input, wire::carve),
            "plan" => run(input, k8s::plan),
            "recommend" => run(input, k8s::recommend),
            "replan" => run(input, wire::replan),
            "diff" => run(input, wire::diff),
            "export" => export(input),
            "import" => import(input),
            op => json!({"error": {"code": "unknown_op", "message": op}}),
        };
        serde_json::to_writer(&mut out, &answer)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
